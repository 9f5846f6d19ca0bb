"""The studio's clips: opening a video or a folder of numbered frames, scrubbing the timeline,
the steadiness an exported clip is given, and the search for the clip's shots.

A clip is the studio's content as a photo is (``StudioState.content`` is its path and
``content_kind`` says "clip"), so opening one is an undo step and every look, style, blend and
region applies to it. The content (``StudioContent``) keeps the opened clips and the frame
under the timeline; the window never decodes a frame: the preview's job does, on the render
thread, and brings the frame back with its stylised picture.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.jobs.scheduler import Job, JobEvent, JobKind, Stage
from desktop.studio.clip_media import OpenedClip, is_frame_sequence
from desktop.studio.content import StudioContent
from desktop.studio.core import StudioCore
from engine import TEMPORAL_MODES, ImpastoError, expand_inputs, is_clip_file

SEARCH_STEP_SECONDS = 0.1  # of the shot search per background job (and at least a frame): what a preview may wait


def clip_in(paths: list[Path]) -> Path | None:
    """The clip among what was dropped or chosen: one video file or animated picture, or one
    folder of numbered frames; None for photos and batches."""
    if len(paths) != 1:
        return None
    path = paths[0]
    if path.is_dir():
        files, _skipped = expand_inputs([path])
        return path if is_frame_sequence(files) else None
    return path if is_clip_file(path) else None


class StudioClips(QObject):
    steadiness_changed = Signal(str)  # the temporal mode a clip is exported with

    def __init__(self, core: StudioCore, content: StudioContent):
        super().__init__()
        self._core, self._content = core, content
        content.shown.connect(self._on_shown)

    # -- intents --------------------------------------------------------------------------

    def open(self, path: Path) -> bool:
        """Open the clip at ``path`` as one undo step; a clip that cannot be read changes nothing."""
        core, content = self._core, self._content
        key = str(path)
        content.clips.forget(key)  # opened again: it may have changed on disk
        try:
            clip = content.clips.get(key)  # checked now: the first frame decodes, the end can be reached
        except ImpastoError as exc:
            core.tell(f"{exc}. Choose another clip.", error=True)
            return False
        content.batch = []
        again = (core.state.content, core.state.content_kind) == (key, "clip")
        core.change(content.with_content(key, "clip", clip.info.size), True, "Open clip")
        if again:  # the same clip, read afresh: the state did not change, so it is shown from here
            content.show()
            core.request_preview(draft=False)
        if clip.info.kind == "frame sequence":
            core.tell(f"{path.name}: {clip.info.frame_count} numbered frames, opened as a clip at "
                      f"{float(clip.info.fps):g} frames/s. To work on them as a batch of photos instead, drop "
                      f"the pictures themselves rather than their folder.")
        else:
            core.tell(f"{path.name}: {clip.info.describe()}")
        return True

    def scrub(self, position: int, final: bool) -> None:
        """Show the frame at ``position``: a draft while the slider moves, in full when let go."""
        if self._content.clip is None:
            return
        self._content.move_to(position)
        self._core.request_preview(draft=not final)

    def step(self, frames: int) -> None:
        """Move the timeline by ``frames`` (the , and . keys)."""
        position = self._content.position
        if position is not None:
            self.scrub(position + frames, True)

    def set_temporal(self, mode: str) -> None:
        """How steady an exported clip is (remembered; see docs/cli.md, "Video")."""
        if mode in TEMPORAL_MODES:
            self._core.app_settings = self._core.app_settings.with_changes(video_temporal=mode)
            self.steadiness_changed.emit(mode)
            clip = self._content.clip
            if clip is not None:  # the preview follows: with the shot's statistics or the frame's own
                self._search_shots(clip)
                self._core.request_preview(draft=False)

    # -- the shots ------------------------------------------------------------------------

    def _on_shown(self) -> None:
        """A clip shown afresh: its search starts once this event is handled, after the preview
        that showing it asks for, so the first frame is painted before any search step runs."""
        clip = self._content.clip
        if clip is not None:
            QTimer.singleShot(0, self, lambda: self._search_shots(clip) if clip is self._content.clip else None)

    def _search_shots(self, clip: OpenedClip) -> None:
        """Find the clip's shots as its export will, in short background jobs that let every
        preview go first; once they are found, the preview paints its frame again with its
        shot's statistics, as the exported frame will look."""
        shots = clip.shots
        if shots.search.found or shots.searching or shots.failed or self._content.video_settings().temporal == "off":
            return
        shots.searching = True
        core, content = self._core, self._content

        def on_event(event: JobEvent) -> None:
            if not event.ended:
                return
            shots.searching = False
            wanted = clip is content.clip and content.video_settings().temporal != "off"
            if event.stage is Stage.FAILED:
                shots.failed = True  # the export will say where the clip breaks; previews keep each frame's own
            elif event.stage is Stage.DONE and event.value:
                if wanted and not core.drafting:  # a drag's own full preview will measure
                    core.request_preview(draft=False, measure=True)
            elif event.stage is Stage.DONE and wanted:
                self._search_shots(clip)
            elif event.stage is Stage.DONE:  # paused: the file is let go where it is read; it starts afresh
                core.submit(Job(JobKind.BACKGROUND, lambda engine, token: shots.search.close(),
                                clip.info.path.name, lambda event: None))

        core.submit(Job(JobKind.BACKGROUND, lambda engine, token: shots.search.search(SEARCH_STEP_SECONDS),
                        clip.info.path.name, on_event))
