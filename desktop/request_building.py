"""From the studio's state to the engine's requests: the style, the regions, and the settings of
each kind of render (preview, drag draft, actual-size detail, export)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

from engine import PHOTO, REFERENCE_LONG_SIDE, PaintingBlend, PresetBlend, RenderRequest, RenderSettings, StyleRegion

from .studio_state import StudioState, StyleKey

if TYPE_CHECKING:
    from .loaded_pictures import LoadedPictures


def style_spec(state: StudioState, pictures: LoadedPictures) -> PresetBlend | PaintingBlend:
    """Raises ImpastoError (bad weights, unreadable painting) or KeyError (painting gone)."""
    if state.style_kind == "preset":
        return PresetBlend(tuple(key.ident for key in state.style_keys), state.weights)
    return PaintingBlend(tuple(pictures.painting(key.ident) for key in state.style_keys), state.weights)


def region_style(key: StyleKey, pictures: LoadedPictures) -> PresetBlend | PaintingBlend | str:
    if key.kind == "preset":
        return PresetBlend((key.ident,), (1.0,))
    if key.kind == "painting":
        return PaintingBlend((pictures.painting(key.ident),), (1.0,))
    return PHOTO


@dataclass(frozen=True, eq=False)
class RegionSource:
    """A region with its style resolved (on the GUI thread, where the pictures are kept) and its
    8-bit mask, made into the engine's ``StyleRegion`` by whoever renders (the render thread)."""

    style: PresetBlend | PaintingBlend | str
    mask: np.ndarray  # uint8, read-only
    name: str
    strength: float | None = None

    def region(self) -> StyleRegion:
        return StyleRegion(self.style, self.mask.astype(np.float32) / np.float32(255), self.name, self.strength)

    def cropped(self, box: tuple[float, float, float, float]) -> RegionSource:
        """The part of the mask over ``box`` (left, top, right, bottom as fractions of the photo)."""
        height, width = self.mask.shape
        pixels = (box[0] * width, box[1] * height, box[2] * width, box[3] * height)
        size = (max(1, round(pixels[2] - pixels[0])), max(1, round(pixels[3] - pixels[1])))
        part = np.asarray(Image.fromarray(self.mask).resize(size, Image.BILINEAR, box=pixels))
        return RegionSource(self.style, part, self.name, self.strength)


def region_sources(state: StudioState, pictures: LoadedPictures, names) -> tuple[RegionSource, ...]:
    """The state's regions ready to render; ``names(key)`` names each (a layer's name). Raises as
    ``style_spec`` does."""
    return tuple(RegionSource(region_style(r.style, pictures), r.mask, names(r.style), r.strength)
                 for r in state.regions.items)


def with_regions(request: RenderRequest, sources: tuple[RegionSource, ...]) -> RenderRequest:
    """``request`` with its regions (the same request id). The masks become floats here: on the
    render thread for previews, so a brush tick does not pay for it. A crop's mask may be all
    black: that region goes nowhere in it and is left out."""
    regions = tuple(source.region() for source in sources if source.mask.any())
    return replace(request, regions=regions) if regions else request


def preview_settings(settings: RenderSettings, long_side: int, draft_long_side: int | None,
                     fade_in_studio: bool) -> RenderSettings:
    """A preview is always fast (high quality is for export). A preset the studio fades itself
    is rendered at full strength once; a drag's draft caps the working size."""
    return settings.with_changes(quality="fast", output_long_side=long_side, max_working_side=draft_long_side,
                                 strength=1.0 if fade_in_studio else settings.strength)


def detail_settings(settings: RenderSettings, photo_size: tuple[int, int],
                    region_size: tuple[int, int]) -> RenderSettings:
    """A crop of the photo at its own pixels, run at the working scale of the whole picture, so
    its strokes are the size they will be in the export."""
    if settings.stroke is None:
        return settings.with_changes(quality="fast", output_long_side=None, max_working_side=None)
    working_long_side = REFERENCE_LONG_SIDE / settings.stroke * max(region_size) / max(photo_size)
    return settings.with_changes(quality="fast", output_long_side=None,
                                 max_working_side=max(16, round(working_long_side)))
