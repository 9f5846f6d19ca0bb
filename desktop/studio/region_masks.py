"""Regions as the studio holds them: where each style goes, painted with a brush.

A ``Regions`` value is part of ``StudioState``, the unit of undo. Each region is one style of the
gallery (or the photo itself) and an 8-bit mask, read-only, at one working size for the whole
photo (``MASK_LONG_SIDE`` at most; the engine stretches masks to the photo). A stroke makes new
arrays only for the masks it touches, so an undo step holds one mask per touched region and
undo/redo swaps references.

Painting is exclusive: where a stroke paints a style, the other regions give way, so the masks
never add up to more than one (the engine would share overlapping pixels half and half, which
is not what painting over a region means). Pixels no region covers take the studio's style.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image

from .style_keys import StyleKey

MASK_LONG_SIDE = 1024  # masks of a 24 MP photo stay under a megabyte each
BRUSH_SIZE_RANGE = (2.0, 4000.0)  # diameter, photo pixels
_EDGE_PX = 0.75  # even a hard brush gets this much anti-aliasing, in mask pixels

Point = tuple[float, float]  # in photo pixels
Box = tuple[int, int, int, int]  # left, top, right, bottom in mask pixels (right and bottom excluded)


@dataclass(frozen=True)
class Brush:
    size: float = 60.0  # diameter in photo pixels
    softness: float = 0.5  # 0: a hard edge; 1: fades all the way from the centre
    erasing: bool = False  # gives the pixels back to the studio's style

    def __post_init__(self):
        object.__setattr__(self, "size", float(min(max(self.size, BRUSH_SIZE_RANGE[0]), BRUSH_SIZE_RANGE[1])))
        object.__setattr__(self, "softness", float(min(max(self.softness, 0.0), 1.0)))


def mask_size(photo_size: tuple[int, int]) -> tuple[int, int]:
    """The working size of the masks of a photo of ``photo_size``: (width, height)."""
    width, height = photo_size
    scale = min(1.0, MASK_LONG_SIDE / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def frozen(mask: np.ndarray) -> np.ndarray:
    mask.setflags(write=False)
    return mask


@dataclass(frozen=True, eq=False)
class Region:
    style: StyleKey
    mask: np.ndarray  # uint8 (height, width), read-only; 255: this style
    # How much of the style to keep here (0: the photo); None: the engine's default for the style
    # (all of a style; none of the style beneath a photo region).
    strength: float | None = None

    def __eq__(self, other) -> bool:
        if not isinstance(other, Region):
            return NotImplemented
        return (self.style == other.style and self.strength == other.strength
                and (self.mask is other.mask or np.array_equal(self.mask, other.mask)))

    def __hash__(self) -> int:
        return hash(self.style)


@dataclass(frozen=True)
class Regions:
    size: tuple[int, int] = (0, 0)  # (width, height) of every mask
    items: tuple[Region, ...] = ()  # later regions on top

    def __bool__(self) -> bool:
        return bool(self.items)

    @classmethod
    def empty_for(cls, photo_size: tuple[int, int]) -> Regions:
        return cls(mask_size(photo_size))

    @property
    def styles(self) -> tuple[StyleKey, ...]:
        return tuple(region.style for region in self.items)

    def mask_of(self, style: StyleKey) -> np.ndarray | None:
        return next((region.mask for region in self.items if region.style == style), None)

    def strength_of(self, style: StyleKey) -> float | None:
        return next((region.strength for region in self.items if region.style == style), None)

    def with_strength(self, style: StyleKey, strength: float | None) -> Regions:
        return Regions(self.size, tuple(replace(r, strength=strength) if r.style == style else r for r in self.items))

    def with_masks(self, masks: dict[StyleKey, np.ndarray]) -> Regions:
        """New masks for some styles (a style not here yet goes on top); regions left empty go."""
        items = [replace(r, mask=masks.get(r.style, r.mask)) for r in self.items]
        items += [Region(style, mask) for style, mask in masks.items() if style not in self.styles]
        return Regions(self.size, tuple(r for r in items if r.style not in masks or r.mask.any()))

    def resized(self, size: tuple[int, int]) -> Regions:
        """The masks stretched to ``size`` (a session saved with masks of another size)."""
        return Regions(size, tuple(replace(r, mask=frozen(np.asarray(Image.fromarray(r.mask).resize(size, Image.Resampling.BILINEAR))))
                                   for r in self.items))

    def without(self, style: StyleKey) -> Regions:
        return Regions(self.size, tuple(r for r in self.items if r.style != style))

    def inverted(self, style: StyleKey) -> Regions:
        """``style`` everywhere it was not; the other regions give way where it now goes."""
        mask = self.mask_of(style)
        inverse = frozen(255 - mask) if mask is not None else frozen(np.full(self.size[::-1], 255, np.uint8))
        others = {r.style: frozen(np.minimum(r.mask, 255 - inverse)) for r in self.items if r.style != style}
        return self.with_masks({**others, style: inverse})


NO_REGIONS = Regions()
DEFAULT_BRUSH = Brush()


class Stroke:
    """One drag of the brush: the coverage of its dabs so far, at mask size, and the regions it
    makes of the regions it started from. The GUI thread calls ``add`` on every mouse move: the
    work is confined to the box of the new segment, plus one copy of each mask the stroke touches."""

    def __init__(self, start: Regions, style: StyleKey | None, brush: Brush, photo_size: tuple[int, int]):
        if style is None and not brush.erasing:
            raise ValueError("a brush paints a style")
        self.start, self.style, self.brush = start, style, brush
        width, height = start.size
        self._scale = width / photo_size[0], height / photo_size[1]
        self._coverage = np.zeros((height, width), np.uint8)
        self._working: dict[StyleKey, np.ndarray] = {}  # this stroke's masks, written in place
        self._last: tuple[float, float] | None = None

    def add(self, point: Point) -> Box | None:
        """Paint up to ``point``; the box of mask pixels that changed, or None."""
        x, y = point[0] * self._scale[0], point[1] * self._scale[1]
        start = self._last or (x, y)
        self._last = (x, y)
        box = self._paint_segment(start, (x, y))
        if box is not None:
            self._apply(box)
        return box

    def regions(self) -> Regions:
        """The regions as the stroke leaves them so far: fresh read-only copies of what it touched."""
        return self.start.with_masks({style: frozen(mask.copy()) for style, mask in self._working.items()})

    def _paint_segment(self, a: tuple[float, float], b: tuple[float, float]) -> Box | None:
        radius = max(0.5, self.brush.size / 2 * self._scale[0])
        height, width = self._coverage.shape
        left, right = max(0, math.floor(min(a[0], b[0]) - radius)), min(width, math.ceil(max(a[0], b[0]) + radius))
        top, bottom = max(0, math.floor(min(a[1], b[1]) - radius)), min(height, math.ceil(max(a[1], b[1]) + radius))
        if left >= right or top >= bottom:
            return None
        xs = np.arange(left, right, dtype=np.float32)[None, :] + np.float32(0.5)  # pixel centres
        ys = np.arange(top, bottom, dtype=np.float32)[:, None] + np.float32(0.5)
        distance = _distance_to_segment(xs, ys, a, b)
        # Full strength out to the hard core, then a smooth fall to nothing at the rim.
        core = radius * (1 - self.brush.softness)
        fall = np.clip((radius - distance) / max(radius - core, _EDGE_PX), 0, 1)
        dab = (fall * fall * (3 - 2 * fall) * 255 + 0.5).astype(np.uint8)
        np.maximum(self._coverage[top:bottom, left:right], dab, out=self._coverage[top:bottom, left:right])
        return left, top, right, bottom

    def _apply(self, box: Box) -> None:
        left, top, right, bottom = box
        window = np.s_[top:bottom, left:right]
        coverage = self._coverage[window]
        for region in self.start.items:
            if region.style == self.style and not self.brush.erasing:
                continue
            if region.style in self._working or region.mask[window].any():
                working = self._working_mask(region.style)
                np.minimum(region.mask[window], 255 - coverage, out=working[window])
        if not self.brush.erasing:
            assert self.style is not None  # a brush that paints paints a style (the editor makes sure)
            working = self._working_mask(self.style)
            before = self.start.mask_of(self.style)
            np.maximum(coverage if before is None else before[window], coverage, out=working[window])

    def _working_mask(self, style: StyleKey) -> np.ndarray:
        if style not in self._working:
            before = self.start.mask_of(style)
            self._working[style] = np.zeros(self.start.size[::-1], np.uint8) if before is None else before.copy()
        return self._working[style]


def _distance_to_segment(xs: np.ndarray, ys: np.ndarray, a: tuple[float, float], b: tuple[float, float]) -> np.ndarray:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return np.hypot(xs - a[0], ys - a[1])
    t = np.clip(((xs - a[0]) * dx + (ys - a[1]) * dy) / length2, 0, 1)
    return np.hypot(xs - (a[0] + t * dx), ys - (a[1] + t * dy))
