"""The studio's sessions: File > Save session and Open session, and the recent ones.

Opening a session is one undo step, so the work it replaces is never lost: Undo brings it
back. A session that cannot be opened changes nothing and says why in the banner. The autosave
(``recovery``) is written and read back in the same format, quietly: it is nobody's saved file."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.studio.content import StudioContent
from desktop.studio.core import StudioCore
from desktop.studio.library import StyleLibrary
from desktop.studio.pictures import PASTED_PREFIX, SAMPLE_KEY
from desktop.studio.region_masks import mask_size
from desktop.studio.session_file import (
    PhotoRef,
    SessionError,
    file_sha256,
    learned_styles_missing,
    read_session,
    resolve,
    save_session,
)
from desktop.studio.state import StudioState
from engine import ImpastoError, Picture

RECENT_KEPT = 8
log = logging.getLogger(__name__)


class StudioSessions(QObject):
    recent_changed = Signal(object)  # [path], the latest first

    def __init__(self, core: StudioCore, content: StudioContent, library: StyleLibrary):
        super().__init__()
        self._core, self._content, self._library = core, content, library
        self._unlearned: list[str] = []  # the last session read: paintings whose learned style is gone

    @property
    def recent(self) -> list[str]:
        return list(self._core.app_settings.recent_sessions)

    def save(self, path: Path) -> bool:
        """Save the studio's work to ``path`` (replacing it: the save dialog asked)."""
        core = self._core
        state = core.state
        try:
            photo, embedded = self._photo_ref(state.content)
            save_session(path, state, photo, self._library, embedded)
        except (OSError, ImpastoError, KeyError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            core.tell(f"The session was not saved to {path}: {reason}. Choose another folder or name.", error=True)
            return False
        self._remember(path)
        core.undo_stack.setClean()  # nothing unsaved: quitting need not ask
        core.tell(f"Session saved: {path}")
        return True

    def open(self, path: Path) -> bool:
        """Open the session in ``path`` as one undo step; on any problem, say why and change nothing."""
        state = self._read(path)
        if isinstance(state, str):
            self._core.tell(state, error=True)
            if not path.exists():
                self.forget(path)
            return False
        self._content.batch = []
        self._core.change(state, True, "Open session")
        self._core.undo_stack.setClean()
        self._remember(path)
        note = ""
        if self._unlearned:
            note = (f"; {', '.join(self._unlearned)} painted with a learned style when it was saved and paints as it "
                    "is now (right-click it, Learn this style, to learn it again)")
        self._core.tell(f"Session opened: {path.name} (Undo returns to what was there before){note}", settles=True)
        return True

    def write_autosave(self, path: Path) -> bool:
        """The work as it is, to ``path``: not remembered, not marking it saved. Failing is logged."""
        try:
            photo, embedded = self._photo_ref(self._core.state.content)
            save_session(path, self._core.state, photo, self._library, embedded)
        except (OSError, ImpastoError, KeyError) as exc:
            log.warning("autosave to %s failed: %s", path, exc)
            return False
        return True

    def recover(self, path: Path) -> str | None:
        """Bring back an autosave as one undo step, still unsaved (it is in no session yet); or
        say, in a sentence, why it cannot be."""
        state = self._read(path, "the work left when Impasto last stopped")
        if isinstance(state, str):
            return state
        self._content.batch = []
        self._core.change(state, True, "Recover unsaved work")
        self._core.tell("Recovered the work left when Impasto last stopped without closing "
                        "(Undo returns to what was there before)", settles=True)
        return None

    def _read(self, path: Path, what: str = "") -> StudioState | str:
        """The studio's state as the session in ``path`` holds it, or why it cannot be opened."""
        content = self._content
        try:
            session = read_session(path)
            state = resolve(session, path, self._library)
            self._unlearned = learned_styles_missing(session, self._library)
            if session.embedded_photo is not None:
                state = state.with_changes(content=content.pictures.add_pasted(session.embedded_photo))
            elif session.photo.kind == "sample":
                state = state.with_changes(content=SAMPLE_KEY)
            size = self._content_size(state)
        except SessionError as exc:
            return f"{what[0].upper()}{what[1:]} cannot be opened: {exc}" if what else str(exc)
        except ImpastoError as exc:
            kind = "clip" if state.content_kind == "clip" else "photo"
            return f"The {kind} of {what or path.name} cannot be opened: {exc}."
        if state.regions.size != mask_size(size):
            state = state.with_changes(regions=state.regions.resized(mask_size(size)))
        return state

    def _content_size(self, state) -> tuple[int, int]:
        """The size of the session's photo or clip; ImpastoError when it cannot be read."""
        if state.content_kind == "clip":
            self._content.clips.forget(state.content)  # opened afresh: it may have changed
            return self._content.clips.get(state.content).info.size
        return self._content.pictures.photo(state.content).size

    def _photo_ref(self, content: str) -> tuple[PhotoRef, Picture | None]:
        """How the session names its photo, and the picture to store inside it (a pasted photo)."""
        if content == SAMPLE_KEY:
            return PhotoRef("sample"), None
        if content.startswith(PASTED_PREFIX):
            picture = self._content.pictures.photo(content)
            return PhotoRef("embedded"), picture
        path = Path(content).absolute()
        if self._core.state.content_kind == "clip":
            return PhotoRef("clip", str(path)), None
        return PhotoRef("file", str(path), file_sha256(path)), None

    def _remember(self, path: Path) -> None:
        core = self._core
        entry = str(path.absolute())
        recent = [entry] + [p for p in self.recent if p != entry]
        core.app_settings = core.app_settings.with_changes(recent_sessions=recent[:RECENT_KEPT])
        self.recent_changed.emit(self.recent)

    def forget(self, path: Path) -> None:
        core = self._core
        gone = str(path.absolute())
        core.app_settings = core.app_settings.with_changes(recent_sessions=[p for p in self.recent if p != gone])
        self.recent_changed.emit(self.recent)

