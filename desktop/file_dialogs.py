"""The File menu's dialogs for exports and sessions: each asks for a file, then hands it to the
studio (which says what happened in the banner or the status bar)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from .clip_export import CLIP_FILTERS, clip_target
from .exports import EXPORT_FILTERS, LAYERS_FILTER
from .sessions import FILTER as SESSION_FILTER
from .sessions import SUFFIX as SESSION_SUFFIX

if TYPE_CHECKING:
    from .main_window import MainWindow


def _start_folder(window: MainWindow) -> Path:
    studio = window.studio
    recent = studio.sessions.recent
    return Path(recent[0]).parent if recent else Path(studio.app_settings.last_export_dir or Path.home())


def _photo_stem(window: MainWindow) -> str:
    shown = window.studio.clips.preview_source()
    return Path(shown.name).stem if shown is not None else "art"


def _with_suffix(name: str, suffix: str) -> tuple[Path, bool]:
    """The chosen file with ``suffix``, and whether it may replace a file: only the one the dialog
    asked about (a suffix added here names another file, which it never asked about)."""
    path = Path(name)
    if path.suffix.lower() == suffix:
        return path, True
    return path.with_name(path.name + suffix), False


def export(window: MainWindow) -> None:
    """Export (Ctrl+E): a batch into a folder, a clip as a video or frames, or the picture."""
    studio = window.studio
    start = Path(studio.app_settings.last_export_dir or Path.home())
    if studio.batch:
        folder = QFileDialog.getExistingDirectory(window, "Export all images into…", str(start))
        if folder:
            studio.exports.export_batch(Path(folder))
    elif studio.clips.current is not None:
        name, chosen = QFileDialog.getSaveFileName(window, "Export clip", str(start / f"{_photo_stem(window)}_impasto.mp4"),
                                                   ";;".join(CLIP_FILTERS))
        if name:
            studio.exports.export_clip_to(clip_target(name, chosen))
    else:
        suggestion = start / f"{_photo_stem(window)}_impasto.{studio.app_settings.export_format}"
        name, _ = QFileDialog.getSaveFileName(window, "Export picture", str(suggestion), EXPORT_FILTERS)
        if name:
            studio.exports.export_to(Path(name), overwrite=True)  # the dialog asked before replacing a file


def export_layers(window: MainWindow) -> None:
    start = Path(window.studio.app_settings.last_export_dir or Path.home())
    name, _ = QFileDialog.getSaveFileName(window, "Export layers", str(start / f"{_photo_stem(window)}_layers.ora"),
                                          LAYERS_FILTER)
    if name:
        target, overwrite = _with_suffix(name, ".ora")
        window.studio.exports.export_layers_to(target, overwrite=overwrite)


def save_session(window: MainWindow) -> None:
    suggestion = _start_folder(window) / f"{_photo_stem(window)}{SESSION_SUFFIX}"
    name, _ = QFileDialog.getSaveFileName(window, "Save session", str(suggestion), SESSION_FILTER)
    if name:
        target, may_replace = _with_suffix(name, SESSION_SUFFIX)
        if not may_replace and target.exists():
            window.studio.tell(f"{target} already exists; choose another name.", error=True)
            return
        window.studio.sessions.save(target)


def open_session(window: MainWindow) -> None:
    name, _ = QFileDialog.getOpenFileName(window, "Open session", str(_start_folder(window)),
                                          f"{SESSION_FILTER};;All files (*)")
    if name:
        window.studio.sessions.open(Path(name))
