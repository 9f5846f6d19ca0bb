"""The studio: everything the window shows, as state, with no widget in it.

``Studio`` builds the core (the artist's choices with their undo stack, messages, the device,
the door to the render thread), the content (the photo or clip the preview shows) and the
parts, each given only those two: the live preview, the Regions editor, clips, sessions and
exports. Each part declares the signals it emits and the window connects to them. What spans
the library of paintings (adding, renaming, removing one) and opening photos is done here.
Nothing here reads a widget.
"""

from __future__ import annotations

import functools
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from desktop.jobs.render_thread import RenderThread
from desktop.jobs.scheduler import Job, JobEvent, JobKind
from engine import ImpastoError, Picture, expand_inputs, load_picture, proportions_problem

from .content import StudioContent
from .core import StudioCore
from .library import StyleLibrary
from .parts.clips import StudioClips, clip_in
from .parts.exports import StudioExports
from .parts.learning import StyleLearning
from .parts.live_preview import LivePreview
from .parts.region_editor import RegionEditor
from .parts.sessions import StudioSessions
from .paths import AppPaths
from .pictures import PASTED_PREFIX, SAMPLE_KEY, sample_photo
from .recovery import AutosaveSlot
from .settings import AppSettings
from .state import StudioState, remembered_state
from .style_keys import StyleKey, Weights
from .thumbnails import ThumbnailCache, preset_weights_checksum


