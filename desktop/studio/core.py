"""The studio's core: what every part of the studio shares, and all they share.

It holds the artist's choices (``StudioState``) with their undo stack, the app's settings, the
device as the engine reports it, and the door to the render thread. A part changes the state
through ``change`` (a drag's drafts, then one undo step), says what happened through ``tell``,
submits its jobs here, and asks for a preview with ``request_preview``; the live preview is told
through ``preview_wanted``. Parts know the core and the content, never one another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.jobs.render_thread import RenderThread
from desktop.jobs.scheduler import EngineStatus, Job

from .paths import AppPaths
from .settings import AppSettings
from .state import StudioState

REFINE_AFTER_MS = 250  # a slider that rests this long mid-drag gets a full-quality preview


@dataclass(frozen=True)
class Message:
    text: str
    error: bool = False
    folder: Path | None = None  # offer "Show in folder"
    settles: bool = False  # what went wrong before is over (a session opened): its banner goes


@dataclass(frozen=True)
class PreviewWish:
    """A preview the state needs: a ``draft`` (mid-drag on a CPU) or the full one; ``interrupts``:
    it cancels the preview running; ``measure``: a clip's frame is painted with its shot's
    statistics, measured first if need be."""

    draft: bool = False
    interrupts: bool = True
    measure: bool = False


class _StateChange(QUndoCommand):
    def __init__(self, core: StudioCore, before: StudioState, after: StudioState, text: str,
                 aside: tuple[Callable[[], None], Callable[[], None]] | None = None):
        super().__init__(text)
        self._core, self._before, self._after, self._aside = core, before, after, aside

    def redo(self):
        if self._aside is not None:
            self._aside[0]()
        self._core.apply(self._after)

    def undo(self):
        if self._aside is not None:
            self._aside[1]()
        self._core.apply(self._before)


class StudioCore(QObject):
    state_changed = Signal(object, object)  # old StudioState (None at start), new StudioState
    message = Signal(object)  # Message
    device_changed = Signal(str)
    preview_wanted = Signal(object)  # PreviewWish

    def __init__(self, thread: RenderThread, paths: AppPaths, settings: AppSettings, state: StudioState):
        super().__init__()
        self._thread, self.paths, self.app_settings = thread, paths, settings
        self.undo_stack = QUndoStack(self)
        self.device = ""  # as the engine reports it: at start, and with every result (a fall-back shows)
        self.state = state
        self._committed = state  # the last state on the undo stack: a drag starts from it
        self._refine_timer = QTimer(self, singleShot=True, interval=REFINE_AFTER_MS)
        self._refine_timer.timeout.connect(lambda: self.preview_wanted.emit(PreviewWish()))
        thread.reported.connect(self._on_event)

    # -- state and undo -------------------------------------------------------------------

    def change(self, new: StudioState, final: bool, text: str) -> None:
        """A user edit. While a slider moves (not final), preview it; on release, one undo step."""
        if not final:
            if new != self.state:
                self.apply(new, draft=True)
            return
        self._refine_timer.stop()  # the release's own preview is the final one
        if new != self._committed:
            self.undo_stack.push(_StateChange(self, self._committed, new, text))  # applies ``new``
        else:
            self.apply(new)

    def change_beside(self, new: StudioState, text: str, do: Callable[[], None], undo: Callable[[], None]) -> None:
        """One undo step that also changes something beside the state (the library): ``do`` runs
        before ``new`` is shown, and ``undo`` before the state before it is shown again."""
        self._refine_timer.stop()
        self.undo_stack.push(_StateChange(self, self._committed, new, text, (do, undo)))

    def edit_settings(self, settings, final: bool) -> None:
        self.change(self.state.with_changes(settings=settings), final, "Change look")

    def apply(self, state: StudioState, draft: bool = False) -> None:
        """Show ``state`` and preview it. A draft (mid-drag) state is not yet an undo step."""
        old, self.state = self.state, state
        if not draft:
            self._committed = state
        if old != state:
            self.state_changed.emit(old, state)
        if state.style_kind is None and state.style_keys:
            self.tell("Blend presets with presets, or paintings with paintings.", error=True)
        self.request_preview(draft)

    def start(self, state: StudioState) -> None:
        """Show the first ``state`` (every part shows it from nothing), and preview it."""
        self.state = self._committed = state
        self.state_changed.emit(None, state)
        self.request_preview(draft=False)

    # -- previews -------------------------------------------------------------------------

    @property
    def drafting(self) -> bool:
        """A slider moves on the CPU: drafts are painted, and the full preview comes when it rests."""
        return self._refine_timer.isActive()

    def request_preview(self, draft: bool, measure: bool = False) -> None:
        """Preview the state: while a slider (or the timeline) moves, a draft on the CPU, with a
        full preview once it rests; else the full preview."""
        on_cpu = self.device.startswith("CPU")
        if not draft:
            self._refine_timer.stop()
        self.preview_wanted.emit(PreviewWish(draft and on_cpu, interrupts=not draft, measure=measure))
        if draft and on_cpu:
            self._refine_timer.start()

    # -- the render thread ----------------------------------------------------------------

    def submit(self, job: Job) -> Job:
        return self._thread.submit(job)

    def cancel(self, job_id: int) -> bool:
        return self._thread.cancel(job_id)

    def run_waiting_previews(self) -> None:
        """From a long export's work, between two of its steps: the waiting preview runs now."""
        self._thread.scheduler.run_waiting_previews()

    def _on_event(self, event) -> None:
        if isinstance(event, EngineStatus):
            if event.error:
                self.tell(f"The renderer could not start: {event.error}", error=True)
            else:
                self.set_device(event.device)
        elif event.job.on_event is not None:
            event.job.on_event(event)

    def set_device(self, device: str) -> None:
        if device and device != self.device:
            self.device = device
            self.device_changed.emit(device)

    # -- messages -------------------------------------------------------------------------

    def tell(self, text: str, error: bool = False, folder: Path | None = None, settles: bool = False) -> None:
        self.message.emit(Message(text, error, folder, settles))
