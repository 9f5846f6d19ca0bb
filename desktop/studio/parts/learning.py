"""Learning a painting's style in the studio: a long job with progress and Cancel, the preview
still following the artist between its steps; and forgetting a learned style."""

from __future__ import annotations

import functools
import time

from PySide6.QtCore import QObject, Signal

from desktop.jobs.learn_work import learn_work
from desktop.jobs.scheduler import Job, JobEvent, JobKind, Stage
from desktop.studio.content import StudioContent
from desktop.studio.core import StudioCore
from desktop.studio.export_runs import ESTIMATE_AFTER, ExportProgress
from desktop.studio.library import StyleLibrary
from engine import LEARNING_STEPS, ImpastoError

DOING = "Learning the style of"
CHECKPOINT_STEPS = 20  # the preview shows the style as learned so far this often (about half a minute on a CPU)


class StyleLearning(QObject):
    progress_changed = Signal(object)  # ExportProgress while learning, None once it ends
    learned_changed = Signal(str)  # style id: a style was learned, or forgotten
    improved = Signal(str, object)  # style id, the LearnedStyle so far: the preview shows it (queued from the render thread)

    def __init__(self, core: StudioCore, content: StudioContent, library: StyleLibrary):
        super().__init__()
        self._core, self._content, self._library = core, content, library
        self.running: dict[str, int] = {}  # style id -> job id
        self._started: dict[str, float] = {}
        self.improved.connect(self._show_improved)

    def learn(self, style_id: str, steps: int = LEARNING_STEPS, checkpoint_every: int = CHECKPOINT_STEPS) -> bool:
        """Learn the painting's style in the background (more of it, if it was learned before); the
        preview shows it as it improves, every ``checkpoint_every`` steps."""
        core, pictures = self._core, self._content.pictures
        if style_id in self.running:
            return False
        try:
            painting = pictures.painting(style_id)
            name = self._library.get(style_id).name
        except (ImpastoError, KeyError) as exc:
            core.tell(f"That painting cannot be learned: {exc}.", error=True)
            return False
        work = learn_work(painting, self._library.learned_path(style_id), steps, pictures.learned(style_id),
                          core.run_waiting_previews, functools.partial(self.improved.emit, style_id), checkpoint_every)
        job = core.submit(Job(JobKind.EXPORT, work, f"learning {name}", functools.partial(self._on_event, style_id, name)))
        self.running[style_id] = job.job_id
        self._started[style_id] = time.monotonic()
        self.progress_changed.emit(ExportProgress(0.0, None, name, doing=DOING))
        core.tell(f"Learning the style of {name}: a few minutes; the studio stays usable.")
        return True

    def _show_improved(self, style_id: str, learned) -> None:
        if style_id in self.running:  # not once it has ended: the file then says what was learned
            self._content.pictures.try_learned(style_id, learned)
            self._core.request_preview(draft=False)

    def cancel(self) -> None:
        for job_id in list(self.running.values()):
            self._core.cancel(job_id)

    def forget(self, style_id: str) -> None:
        self._library.forget_learned(style_id)
        self._content.pictures.forget_learned(style_id)
        self.learned_changed.emit(style_id)
        self._core.tell(f"{self._library.get(style_id).name} paints as it did before it was learned.")
        self._core.request_preview(draft=False)

    def _on_event(self, style_id: str, name: str, event: JobEvent) -> None:
        if event.stage is Stage.PROGRESS:
            elapsed = time.monotonic() - self._started.get(style_id, time.monotonic())
            left = elapsed * (1 - event.fraction) / event.fraction if event.fraction >= ESTIMATE_AFTER else None
            self.progress_changed.emit(ExportProgress(event.fraction, left, name, doing=DOING))
            return
        if not event.ended:
            return
        self.running.pop(style_id, None)
        self.progress_changed.emit(None)
        if event.stage is Stage.DONE:
            self._content.pictures.forget_learned(style_id)
            self.learned_changed.emit(style_id)
            self._core.tell(f"Learned the style of {name} ({event.value.steps} steps): it paints with it now.",
                            settles=True)
            self._core.request_preview(draft=False)
        elif event.stage is Stage.FAILED:
            self._content.pictures.forget_learned(style_id)
            self._core.tell(f"The style of {name} was not learned: {event.message}", error=True)
        else:
            self._content.pictures.forget_learned(style_id)  # what was previewed goes: the file is as it was
            self._core.request_preview(draft=False)
            self._core.tell(f"Learning {name} was cancelled; its style is as it was.")
