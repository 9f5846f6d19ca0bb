"""A preset's gallery thumbnail, rendered on the render thread and kept on disk there."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from engine import Picture, RenderRequest, RenderSettings, preset, save_picture

from .preview_work import ToImage

log = logging.getLogger(__name__)


def thumbnail_work(index: int, sample: Picture, settings: RenderSettings, path: Path, to_image: ToImage):
    """The job: render preset ``index`` on ``sample``, keep it at ``path`` (a cache: failing to
    write it only costs time), hand back ``to_image`` of it for the gallery."""

    def work(engine: Any, token) -> Any:
        picture = engine.render(RenderRequest(sample, preset(index), settings), token).picture
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save_picture(picture, path, overwrite=True)
        except Exception as exc:  # noqa: BLE001 - a cache that cannot be written only costs time
            log.info("preset thumbnail %s not cached: %s", index, exc)
        return to_image(picture)

    return work
