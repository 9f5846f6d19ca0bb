"""Preset thumbnails for the gallery: rendered by the engine on the sample photo, in the
background, and cached on disk so later launches show them at once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QPixmap

from engine import PRESET_COUNT, Picture, RenderRequest, RenderSettings, preset, save_picture

from .qt_images import picture_to_pixmap
from .widgets.gallery import THUMB, Gallery
from .worker import RenderWorker

log = logging.getLogger(__name__)

# Thumbnails are swatches: strokes a little bigger than default read well at 72 px, and a
# 512-px working size renders the 26 of them in a few seconds on a CPU.
THUMBNAIL_SETTINGS = RenderSettings(stroke=2.0, output_long_side=THUMB * 2)
CACHE_VERSION = 1


class PresetThumbnails:
    def __init__(self, worker: RenderWorker, folder: Path, gallery: Gallery, sample: Callable[[], Picture]):
        self.folder, self.gallery = folder, gallery
        worker.background_done.connect(self._done)
        self.pending: set[int] = set()
        missing = []
        for index in range(PRESET_COUNT):
            pixmap = QPixmap(str(self._path(index)))
            if pixmap.isNull():
                missing.append(index)
            else:
                gallery.set_preset_thumbnail(index, pixmap)
        if missing:
            photo = sample()
            self.pending = set(missing)
            for index in missing:
                worker.queue_background(("preset-thumbnail", index), lambda engine, i=index: engine.render(
                    RenderRequest(photo, preset(i), THUMBNAIL_SETTINGS)).picture)

    def _path(self, index: int) -> Path:
        return self.folder / f"preset-{index:02d}-v{CACHE_VERSION}.png"

    def _done(self, key, picture) -> None:
        if not (isinstance(key, tuple) and key[0] == "preset-thumbnail"):
            return
        index = key[1]
        self.pending.discard(index)
        self.gallery.set_preset_thumbnail(index, picture_to_pixmap(picture))
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            save_picture(picture, self._path(index), overwrite=True)
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be written only costs time
            log.info("preset thumbnail %s not cached: %s", index, exc)
