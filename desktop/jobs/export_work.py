"""Export jobs: a full-resolution render and an atomic save, both on the render thread.

A batch is one job per photo; each job carries its photo's path and decodes it on the render
thread, so the window never waits on forty photos before the first render. A clip is one job
too (``clip_export_work``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine import (
    InvalidRequestError,
    RenderRequest,
    RenderSettings,
    load_picture,
    proportions_problem,
    render_layers,
    save_picture,
    write_openraster,
)


@dataclass(frozen=True)
class ExportOutput:
    path: Path
    notes: tuple[str, ...]


def export_work(request: RenderRequest, target: Path, overwrite: bool):
    def work(engine: Any, token) -> ExportOutput:
        result = engine.render(request, token)
        return ExportOutput(save_picture(result.picture, target, overwrite=overwrite), result.notes)

    return work


def layers_work(request: RenderRequest, target: Path, overwrite: bool, style_name: str | None = None):
    """The photo, the style (its layer named ``style_name``: as the gallery names it) and each
    region as layers of an OpenRaster file (Krita, GIMP, MyPaint)."""

    def work(engine: Any, token) -> ExportOutput:
        layered = render_layers(engine, request, token, style_name)
        return ExportOutput(write_openraster(layered, target, overwrite=overwrite), layered.merged.notes)

    return work


def batch_photo_work(source: Path, max_pixels: int, style, settings: RenderSettings, target: Path, regions=()):
    """One photo of a batch: decoded here, on the render thread, only when its turn comes. The
    regions (``StyleRegion``s) are stretched to each photo."""

    def work(engine: Any, token) -> ExportOutput:
        photo = load_picture(source, max_pixels)
        problem = proportions_problem(*photo.size)
        if problem is not None:
            raise InvalidRequestError(f"{source.name}: {problem}")
        result = engine.render(RenderRequest(photo, style, settings, regions), token)
        return ExportOutput(save_picture(result.picture, target, overwrite=False), result.notes)

    return work
