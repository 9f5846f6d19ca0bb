"""Autosave slots: where the work in progress is written, as a session, so that a crash, a
power cut or a kill loses at most a few seconds of it.

Each running studio holds one slot, a lock file beside its autosave file. A slot whose lock is
free but whose autosave file is still there belongs to a studio that did not close: its work is
offered back at the next start. Several studios running at once each take their own slot.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QLockFile

log = logging.getLogger(__name__)
SLOTS = 8


class AutosaveSlot:
    def __init__(self, folder: Path, number: int, lock: QLockFile):
        self.file = folder / f"autosave-{number}.impasto"
        self._lock = lock

    @classmethod
    def claim(cls, folder: Path) -> AutosaveSlot | None:
        """The first free slot in ``folder`` (a lock left by a process that is gone is free), or
        None when every slot is held or the folder cannot be written: then nothing is autosaved."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("no autosave: %s", exc)
            return None
        for number in range(SLOTS):
            lock = QLockFile(str(folder / f"autosave-{number}.lock"))
            lock.setStaleLockTime(0)  # stale only when its process is gone, however long it ran
            if lock.tryLock(0):
                return cls(folder, number, lock)
        log.warning("no autosave: all %d slots in %s are held by running studios", SLOTS, folder)
        return None

    def left_behind(self) -> Path | None:
        """The autosave of a studio that did not close properly, if this slot holds one."""
        return self.file if self.file.is_file() else None

    def set_aside(self) -> Path | None:
        """Keep an autosave that could not be recovered under another name (never delete work):
        the new name, or None if it could not be moved."""
        kept = self.file.with_name(f"unrecovered-{time.strftime('%Y%m%d-%H%M%S')}.impasto")
        try:
            self.file.replace(kept)
        except OSError as exc:
            log.warning("could not set the autosave aside: %s", exc)
            return None
        return kept

    def discard(self) -> None:
        """Nothing to recover any more (the work was saved, or the artist said so)."""
        try:
            self.file.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove the autosave %s: %s", self.file, exc)

    def release(self) -> None:
        """The studio closed properly: the autosave goes, and the slot is free for the next one."""
        self.discard()
        self._lock.unlock()
