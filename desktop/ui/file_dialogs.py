"""The File menu's dialogs for exports and sessions: each asks for a file, then hands it to the
studio (which says what happened in the banner or the status bar). Each is given the window
that parents its dialog and the studio."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.studio import SESSION_FILTER, SESSION_SUFFIX, Studio
from engine import VIDEO_OUTPUT_SUFFIXES, ClipTarget

EXPORT_FILTERS = "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;TIFF (*.tif *.tiff)"
LAYERS_FILTER = "OpenRaster (*.ora)"
# The save dialog's choices: a video in each container the engine writes (the codec goes with
# the container: engine/video/codecs.py), or numbered PNG frames in a new folder ("").
CLIP_FILTERS = {
    "MP4 video (*.mp4)": ".mp4",
    "Matroska video (*.mkv)": ".mkv",
    "WebM video (*.webm)": ".webm",
    "QuickTime video, ProRes for editing (*.mov)": ".mov",
    "PNG frames in a new folder (*)": "",
}


def clip_target(name: str, chosen_filter: str) -> ClipTarget:
    """The save dialog's answer as a target. A video may replace a file only under the very name
    the dialog asked about; a suffix added here names another file, which it never asked about.
    A folder of frames must be new or empty (the engine never merges frames into a folder)."""
    path = Path(name)
    if path.suffix.lower() in VIDEO_OUTPUT_SUFFIXES:
        return ClipTarget(path, overwrite=True)
    suffix = CLIP_FILTERS.get(chosen_filter, ".mp4")
    return ClipTarget(path.with_name(path.name + suffix)) if suffix else ClipTarget(path)


def _start_folder(studio: Studio) -> Path:
    recent = studio.sessions.recent
    return Path(recent[0]).parent if recent else _export_folder(studio)


def _export_folder(studio: Studio) -> Path:
    settings = studio.core.app_settings
    return Path(settings.export_dir or settings.last_export_dir or Path.home())


def _photo_stem(studio: Studio) -> str:
    shown = studio.content.source()
    return Path(shown.name).stem if shown is not None else "art"


def _with_suffix(name: str, suffix: str) -> tuple[Path, bool]:
    """The chosen file with ``suffix``, and whether it may replace a file: only the one the dialog
    asked about (a suffix added here names another file, which it never asked about)."""
    path = Path(name)
    if path.suffix.lower() == suffix:
        return path, True
    return path.with_name(path.name + suffix), False


def export(window: QWidget, studio: Studio) -> None:
    """Export (Ctrl+E): a batch into a folder, a clip as a video or frames, or the picture."""
    start = _export_folder(studio)
    if studio.content.batch:
        folder = QFileDialog.getExistingDirectory(window, "Export all images into…", str(start))
        if folder:
            studio.exports.export_batch(Path(folder))
    elif studio.content.clip is not None:
        name, chosen = QFileDialog.getSaveFileName(window, "Export clip", str(start / f"{_photo_stem(studio)}_impasto.mp4"),
                                                   ";;".join(CLIP_FILTERS))
        if name:
            studio.exports.export_clip_to(clip_target(name, chosen))
    else:
        suggestion = start / f"{_photo_stem(studio)}_impasto.{studio.core.app_settings.export_format}"
        name, _ = QFileDialog.getSaveFileName(window, "Export picture", str(suggestion), EXPORT_FILTERS)
        if name:
            studio.exports.export_to(Path(name), overwrite=True)  # the dialog asked before replacing a file


def export_layers(window: QWidget, studio: Studio) -> None:
    start = _export_folder(studio)
    name, _ = QFileDialog.getSaveFileName(window, "Export layers", str(start / f"{_photo_stem(studio)}_layers.ora"),
                                          LAYERS_FILTER)
    if name:
        target, overwrite = _with_suffix(name, ".ora")
        studio.exports.export_layers_to(target, overwrite=overwrite)


def save_session(window: QWidget, studio: Studio) -> bool:
    """Whether the work was saved (not when the dialog was cancelled or the save failed)."""
    suggestion = _start_folder(studio) / f"{_photo_stem(studio)}{SESSION_SUFFIX}"
    name, _ = QFileDialog.getSaveFileName(window, "Save session", str(suggestion), SESSION_FILTER)
    if not name:
        return False
    target, may_replace = _with_suffix(name, SESSION_SUFFIX)
    if not may_replace and target.exists():
        studio.core.tell(f"{target} already exists; choose another name.", error=True)
        return False
    return studio.sessions.save(target)


def open_session(window: QWidget, studio: Studio) -> None:
    name, _ = QFileDialog.getOpenFileName(window, "Open session", str(_start_folder(studio)),
                                          f"{SESSION_FILTER};;All files (*)")
    if name:
        studio.sessions.open(Path(name))