class Studio(QObject):
    paintings_changed = Signal(object)  # [(style id, name, file, learned)] of the library, in order
    thumbnail_ready = Signal(int, object)  # preset index, QImage
    favourites_changed = Signal(object)  # frozenset of StyleKeys

    def __init__(self, thread: RenderThread, paths: AppPaths, settings: AppSettings):
        super().__init__()
        self.render_thread, self.paths = thread, paths
        self.library = StyleLibrary(paths.styles_dir)
        state = remembered_state(settings, {style.style_id for style in self.library.styles})
        self.core = StudioCore(thread, paths, settings, state)
        self.content = StudioContent(self.core, self.library)
        self.live_preview = LivePreview(self.core, self.content, self.library)
        self.region_editor = RegionEditor(self.core, self.content)
        self.clips = StudioClips(self.core, self.content)
        self.sessions = StudioSessions(self.core, self.content, self.library)
        self.exports = StudioExports(self.core, self.content, self.library)
        self.learning = StyleLearning(self.core, self.content, self.library)
        self.learning.learned_changed.connect(lambda _style_id: self.paintings_changed.emit(self.painting_entries()))
        self.thumbnails = ThumbnailCache(paths.thumbnails_dir, preset_weights_checksum())
        self.thumbnails_pending: set[int] | None = None  # None until the thumbnails are started
        self.autosave_slot = AutosaveSlot.claim(paths.recovery_dir)
        self._autosave_timer = QTimer(self, singleShot=True, interval=max(1, settings.autosave_seconds) * 1000)
        self._autosave_timer.timeout.connect(self.autosave)
        self.core.undo_stack.indexChanged.connect(self._work_changed)  # every step, undo and redo
        self.core.undo_stack.cleanChanged.connect(self._work_changed)  # saved in a session

    @property
    def state(self) -> StudioState:
        return self.core.state

    # -- starting and closing ---------------------------------------------------------------

    def start(self) -> None:
        """Show the remembered photo (or the sample) at once and render its preview."""
        state = self.state
        if not self.content.readable(state.content, state.content_kind):
            state = state.with_changes(content=SAMPLE_KEY, content_kind="picture")
        self.paintings_changed.emit(self.painting_entries())
        self.favourites_changed.emit(self.favourites)
        self.core.start(state)
        if self.autosave_slot is None and self.core.app_settings.autosave_seconds > 0:
            self.core.tell(f"Unsaved work cannot be autosaved: {self.paths.recovery_dir} cannot be written "
                           "(or every autosave slot is held). Save sessions as you go.", error=True)

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
            self.core.submit(Job(JobKind.BACKGROUND, self.thumbnails.render_work(index, sample), f"preset {index}",
                                 functools.partial(self._on_thumbnail, index)))

    def _on_thumbnail(self, index: int, event: JobEvent) -> None:
        if event.ended and self.thumbnails_pending is not None:
            self.thumbnails_pending.discard(index)
            if event.value is not None:
                self.thumbnail_ready.emit(index, event.value)

    def settings_to_keep(self, window_geometry: str, window_state: str = "") -> AppSettings:
        state = self.state
        pasted = state.content.startswith(PASTED_PREFIX)
        return self.core.app_settings.with_changes(
            render=state.settings, last_content=SAMPLE_KEY if pasted else state.content,
            last_content_kind=state.content_kind, window_geometry=window_geometry, window_state=window_state,
            last_styles=[[key.kind, key.ident] for key in state.style_keys], last_weights=list(state.weights))

    def close(self) -> None:
        """Cancel every job and join the render thread; the removed paintings' files go, and the
        autosave too (the artist chose to save or discard the work)."""
        self._autosave_timer.stop()
        self.render_thread.stop()
        self.library.empty_trash()
        if self.autosave_slot is not None:
            self.autosave_slot.release()

    # -- autosave and recovery ------------------------------------------------------------

    def _work_changed(self, _what) -> None:
        if not shiboken6.isValid(self.core.undo_stack):  # a stack being destroyed empties itself
            return
        if self.core.app_settings.autosave_seconds <= 0:
            return
        if self.core.undo_stack.isClean():  # saved in a session, or undone back to it
            self._autosave_timer.stop()
            if self.autosave_slot is not None:
                self.autosave_slot.discard()
        elif not self._autosave_timer.isActive():
            self._autosave_timer.start()  # at most this long of work is ever lost

    def apply_preferences(self, settings: AppSettings) -> None:
        """The Preferences the artist chose: kept, and used from now on (the device from the next
        start: the engine runs on the one it started on)."""
        old, self.core.app_settings = self.core.app_settings, settings
        self.content.pictures.max_input_pixels = settings.max_input_megapixels * 1_000_000
        self._autosave_timer.setInterval(max(1, settings.autosave_seconds) * 1000)
        if settings.autosave_seconds <= 0:
            self._autosave_timer.stop()
        if old.preview_long_side != settings.preview_long_side:
            self.core.request_preview(draft=False)

    def autosave(self) -> None:
        if self.autosave_slot is not None and not self.core.undo_stack.isClean():
            self.sessions.write_autosave(self.autosave_slot.file)

    def work_left_behind(self) -> Path | None:
        """The autosave of a studio that stopped without closing (a crash, a kill), to offer back."""
        return None if self.autosave_slot is None else self.autosave_slot.left_behind()

    def recover_work(self, recover: bool) -> None:
        """The artist's answer to the offer: bring the work back, or let it go. Work that cannot
        be brought back is kept aside under another name, and the banner says where."""
        slot = self.autosave_slot
        if slot is None or slot.left_behind() is None:
            return
        if not recover:
            slot.discard()
            return
        problem = self.sessions.recover(slot.file)
        if problem is None:
            self.autosave()  # the recovered work is this studio's work now
            return
        kept = slot.set_aside()
        where = (f" It is kept in {kept}: open it with File > Open session once what it needs is back."
                 if kept else "")
        self.core.tell(f"{problem}{where}", error=True)

    # -- intents --------------------------------------------------------------------------

    def edit_weights(self, weights: Weights, final: bool) -> None:
        self.core.change(self.state.with_weights(weights), final, "Change blend")

    def choose_styles(self, keys: list[StyleKey]) -> None:
        if keys and tuple(keys) != self.state.style_keys:
            self.core.change(self.state.with_styles(keys), True, "Choose style")

    def open_photos(self, paths: list[Path]) -> None:
        """Open a photo, a batch (several, or a folder of photos) or a clip (a video, or a folder
        of numbered frames: ``clip_in``)."""
        clip = clip_in(paths)
        if clip is not None:
            self.clips.open(clip)
            return
        core, content = self.core, self.content
        files, skipped = expand_inputs(paths)
        self._tell_skipped(skipped)
        problems = []
        for candidate in files:  # a folder may hold a few unreadable files: open the first good one
            problem = content.photo_problem(str(candidate))
            if problem is None:
                break
            problems.append(problem)
        else:
            reason = "; ".join(problems[:3]) or "no pictures Impasto reads"
            core.tell(f"Nothing opened: {reason}. Choose another photo.", error=True)
            return
        content.batch = files if len(files) > 1 else []
        core.change(content.with_photo(str(candidate)), True, "Open photo")
        # what went wrong with an earlier file is over: its banner goes
        core.tell(f"Batch of {len(files)} images: Export renders them all into a folder." if content.batch
                  else f"Opened {candidate.name}", settles=not (problems or skipped))

    def paste_photo(self, picture: Picture) -> None:
        problem = proportions_problem(*picture.size)
        if problem is not None:
            self.core.tell(f"The pasted image: {problem}.", error=True)
            return
        self.core.change(self.content.with_photo(self.content.pictures.add_pasted(picture)), True, "Paste photo")

    # -- the library of paintings ---------------------------------------------------------

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
                self.content.pictures.remember_painting(style.style_id, picture)
                added.append(StyleKey.painting(style.style_id))
            except ImpastoError as exc:
                refused.append(str(exc))
        if not files and not skipped:
            self.core.tell("Nothing to add: no pictures in what was dropped.", error=True)
        elif refused or skipped:
            reasons = refused + [f"{s.path.name}: {s.reason}" for s in skipped]
            self.core.tell(f"Not added as paintings ({len(reasons)}): " + "; ".join(reasons[:4])
                           + ("; …" if len(reasons) > 4 else ""), error=True)
        if added:
            self.paintings_changed.emit(self.painting_entries())
            self.core.change(self.state.with_styles(added), True, "Add painting")

    def rename_painting(self, style_id: str, name: str) -> None:
        self.library.rename(style_id, name)
        self.paintings_changed.emit(self.painting_entries())

    def remove_painting(self, style_id: str) -> None:
        """Take a painting out of the gallery, and its regions with it, as one undo step: undo
        puts it back where it was (the library keeps its file until the studio closes)."""
        name = self.library.get(style_id).name
        removed = StyleKey.painting(style_id)
        keys = [k for k in self.state.style_keys if k != removed]
        new = self.state.with_styles(keys or [StyleKey.preset(0)])
        new = new.with_changes(regions=new.regions.without(removed))
        if self.region_editor.tool.style == removed:
            self.region_editor.choose_style(None)
        self.core.change_beside(new, f"Remove painting {name}", functools.partial(self._library_step, "remove", style_id),
                                functools.partial(self._library_step, "restore", style_id))

    def _library_step(self, step: str, style_id: str) -> None:
        getattr(self.library, step)(style_id)
        self.paintings_changed.emit(self.painting_entries())

    def reorder_paintings(self, order: list[str]) -> None:
        for position, style_id in enumerate(order):
            self.library.move(style_id, position)
        self.paintings_changed.emit(self.painting_entries())

    @property
    def favourites(self) -> frozenset[StyleKey]:
        return frozenset(StyleKey(*entry) for entry in self.core.app_settings.favourite_styles
                         if isinstance(entry, list) and len(entry) == 2)

    def set_favourite(self, key: StyleKey, favourite: bool) -> None:
        """Mark a style (a preset or a painting) as a favourite, or not: kept in the settings."""
        keys = set(self.favourites) | {key} if favourite else set(self.favourites) - {key}
        ordered = sorted(keys, key=lambda k: (k.kind, str(k.ident)))
        self.core.app_settings = self.core.app_settings.with_changes(
            favourite_styles=[[k.kind, k.ident] for k in ordered])
        self.favourites_changed.emit(self.favourites)

    def painting_entries(self) -> list[tuple[str, str, Path, bool]]:
        """(style id, name, file, whether a style was learned from it) of each painting, in order."""
        return [(s.style_id, s.name, self.library.path(s), self.library.has_learned(s.style_id))
                for s in self.library.styles]

    def _tell_skipped(self, skipped) -> None:
        if skipped:
            listed = "; ".join(f"{s.path.name}: {s.reason}" for s in skipped[:4])
            self.core.tell(f"Skipped {len(skipped)}: {listed}" + ("; …" if len(skipped) > 4 else ""), error=True)
