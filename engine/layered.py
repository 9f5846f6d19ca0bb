"""A picture with regions as layers, for an artist to finish in a painting program: the photo at
the bottom, the request's own style over it, then each region's style rendered over the whole
picture (faded to the photo by the region's strength) with its mask as the layer's alpha, or for
a photo region the photo, its alpha the mask less the strength (later regions on top). Alongside,
the render itself as the merged picture, which these layers put together make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from .networks.preset_names import PRESET_NAMES
from .picture import Picture, integer_pixels
from .progress import CancelToken
from .regions import PHOTO, StyleRegion, layer_alphas, prepared_masks
from .render_job import BAND_ROWS, RenderJob
from .rendering.finishing import BandEnlarger
from .request import Layer, LayeredResult, RenderRequest
from .styles import PresetBlend

if TYPE_CHECKING:
    from .engine import Engine


def render_layers(engine: Engine, request: RenderRequest, token: CancelToken | None = None,
                  style_name: str | None = None) -> LayeredResult:
    """The photo, the style over the whole picture (its layer named ``style_name``, or as the
    engine names it) and each region's style, as layers, with the merged picture."""
    token = token or CancelToken()
    count = 2 + len(request.regions)
    merged = engine.render(request, token.subrange(0, 1 / count))
    job = RenderJob(engine.render_context(), request, CancelToken(), engine.plan(request))
    layers = [Layer("photo", _eight_bit(job.photo_out, None))]
    base = engine.render(RenderRequest(request.content, request.style, request.settings), token.subrange(1 / count, 2 / count))
    layers.append(Layer(style_name or _style_name(request.style), _eight_bit(base.picture, None)))
    alphas = _region_alphas(job) if request.regions else []
    for index, region in enumerate(request.regions):
        part = token.subrange((2 + index) / count, (3 + index) / count)
        layers.append(Layer(region.name, _eight_bit(_style_alone(engine, request, region, job.photo_out, part),
                                                    alphas[index])))
    return LayeredResult(merged, tuple(layers))


def _style_alone(engine: Engine, request: RenderRequest, region: StyleRegion, photo: Picture,
                 token: CancelToken) -> Picture:
    """The region's style over the whole picture at the region's strength; the photo itself for a
    photo region."""
    if region.style == PHOTO:
        return photo
    everywhere = StyleRegion(region.style, np.ones((1, 1), np.float32), region.name, region.strength)
    return engine.render(RenderRequest(request.content, region.style, request.settings, regions=(everywhere,)),
                         token).picture


def _region_alphas(job: RenderJob) -> list[np.ndarray]:
    """Each region's mask at output size, 0..255: where its layer covers the layers below."""
    request = job.request
    settings = request.settings
    masks = layer_alphas(request.regions, prepared_masks(request.regions, job.working_photo.tensor(),
                                                         request.content.width, settings.feather, settings.snap_to_edges))
    out_w, out_h = job.plan.output_size
    enlarger = BandEnlarger(masks, (out_w, out_h), cubic=False)
    alphas = np.empty((masks.shape[1], out_h, out_w), dtype=np.uint8)
    for top in range(0, out_h, BAND_ROWS):
        rows = min(BAND_ROWS, out_h - top)
        band = enlarger.band(top, rows)  # (K, rows, width)
        alphas[:, top : top + rows] = (band.clamp(0, 1) * 255 + 0.5).to(torch.uint8).numpy()
    return list(alphas)


def _eight_bit(picture: Picture, alpha: np.ndarray | None) -> Picture:
    pixels = picture.pixels if picture.pixels.dtype == np.uint8 else integer_pixels(picture.tensor(), np.uint8)
    return Picture(np.ascontiguousarray(pixels), alpha, picture.icc_profile, picture.name)


def _style_name(style) -> str:
    if isinstance(style, PresetBlend):
        return " + ".join(PRESET_NAMES[index] for index in style.presets)
    return "painting" if len(style.paintings) == 1 else f"blend of {len(style.paintings)} paintings"
