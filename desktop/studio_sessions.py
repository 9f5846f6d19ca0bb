"""The studio's sessions: File > Save session and Open session, and the recent ones.

Opening a session is one undo step, so the work it replaces is never lost: Undo brings it
back. A session that cannot be opened changes nothing and says why in the banner."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from engine import ImpastoError, Picture

from .loaded_pictures import PASTED_PREFIX, SAMPLE_KEY
from .regions import mask_size
from .sessions import PhotoRef, SessionError, file_sha256, read_session, resolve, save_session

if TYPE_CHECKING:
    from .studio import Studio

RECENT_KEPT = 8


class StudioSessions:
    def __init__(self, studio: Studio):
        self._studio = studio

    @property
    def recent(self) -> list[str]:
        return list(self._studio.app_settings.recent_sessions)

    def save(self, path: Path) -> bool:
        """Save the studio's work to ``path`` (replacing it: the save dialog asked)."""
        studio = self._studio
        state = studio.state
        try:
            photo, embedded = self._photo_ref(state.content)
            save_session(path, state, photo, studio.library, embedded)
        except (OSError, ImpastoError, KeyError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            studio.tell(f"The session was not saved to {path}: {reason}. Choose another folder or name.", error=True)
            return False
        self._remember(path)
        studio.tell(f"Session saved: {path}")
        return True

    def open(self, path: Path) -> bool:
        """Open the session in ``path`` as one undo step; on any problem, say why and change nothing."""
        studio = self._studio
        try:
            session = read_session(path)
            state = resolve(session, path, studio.library)
            if session.embedded_photo is not None:
                state = state.with_changes(content=studio.pictures.add_pasted(session.embedded_photo))
            elif session.photo.kind == "sample":
                state = state.with_changes(content=SAMPLE_KEY)
            size = self._content_size(state)
        except SessionError as exc:
            studio.tell(str(exc), error=True)
            if not path.exists():
                self.forget(path)
            return False
        except ImpastoError as exc:
            what = "clip" if state.content_kind == "clip" else "photo"
            studio.tell(f"The {what} of {path.name} cannot be opened: {exc}.", error=True)
            return False
        if state.regions.size != mask_size(size):
            state = state.with_changes(regions=state.regions.resized(mask_size(size)))
        studio.batch = []
        studio.change(state, True, "Open session")
        self._remember(path)
        studio.tell(f"Session opened: {path.name} (Undo returns to what was there before)", settles=True)
        return True

    def _content_size(self, state) -> tuple[int, int]:
        """The size of the session's photo or clip; ImpastoError when it cannot be read."""
        if state.content_kind == "clip":
            self._studio.clips.loaded.forget(state.content)  # opened afresh: it may have changed
            return self._studio.clips.loaded.get(state.content).info.size
        return self._studio.pictures.photo(state.content).size

    def _photo_ref(self, content: str) -> tuple[PhotoRef, Picture | None]:
        """How the session names its photo, and the picture to store inside it (a pasted photo)."""
        studio = self._studio
        if content == SAMPLE_KEY:
            return PhotoRef("sample"), None
        if content.startswith(PASTED_PREFIX):
            picture = studio.pictures.photo(content)
            return PhotoRef("embedded"), picture
        path = Path(content).absolute()
        if studio.state.content_kind == "clip":
            return PhotoRef("clip", str(path)), None
        return PhotoRef("file", str(path), file_sha256(path)), None

    def _remember(self, path: Path) -> None:
        studio = self._studio
        entry = str(path.absolute())
        recent = [entry] + [p for p in self.recent if p != entry]
        studio.app_settings = studio.app_settings.with_changes(recent_sessions=recent[:RECENT_KEPT])
        studio.recent_sessions_changed.emit(self.recent)

    def forget(self, path: Path) -> None:
        studio = self._studio
        gone = str(path.absolute())
        studio.app_settings = studio.app_settings.with_changes(recent_sessions=[p for p in self.recent if p != gone])
        studio.recent_sessions_changed.emit(self.recent)

