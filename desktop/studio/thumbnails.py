"""Preset thumbnails for the gallery: rendered by the engine on the sample photo, in the
background, and cached on disk under the preset network's checksum, so a later launch shows
them at once and new weights never show old pictures."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtGui import QImage

from desktop.jobs.thumbnail_work import thumbnail_work
from engine import Picture, RenderSettings, resource_path

from .qt_images import picture_to_qimage

log = logging.getLogger(__name__)

THUMB_SIZE = (84, 56)  # the sample photo's 3:2, so a gallery cell holds no empty band
# Thumbnails are swatches: strokes a little bigger than default read well this small, and a
# 512-px working size renders the 26 of them in a few seconds on a CPU.
THUMBNAIL_SETTINGS = RenderSettings(stroke=2.0, output_long_side=THUMB_SIZE[0] * 2)
PRESET_WEIGHTS_FILE = "multistyle26.safetensors"


def preset_weights_checksum() -> str:
    """The SHA-256 of the preset network's weights, from the manifest they are checked against."""
    try:
        manifest = json.loads(resource_path("models", "manifest.json").read_text())
        return manifest["files"][PRESET_WEIGHTS_FILE]["sha256"]
    except (OSError, ValueError, KeyError) as exc:
        log.info("no checksum for the preset thumbnails' cache (%s)", exc)
        return "unknown"


class ThumbnailCache:
    def __init__(self, folder: Path, checksum: str):
        self.folder = folder / checksum[:16]

    def path(self, index: int) -> Path:
        return self.folder / f"preset-{index:02d}.png"

    def cached(self, index: int) -> QImage | None:
        image = QImage(str(self.path(index)))
        return None if image.isNull() else image

    def render_work(self, index: int, sample: Picture):
        """The job: render on the render thread, keep it on disk, hand back an image for the gallery."""
        return thumbnail_work(index, sample, THUMBNAIL_SETTINGS, self.path(index), picture_to_qimage)
