"""A region on its way to the render thread: its style resolved (on the GUI thread, where the
pictures are kept) and its 8-bit mask, made into the engine's ``StyleRegion`` there, so a brush
tick does not pay for the float mask."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from engine import RegionStyle, RenderRequest, StyleRegion


@dataclass(frozen=True, eq=False)
class RegionSource:
    style: RegionStyle
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
        part = np.asarray(Image.fromarray(self.mask).resize(size, Image.Resampling.BILINEAR, box=pixels))
        return RegionSource(self.style, part, self.name, self.strength)


def with_regions(request: RenderRequest, sources: tuple[RegionSource, ...]) -> RenderRequest:
    """``request`` with its regions (the same request id). A crop's mask may be all black: that
    region goes nowhere in it and is left out."""
    regions = tuple(source.region() for source in sources if source.mask.any())
    return replace(request, regions=regions) if regions else request
