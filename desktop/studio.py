"""The studio: everything the window shows, as state, with no widget in it.

It owns the artist's choices (``StudioState``) and their undo stack, the loaded pictures, the
device as the engine reports it, and every job it gives the render thread: the live preview,
exports and batches, and the gallery's thumbnails. Views send intents (``edit_settings``,
``open_photos``...) and listen to typed signals: ``state_changed(old, new)``, preview frames
and messages. The content is a photo or a clip (``studio_clips``: its timeline and frames).
Nothing here reads a widget.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from engine import PRESET_NAMES, ClipInfo, ImpastoError, Picture, expand_inputs, load_picture, proportions_problem

from .app_settings import AppSettings
from .loaded_pictures import PASTED_PREFIX, SAMPLE_KEY, LoadedPictures, sample_photo
from .paths import AppPaths
from .preview_loop import PreviewLoop
from .previews import PhotoView
from .regions import Regions, mask_size
from .render_thread import RenderThread
from .scheduler import EngineStatus, Job, JobEvent, JobKind
from .studio_clips import StudioClips
from .studio_exports import StudioExports
from .studio_regions import StudioRegions
from .studio_sessions import StudioSessions
from .studio_state import ContentKind, StudioState, StyleKey, Weights, remembered_state
from .style_library import StyleLibrary
from .thumbnails import ThumbnailCache, preset_weights_checksum

log = logging.getLogger(__name__)
REFINE_AFTER_MS = 250  # a slider that rests this long mid-drag gets a full-quality preview


@dataclass(frozen=True)
class Message:
    text: str
    error: bool = False
    folder: Path | None = None  # offer "Show in folder"
    settles: bool = False  # what went wrong before is over (a session opened): its banner goes


class _StateChange(QUndoCommand):
    def __init__(self, studio: Studio, before: StudioState, after: StudioState, text: str):
        super().__init__(text)
        self._studio, self._before, self._after = studio, before, after

    def redo(self):
        self._studio.apply(self._after)

    def undo(self):
        self._studio.apply(self._before)


class Studio(QObject):
    state_changed = Signal(object, object)  # old StudioState, new StudioState
    photo_changed = Signal(object)  # PhotoView
    preview_ready = Signal(object)  # PreviewFrame
    detail_ready = Signal(object)  # DetailFrame
    rendering_changed = Signal(bool)  # whether a preview is on its way
    export_changed = Signal(object)  # ExportProgress, or None when no export runs
    message = Signal(object)  # Message
    device_changed = Signal(str)
    paintings_changed = Signal(object)  # [(style id, name, file)] of the library, in order
    thumbnail_ready = Signal(int, object)  # preset index, QImage
    region_tool_changed = Signal(object)  # RegionTool
    clip_changed = Signal(object)  # ClipView (the clip and the frame under its timeline), or None for a photo
    steadiness_changed = Signal(str)  # the temporal mode a clip is exported with
    recent_sessions_changed = Signal(object)  # [path], the latest first

    def __init__(self, thread: RenderThread, paths: AppPaths, settings: AppSettings):
        super().__init__()
        self.thread, self.paths, self.app_settings = thread, paths, settings
        self.library = StyleLibrary(paths.styles_dir)
        self.pictures = LoadedPictures(self.library, settings.max_input_megapixels * 1_000_000)
        self.undo_stack = QUndoStack(self)
        self.device = ""  # as the engine reports it: at start, and with every result (a fall-back shows)
        self.batch: list[Path] = []
        self.state = remembered_state(settings, {style.style_id for style in self.library.styles})
        self._committed = self.state  # the last state on the undo stack: a drag starts from it
        self.previews = PreviewLoop(self)
        self.exports = StudioExports(self)
        self.regions = StudioRegions(self)
        self.clips = StudioClips(self)
        self.sessions = StudioSessions(self)
        self.thumbnails = ThumbnailCache(paths.thumbnails_dir, preset_weights_checksum())
        self.thumbnails_pending: set[int] | None = None  # None until the thumbnails are started
        self._refine_timer = QTimer(self, singleShot=True, interval=REFINE_AFTER_MS)
        self._refine_timer.timeout.connect(lambda: self.previews.schedule(draft=False))
        thread.event.connect(self._on_event)

    # -- starting and closing ---------------------------------------------------------------

    def start(self) -> None:
        """Show the remembered photo (or the sample) at once and render its preview."""
        if not self._readable(self.state.content, self.state.content_kind):
            self.state = self._committed = self.state.with_changes(content=SAMPLE_KEY, content_kind="picture")
        self.paintings_changed.emit(self.painting_entries())
        self.state_changed.emit(None, self.state)
        self._show_content()
        self.previews.schedule(draft=False)

    def start_thumbnails(self, order: list[int]) -> None:
        """Cached thumbnails at once; the others rendered in the background, in ``order`` (most visible first)."""
        sample, self.thumbnails_pending = None, set()
        for index in order:
            image = self.thumbnails.cached(index)
            if image is not None:
                self.thumbnail_ready.emit(index, image)
                continue
            sample = sample or sample_photo()
            self.thumbnails_pending.add(index)
            self.thread.submit(Job(JobKind.BACKGROUND, self.thumbnails.render_work(index, sample), f"preset {index}",
                                   lambda event, i=index: self._on_thumbnail(i, event)))

    def settings_to_keep(self, window_geometry: str) -> AppSettings:
        state = self.state
        pasted = state.content.startswith(PASTED_PREFIX)
        return self.app_settings.with_changes(
            render=state.settings, last_content=SAMPLE_KEY if pasted else state.content,
            last_content_kind=state.content_kind, window_geometry=window_geometry,
            last_styles=[[key.kind, key.ident] for key in state.style_keys], last_weights=list(state.weights))

    # -- intents --------------------------------------------------------------------------

    def edit_settings(self, settings, final: bool) -> None:
        self.change(self.state.with_changes(settings=settings), final, "Change look")

    def edit_weights(self, weights: Weights, final: bool) -> None:
        self.change(self.state.with_weights(weights), final, "Change blend")

    def choose_styles(self, keys: list[StyleKey]) -> None:
        if keys and tuple(keys) != self.state.style_keys:
            self.change(self.state.with_styles(keys), True, "Choose style")

    def open_photos(self, paths: list[Path]) -> None:
        """Open a photo, a batch (several, or a folder of photos) or a clip (a video, or a folder
        of numbered frames: ``StudioClips.clip_in``)."""
        clip = self.clips.clip_in(paths)
        if clip is not None:
            self.clips.open(clip)
            return
        files, skipped = expand_inputs(paths)
        self._tell_skipped(skipped)
        problems = []
        for candidate in files:  # a folder may hold a few unreadable files: open the first good one
            problem = self._photo_problem(str(candidate))
            if problem is None:
                break
            problems.append(problem)
        else:
            reason = "; ".join(problems[:3]) or "no pictures Impasto reads"
            self.tell(f"Nothing opened: {reason}. Choose another photo.", error=True)
            return
        self.batch = files if len(files) > 1 else []
        if self.batch:
            self.tell(f"Batch of {len(files)} images: Export renders them all into a folder.")
        self.change(self._with_photo(str(candidate)), True, "Open photo")

    def paste_photo(self, picture: Picture) -> None:
        problem = proportions_problem(*picture.size)
        if problem is not None:
            self.tell(f"The pasted image: {problem}.", error=True)
            return
        self.change(self._with_photo(self.pictures.add_pasted(picture)), True, "Paste photo")

    def add_paintings(self, paths: list[Path]) -> None:
        files, skipped = expand_inputs(paths)
        added, refused = [], []
        for path in files:
            try:
                picture = load_picture(path)
                problem = proportions_problem(*picture.size)
                if problem is not None:
                    refused.append(f"{path.name}: {problem}")
                    continue
                style = self.library.add(path, read=True)
                self.pictures.remember_painting(style.style_id, picture)
                added.append(StyleKey.painting(style.style_id))
            except ImpastoError as exc:
                refused.append(str(exc))
        if not files and not skipped:
            self.tell("Nothing to add: no pictures in what was dropped.", error=True)
        elif refused or skipped:
            reasons = refused + [f"{s.path.name}: {s.reason}" for s in skipped]
            self.tell(f"Not added as paintings ({len(reasons)}): " + "; ".join(reasons[:4])
                      + ("; …" if len(reasons) > 4 else ""), error=True)
        if added:
            self.paintings_changed.emit(self.painting_entries())
            self.change(self.state.with_styles(added), True, "Add painting")

    def rename_painting(self, style_id: str, name: str) -> None:
        self.library.rename(style_id, name)
        self.paintings_changed.emit(self.painting_entries())

    def remove_painting(self, style_id: str) -> None:
        self.library.remove(style_id)
        removed = StyleKey.painting(style_id)
        keys = [k for k in self.state.style_keys if k != removed]
        self.paintings_changed.emit(self.painting_entries())
        self.undo_stack.clear()  # older states may name the removed painting
        new = self.state.with_styles(keys or [StyleKey.preset(0)])
        new = new.with_changes(regions=new.regions.without(removed))
        if self.regions.tool.style == removed:
            self.regions.choose_style(None)
        self._committed = new
        self.apply(new)

    def reorder_paintings(self, order: list[str]) -> None:
        for position, style_id in enumerate(order):
            self.library.move(style_id, position)
        self.paintings_changed.emit(self.painting_entries())

    def painting_entries(self) -> list[tuple[str, str, Path]]:
        return [(s.style_id, s.name, self.library.path(s)) for s in self.library.styles]

    def style_name(self, key: StyleKey) -> str:
        """What the artist calls a style (a layer of an exported .ora is named so)."""
        if key.kind == "preset":
            return PRESET_NAMES[key.ident]
        if key.kind == "painting":
            try:
                return self.library.get(key.ident).name
            except KeyError:
                return "painting"
        return "the photo itself"

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

    def apply(self, state: StudioState, draft: bool = False) -> None:
        """Show ``state`` and preview it. A draft (mid-drag) state is not yet an undo step."""
        old, self.state = self.state, state
        if not draft:
            self._committed = state
        if old != state:
            self.state_changed.emit(old, state)
        if (old.content, old.content_kind) != (state.content, state.content_kind):
            self._show_content()
        if state.style_kind is None and state.style_keys:
            self.tell("Blend presets with presets, or paintings with paintings.", error=True)
        self.preview(draft)

    @property
    def drafting(self) -> bool:
        """A slider moves on the CPU: drafts are painted, and the full preview comes when it rests."""
        return self._refine_timer.isActive()

    def preview(self, draft: bool) -> None:
        """Preview the state: while a slider (or the timeline) moves, a draft on the CPU, with a
        full preview once it rests; else the full preview."""
        on_cpu = self.device.startswith("CPU")
        if not draft:
            self._refine_timer.stop()
        self.previews.schedule(draft=draft and on_cpu, interrupts=not draft)
        if draft and on_cpu:
            self._refine_timer.start()

    # -- pictures -------------------------------------------------------------------------

    def photo(self, key: str | None = None) -> Picture | None:
        """The photo ``key`` (the current one by default), or None with the reason told. For a
        clip, its frame under the timeline once a preview has decoded it, else None."""
        if key is None and self.state.content_kind == "clip":
            return self.clips.frame_shown()
        return self._checked_photo(self.state.content if key is None else key)

    def _readable(self, key: str, kind: ContentKind) -> bool:
        if kind == "picture":
            return self._checked_photo(key) is not None
        try:
            self.clips.loaded.get(key)
        except ImpastoError as exc:
            self.tell(f"{exc}. Open the clip again or choose another.", error=True)
            return False
        return True

    def _checked_photo(self, key: str) -> Picture | None:
        try:
            return self.pictures.photo(key)
        except ImpastoError as exc:
            self.tell(f"{exc}. Open the photo again or choose another.", error=True)
        except KeyError:
            self.tell("That pasted photo is no longer kept; paste it again.", error=True)
        return None

    def _photo_problem(self, key: str) -> str | None:
        try:
            picture = self.pictures.photo(key)
        except ImpastoError as exc:
            return str(exc)
        problem = proportions_problem(*picture.size)
        return None if problem is None else f"{picture.name}: {problem}"

    def _with_photo(self, key: str) -> StudioState:
        return self.with_content(key, "picture", self.pictures.photo(key).size)

    def with_content(self, key: str, kind: ContentKind, size: tuple[int, int]) -> StudioState:
        """The state with the photo or clip ``key`` of ``size``: the regions stay if they fit its
        proportions."""
        regions = self.state.regions
        if regions and regions.size != mask_size(size):
            self.tell("The regions were left out: they were painted on a picture of other proportions "
                      "(Undo brings them back).")
            regions = Regions(mask_size(size))
        return self.state.with_changes(content=key, content_kind=kind, regions=regions)

    def _show_content(self) -> None:
        """The content changed: a clip's timeline (its frame comes with its preview), or the photo."""
        self.clips.show()
        if self.state.content_kind == "clip":
            return
        photo = self.photo()
        if photo is not None:
            before = self.pictures.photo_shrunk(self.state.content, self.app_settings.preview_long_side)
            self.show_picture(before, photo.name, photo.size)

    def show_picture(self, before: Picture | None, name: str, size: tuple[int, int], clip: ClipInfo | None = None):
        self.photo_changed.emit(PhotoView(before, name, size, clip))

    # -- events from the render thread ----------------------------------------------------

    def _on_event(self, event) -> None:
        if isinstance(event, EngineStatus):
            if event.error:
                self.tell(f"The renderer could not start: {event.error}", error=True)
            else:
                self.set_device(event.device)
            return
        handler = event.job.payload
        if handler is not None:
            handler(event)

    def set_device(self, device: str) -> None:
        if device and device != self.device:
            self.device = device
            self.device_changed.emit(device)

    def _on_thumbnail(self, index: int, event: JobEvent) -> None:
        if event.ended:
            self.thumbnails_pending.discard(index)
            if event.value is not None:
                self.thumbnail_ready.emit(index, event.value)

    def tell(self, text: str, error: bool = False, folder: Path | None = None, settles: bool = False) -> None:
        self.message.emit(Message(text, error, folder, settles))

    def _tell_skipped(self, skipped) -> None:
        if skipped:
            listed = "; ".join(f"{s.path.name}: {s.reason}" for s in skipped[:4])
            self.tell(f"Skipped {len(skipped)}: {listed}" + ("; …" if len(skipped) > 4 else ""), error=True)

