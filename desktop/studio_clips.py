"""The studio's clips: opening a video or a folder of numbered frames, the timeline, and what
the preview paints.

A clip is the studio's content as a photo is (``StudioState.content`` is its path and
``content_kind`` says "clip"), so opening one is an undo step and every look, style, blend and
region applies to it. The frame under the timeline is not part of the undo history: scrubbing
is looking, as zooming is. It is kept with the opened clip, so undo and redo come back to it.
The window never decodes a frame: the preview's job does, on the render thread, and brings the
frame back with its stylised picture.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engine import (
    DEFAULT_VIDEO_SETTINGS,
    TEMPORAL_MODES,
    ImpastoError,
    Picture,
    VideoSettings,
    expand_inputs,
    is_clip_file,
)

from .clips import ClipView, LoadedClips, OpenedClip, is_frame_sequence
from .previews import PreviewSource
from .scheduler import Job, JobEvent, JobKind, Stage

if TYPE_CHECKING:
    from .studio import Studio

SEARCH_STEP_SECONDS = 0.1  # of the shot search per background job (and at least a frame): what a preview may wait


class StudioClips:
    def __init__(self, studio: Studio):
        self._studio = studio
        self.loaded = LoadedClips(DEFAULT_VIDEO_SETTINGS.sequence_fps)
        self._shown: tuple | None = None  # the (clip, frame) whose picture the window shows

    # -- what is open ---------------------------------------------------------------------

    @property
    def current(self) -> OpenedClip | None:
        """The clip the state shows, or None for a photo (or a clip that could not be read:
        ``show``, which opens it when the content changes, has said why)."""
        state = self._studio.state
        return self.loaded.kept(state.content) if state.content_kind == "clip" else None

    @property
    def view(self) -> ClipView | None:
        clip = self.current
        return None if clip is None else clip.view()

    @property
    def position(self) -> int | None:
        clip = self.current
        return None if clip is None else clip.position

    def frame_shown(self) -> Picture | None:
        """The frame under the timeline at full size, if it has been decoded (never decodes it)."""
        clip = self.current
        return None if clip is None else clip.frames.cached(clip.position)

    def preview_source(self) -> PreviewSource | None:
        """What the preview paints: the clip's frame under the timeline, or else the photo."""
        studio = self._studio
        clip = self.current
        if clip is not None:
            shots = clip.shots if self.video_settings().temporal != "off" and not clip.shots.failed else None
            return PreviewSource((studio.state.content, clip.position, shots is not None and clip.shots.search.found),
                                 clip.info.size, clip.info.path.name, frames=clip.frames, position=clip.position,
                                 shots=shots)
        if studio.state.content_kind == "clip":
            return None
        photo = studio.photo()
        return None if photo is None else PreviewSource((studio.state.content,), photo.size, photo.name, photo=photo)

    def video_settings(self) -> VideoSettings:
        return DEFAULT_VIDEO_SETTINGS.with_changes(temporal=self._studio.app_settings.video_temporal)

    # -- intents --------------------------------------------------------------------------

    def clip_in(self, paths: list[Path]) -> Path | None:
        """The clip among what was dropped or chosen: one video file or animated picture, or one
        folder of numbered frames; None for photos and batches."""
        if len(paths) != 1:
            return None
        path = paths[0]
        if path.is_dir():
            files, _skipped = expand_inputs([path])
            return path if is_frame_sequence(files) else None
        return path if is_clip_file(path) else None

    def open(self, path: Path) -> bool:
        """Open the clip at ``path`` as one undo step; a clip that cannot be read changes nothing."""
        studio = self._studio
        key = str(path)
        self.loaded.forget(key)  # opened again: it may have changed on disk
        try:
            clip = self.loaded.get(key)  # checked now: the first frame decodes, the end can be reached
        except ImpastoError as exc:
            studio.tell(f"{exc}. Choose another clip.", error=True)
            return False
        studio.batch = []
        again = (studio.state.content, studio.state.content_kind) == (key, "clip")
        studio.change(studio.with_content(key, "clip", clip.info.size), True, "Open clip")
        if again:  # the same clip, read afresh: the state did not change, so it is shown from here
            self.show()
            studio.preview(draft=False)
        if clip.info.kind == "frame sequence":
            studio.tell(f"{path.name}: {clip.info.frame_count} numbered frames, opened as a clip at "
                        f"{float(clip.info.fps):g} frames/s. To work on them as a batch of photos instead, drop "
                        f"the pictures themselves rather than their folder.")
        else:
            studio.tell(f"{path.name}: {clip.info.describe()}")
        return True

    def scrub(self, position: int, final: bool) -> None:
        """Show the frame at ``position``: a draft while the slider moves, in full when let go."""
        clip = self.current
        if clip is None:
            return
        position = min(max(position, 0), clip.view().last)
        if position != clip.position:
            clip.position = position
            self._studio.clip_changed.emit(clip.view())
        self._studio.preview(draft=not final)

    def step(self, frames: int) -> None:
        """Move the timeline by ``frames`` (the , and . keys)."""
        if self.position is not None:
            self.scrub(self.position + frames, True)

    def set_temporal(self, mode: str) -> None:
        """How steady an exported clip is (remembered; see docs/cli.md, "Video")."""
        if mode in TEMPORAL_MODES:
            self._studio.app_settings = self._studio.app_settings.with_changes(video_temporal=mode)
            self._studio.steadiness_changed.emit(mode)
            clip = self.current
            if clip is not None:  # the preview follows: with the shot's statistics or the frame's own
                self._search_shots(clip)
                self._studio.preview(draft=False)

    # -- showing it -----------------------------------------------------------------------

    def show(self) -> None:
        """The content changed: show the timeline, or hide it for a photo. The window waits for
        a clip's frame, which comes with its preview."""
        studio = self._studio
        self._shown = None
        studio.previews.forget()
        if studio.state.content_kind != "clip":
            studio.clip_changed.emit(None)
            return
        try:
            clip = self.loaded.get(studio.state.content)
        except ImpastoError as exc:
            studio.tell(f"{exc}. Open the clip again or choose another.", error=True)
            studio.clip_changed.emit(None)
            return
        studio.clip_changed.emit(clip.view())
        studio.show_picture(None, clip.info.path.name, clip.info.size, clip.info)
        self._search_shots(clip)

    def _search_shots(self, clip: OpenedClip) -> None:
        """Find the clip's shots as its export will, in short background jobs that let every
        preview go first; once they are found, the preview paints its frame again with its
        shot's statistics, as the exported frame will look."""
        shots = clip.shots
        if shots.search.found or shots.searching or shots.failed or self.video_settings().temporal == "off":
            return
        shots.searching = True
        studio = self._studio

        def on_event(event: JobEvent) -> None:
            if not event.ended:
                return
            shots.searching = False
            wanted = clip is self.current and self.video_settings().temporal != "off"
            if event.stage is Stage.FAILED:
                shots.failed = True  # the export will say where the clip breaks; previews keep each frame's own
            elif event.stage is Stage.DONE and event.value:
                if wanted and not studio.drafting:  # a drag's own full preview will measure
                    studio.previews.schedule(draft=False, measure=True)
            elif event.stage is Stage.DONE and wanted:
                self._search_shots(clip)
            elif event.stage is Stage.DONE:  # paused: the file is let go where it is read; it starts afresh
                studio.thread.submit(Job(JobKind.BACKGROUND, lambda engine, token: shots.search.close(),
                                         clip.info.path.name, lambda event: None))

        studio.thread.submit(Job(JobKind.BACKGROUND, lambda engine, token: shots.search.search(SEARCH_STEP_SECONDS),
                                 clip.info.path.name, on_event))

    def show_frame(self, frame_key: tuple, before: Picture) -> None:
        """A preview brought the frame ``frame_key`` (clip, position) back: the window shows it."""
        clip = self.current
        if clip is not None and frame_key != self._shown and frame_key[0] == self._studio.state.content:
            self._shown = frame_key
            self._studio.show_picture(before, clip.info.path.name, clip.info.size, clip.info)
