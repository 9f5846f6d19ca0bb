"""The studio's content: what the preview shows, a photo or the frame under a clip's timeline.

It keeps the decoded photos and paintings (``LoadedPictures``) and the opened clips
(``LoadedClips``), answers what the preview paints (``source``), and shows the content whenever
the state's content changes: the photo at once, a clip's timeline (its frame comes with its
preview, decoded on the render thread). The frame under the timeline is not part of the undo
history: scrubbing is looking, as zooming is. It is kept with the opened clip, so undo and redo
come back to it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from engine import DEFAULT_VIDEO_SETTINGS, ClipInfo, ImpastoError, Picture, VideoSettings, proportions_problem

from .clip_media import LoadedClips, OpenedClip
from .core import StudioCore
from .frames import PhotoView, PreviewSource
from .library import StyleLibrary
from .pictures import LoadedPictures
from .region_masks import Regions, mask_size
from .state import ContentKind, StudioState


class StudioContent(QObject):
    photo_changed = Signal(object)  # PhotoView
    clip_changed = Signal(object)  # ClipView (the clip and the frame under its timeline), or None for a photo
    shown = Signal()  # the content was shown afresh: what the preview showed is of another picture

    def __init__(self, core: StudioCore, library: StyleLibrary):
        super().__init__()
        self._core = core
        settings = core.app_settings
        self.pictures = LoadedPictures(library, settings.max_input_megapixels * 1_000_000)
        self.clips = LoadedClips(DEFAULT_VIDEO_SETTINGS.sequence_fps)
        self.batch: list[Path] = []  # the photos an Export renders into a folder, when several were opened
        self._shown_frame: tuple | None = None  # the (clip, frame) whose picture the window shows
        core.state_changed.connect(self._on_state_changed)

    # -- the photo ------------------------------------------------------------------------

    def photo(self, key: str | None = None) -> Picture | None:
        """The photo ``key`` (the current one by default), or None with the reason told. For a
        clip, its frame under the timeline once a preview has decoded it, else None."""
        state = self._core.state
        if key is None and state.content_kind == "clip":
            return self.frame_shown()
        return self._checked_photo(state.content if key is None else key)

    def readable(self, key: str, kind: ContentKind) -> bool:
        """Whether the photo or clip ``key`` can be shown (if not, the reason is told)."""
        if kind == "picture":
            return self._checked_photo(key) is not None
        try:
            self.clips.get(key)
        except ImpastoError as exc:
            self._core.tell(f"{exc}. Open the clip again or choose another.", error=True)
            return False
        return True

    def _checked_photo(self, key: str) -> Picture | None:
        try:
            return self.pictures.photo(key)
        except ImpastoError as exc:
            self._core.tell(f"{exc}. Open the photo again or choose another.", error=True)
        except KeyError:
            self._core.tell("That pasted photo is no longer kept; paste it again.", error=True)
        return None

    def photo_problem(self, key: str) -> str | None:
        """Why the photo ``key`` cannot be opened, or None."""
        try:
            picture = self.pictures.photo(key)
        except ImpastoError as exc:
            return str(exc)
        problem = proportions_problem(*picture.size)
        return None if problem is None else f"{picture.name}: {problem}"

    def with_photo(self, key: str) -> StudioState:
        return self.with_content(key, "picture", self.pictures.photo(key).size)

    def with_content(self, key: str, kind: ContentKind, size: tuple[int, int]) -> StudioState:
        """The state with the photo or clip ``key`` of ``size``: the regions stay if they fit its
        proportions."""
        state = self._core.state
        regions = state.regions
        if regions and regions.size != mask_size(size):
            self._core.tell("The regions were left out: they were painted on a picture of other proportions "
                            "(Undo brings them back).")
            regions = Regions(mask_size(size))
        return state.with_changes(content=key, content_kind=kind, regions=regions)

    # -- the clip -------------------------------------------------------------------------

    @property
    def clip(self) -> OpenedClip | None:
        """The clip the state shows, or None for a photo (or a clip that could not be read:
        ``show``, which opens it when the content changes, has said why)."""
        state = self._core.state
        return self.clips.kept(state.content) if state.content_kind == "clip" else None

    @property
    def position(self) -> int | None:
        clip = self.clip
        return None if clip is None else clip.position

    def move_to(self, position: int) -> None:
        """Put the clip's timeline at ``position`` (clamped to the clip)."""
        clip = self.clip
        if clip is None:
            return
        position = min(max(position, 0), clip.view().last)
        if position != clip.position:
            clip.position = position
            self.clip_changed.emit(clip.view())

    def frame_shown(self) -> Picture | None:
        """The frame under the timeline at full size, if it has been decoded (never decodes it)."""
        clip = self.clip
        return None if clip is None else clip.frames.cached(clip.position)

    def video_settings(self) -> VideoSettings:
        return DEFAULT_VIDEO_SETTINGS.with_changes(temporal=self._core.app_settings.video_temporal)

    # -- what the preview paints ----------------------------------------------------------

    def source(self) -> PreviewSource | None:
        """What the preview paints: the clip's frame under the timeline, or else the photo."""
        state = self._core.state
        clip = self.clip
        if clip is not None:
            shots = clip.shots if self.video_settings().temporal != "off" and not clip.shots.failed else None
            return PreviewSource((state.content, clip.position, shots is not None and clip.shots.search.found),
                                 clip.info.size, clip.info.path.name, frames=clip.frames, position=clip.position,
                                 shots=shots)
        if state.content_kind == "clip":
            return None
        photo = self.photo()
        return None if photo is None else PreviewSource((state.content,), photo.size, photo.name, photo=photo)

    # -- showing it -----------------------------------------------------------------------

    def _on_state_changed(self, old: StudioState | None, new: StudioState) -> None:
        if old is None or (old.content, old.content_kind) != (new.content, new.content_kind):
            self.show()

    def show(self) -> None:
        """Show the content: the photo, or a clip's timeline (the window waits for its frame,
        which comes with its preview)."""
        self._shown_frame = None
        self._show_content()
        self.shown.emit()

    def _show_content(self) -> None:
        state = self._core.state
        if state.content_kind != "clip":
            self.clip_changed.emit(None)
            photo = self.photo()
            if photo is not None:
                before = self.pictures.photo_shrunk(state.content, self._core.app_settings.preview_long_side)
                self._show_picture(before, photo.name, photo.size)
            return
        try:
            clip = self.clips.get(state.content)
        except ImpastoError as exc:
            self._core.tell(f"{exc}. Open the clip again or choose another.", error=True)
            self.clip_changed.emit(None)
            return
        self.clip_changed.emit(clip.view())
        self._show_picture(None, clip.info.path.name, clip.info.size, clip.info)

    def show_frame(self, frame_key: tuple, before: Picture) -> None:
        """A preview brought the frame ``frame_key`` (clip, position) back: the window shows it."""
        clip = self.clip
        if clip is not None and frame_key != self._shown_frame and frame_key[0] == self._core.state.content:
            self._shown_frame = frame_key
            self._show_picture(before, clip.info.path.name, clip.info.size, clip.info)

    def _show_picture(self, before: Picture | None, name: str, size: tuple[int, int], clip: ClipInfo | None = None):
        self.photo_changed.emit(PhotoView(before, name, size, clip))

