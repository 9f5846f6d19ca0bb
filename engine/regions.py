"""Regions: where each style goes. A region is a style and a greyscale mask (white: this style);
pixels no mask covers take the request's own style.

``style_layout`` turns the masks into one weight map per style at a given size: stretched to the
photo, optionally made to follow the photo's edges (near a border, each pixel goes to the side
whose colours it is closer to) and feathered. Each style is then rendered alone over the picture,
with its own norm statistics, and the renders are put together by these weights, so that a region
changes nothing outside itself and looks like its style's own render inside (``conditioning``).
What the weights leave over is the photo itself: a "photo" region, and a region's strength below
one, let the photo's own pixels through.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F

from .errors import InvalidRequestError
from .picture import Picture
from .rendering.finishing import box_filter, luma
from .styles import PaintingBlend, PresetBlend, StyleSpec

PHOTO: Literal["photo"] = "photo"  # a region that paints the photo's own pixels back
RegionStyle = PresetBlend | PaintingBlend | Literal["photo"]

NEGLIGIBLE_WEIGHT = 1e-3  # a style weighing less than this everywhere is left out of the render
SNAP_RADIUS_FRACTION = 0.02  # how far from a mask's border snapping may move it, of the long side
# Even a hard mask's edge is softened this much (sigma, px of working size), so that two renders
# put together meet as an anti-aliased edge, not a jagged one.
SEAM_SOFTENING = 1.0


@dataclass(frozen=True, eq=False)
class StyleRegion:
    style: RegionStyle
    mask: np.ndarray  # H x W float32 in [0, 1], any size: stretched to the photo
    name: str = "region"
    # How much of a style to keep here, 0 being the photo: a style region's own strength (1: its
    # style fully), a photo region's share of the style beneath it (0, its default: the photo).
    strength: float | None = None

    def __post_init__(self):
        if not (isinstance(self.style, (PresetBlend, PaintingBlend)) or self.style == PHOTO):
            raise InvalidRequestError(f"{self.name}: a region's style is a preset blend, paintings or 'photo'")
        strength = default_region_strength(self.style) if self.strength is None else self.strength
        if not isinstance(strength, (int, float)) or not 0.0 <= strength <= 1.0:  # also refuses nan
            raise InvalidRequestError(f"{self.name}: a region's strength runs from 0 to 1, got {strength!r}")
        object.__setattr__(self, "strength", float(strength))
        mask = np.asarray(self.mask, dtype=np.float32)
        if mask.ndim != 2 or min(mask.shape) < 1:
            raise InvalidRequestError(f"{self.name}: a mask is a greyscale picture, got an array of shape {mask.shape}")
        if not np.isfinite(mask).all() or mask.min() < 0 or mask.max() > 1:
            raise InvalidRequestError(f"{self.name}: mask values must lie between 0 and 1")
        if mask.max() == 0:
            raise InvalidRequestError(f"{self.name}: the mask is all black, so this style would go nowhere; "
                                      f"paint where it goes in white")
        mask.setflags(write=False)
        object.__setattr__(self, "mask", mask)

    @property
    def kept(self) -> float:
        """How much of its style the region keeps: its strength (the default made a number at init)."""
        return default_region_strength(self.style) if self.strength is None else self.strength


def default_region_strength(style: RegionStyle | None) -> float:
    """A region's strength unless it says: 0 (the photo itself) for a photo region, else 1 (None: any style)."""
    return 0.0 if style == PHOTO else 1.0


def mask_from_picture(picture: Picture) -> np.ndarray:
    """A picture's brightness as a mask (white: the style goes here), times its alpha if it has
    one; a picture of one colour drawn only in its alpha (a cut-out from a painting program) is its alpha."""
    brightness = luma(picture.tensor())[0, 0].numpy()
    alpha = None if picture.alpha is None else picture.alpha.astype(np.float32) / picture.max_value
    return mask_from_channels(brightness, alpha)


def mask_from_channels(brightness: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """``mask_from_picture`` of a picture's brightness and alpha (float32 in [0, 1]; ``imageio.load_mask``)."""
    if alpha is None:
        return brightness.astype(np.float32)
    if float(brightness.max() - brightness.min()) < 1 / 255:
        return alpha.astype(np.float32)
    return (brightness * alpha).astype(np.float32)


@dataclass(frozen=True, eq=False)
class StyleLayout:
    """The styles of a picture and how much of each goes where: ``weights`` (1, K, H, W), one per
    style, each a style's coverage times its region's strength. They sum to at most one at each
    pixel; the rest is the photo's own (``conditioning.photo_share``)."""

    styles: tuple[StyleSpec, ...]
    weights: torch.Tensor


def style_layout(base: StyleSpec, regions: tuple[StyleRegion, ...], photo: torch.Tensor, photo_width: int,
                 feather: float, snap_to_edges: bool) -> StyleLayout:
    """The layout at the size of ``photo`` (1, 3, H, W), the photo at that size (the guide for
    snapping); ``feather`` is in pixels of the full photo, ``photo_width`` pixels wide. Styles
    that go nowhere are left out."""
    coverage = _coverage(layer_alphas(regions, prepared_masks(regions, photo, photo_width, feather, snap_to_edges)))
    # Which styles go somewhere is told from the masks before snapping, which follows each frame of
    # a clip: every frame then has the same styles, in the order its shot's statistics were measured in.
    seen = coverage if not snap_to_edges else _coverage(layer_alphas(regions, prepared_masks(
        regions, photo, photo_width, feather, False)))
    styles, weights, reach = [base], [coverage[:, :1]], [seen[:, :1]]
    for k, region in enumerate(regions, start=1):
        if region.style == PHOTO or region.strength == 0:  # a photo region's share is the photo's
            continue
        share, seen_share = coverage[:, k : k + 1] * region.kept, seen[:, k : k + 1] * region.kept
        if region.style in styles:  # one render of a style, however many regions it has
            index = styles.index(region.style)
            weights[index], reach[index] = weights[index] + share, reach[index] + seen_share
        else:
            styles.append(region.style)
            weights.append(share)
            reach.append(seen_share)
    kept = [k for k in range(len(styles)) if reach[k].max() >= NEGLIGIBLE_WEIGHT]
    empty = torch.zeros_like(coverage[:, :0])
    return StyleLayout(tuple(styles[k] for k in kept), torch.cat([weights[k] for k in kept], dim=1) if kept else empty)


def _coverage(masks: torch.Tensor) -> torch.Tensor:
    """(1, 1 + K, H, W): what the base keeps, then each region, later regions on top as layers
    are: each keeps what the ones above leave uncovered."""
    uncovered = torch.ones_like(masks[:, :1])
    shares = []
    for mask in reversed(masks.split(1, dim=1)):
        shares.append(mask * uncovered)
        uncovered = uncovered * (1 - mask)
    return torch.cat([uncovered, *reversed(shares)], dim=1)


def layer_alphas(regions: tuple[StyleRegion, ...], masks: torch.Tensor) -> torch.Tensor:
    """How much each region covers what lies beneath it (1, K, H, W): its mask, or for a photo
    region its mask times what it leaves of the style beneath (1 - strength). A style region's
    strength lets the photo through its own style, not the style beneath it."""
    opacity = torch.tensor([1.0 - r.kept if r.style == PHOTO else 1.0 for r in regions]).view(1, -1, 1, 1)
    return masks * opacity


def prepared_masks(regions: tuple[StyleRegion, ...], photo: torch.Tensor, photo_width: int, feather: float,
                   snap_to_edges: bool) -> torch.Tensor:
    """Each region's mask (1, K, H, W) at the size of ``photo``: stretched, snapped, feathered."""
    height, width = photo.shape[-2:]
    masks = torch.cat([_resized(region.mask, height, width) for region in regions], dim=1)
    if snap_to_edges:
        masks = snapped_to_edges(masks, photo, max(2, round(SNAP_RADIUS_FRACTION * max(height, width))))
    masks = gaussian_blur(masks, max(feather * width / photo_width / 2, SEAM_SOFTENING))
    return masks.clamp_(0, 1)


def _resized(mask: np.ndarray, height: int, width: int) -> torch.Tensor:
    image = torch.from_numpy(np.array(mask, dtype=np.float32))[None, None]  # a copy: the mask is read-only
    if image.shape[-2:] == (height, width):
        return image
    shrinking = height < image.shape[-2] or width < image.shape[-1]
    return F.interpolate(image, size=(height, width), mode="bilinear", align_corners=False, antialias=shrinking)


def snapped_to_edges(masks: torch.Tensor, photo: torch.Tensor, radius: int) -> torch.Tensor:
    """Rough masks (1, K, H, W) made to follow the photo's edges: within ``radius`` of a mask's
    border, each pixel goes to the side whose nearby colours it is closer to (the mean colour of
    the pixels surely in, and of those surely out, within three times that). A stroke that
    spills a little over the sky line comes back to it; the rest of the mask is left as painted."""
    snapped = []
    for mask in masks.split(1, dim=1):
        blurred = box_filter(mask, radius)
        inside, outside = (blurred > 0.97).float(), (blurred < 0.03).float()
        near_inside, distance_in = _colour_distance(photo, inside, 3 * radius)
        near_outside, distance_out = _colour_distance(photo, outside, 3 * radius)
        closer_in = distance_out / (distance_in + distance_out + 1e-6)
        decidable = (inside + outside == 0) & near_inside & near_outside
        snapped.append(box_filter(torch.where(decidable, closer_in, mask), 1))  # a pixel of anti-aliasing
    return torch.cat(snapped, dim=1)


def _colour_distance(photo: torch.Tensor, where: torch.Tensor, radius: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Whether any pixel of ``where`` lies within ``radius`` of each pixel, and the squared colour
    distance from each pixel to their mean colour."""
    coverage = box_filter(where, radius)
    mean_colour = box_filter(photo * where, radius) / coverage.clamp_min(1e-6)
    return coverage > 1e-6, (photo - mean_colour).square().sum(dim=1, keepdim=True)


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """A separable Gaussian blur of each channel, edges reflected (replicated where too narrow)."""
    if sigma < 0.3:
        return image
    radius = max(1, math.ceil(3 * sigma))
    taps = torch.exp(-((torch.arange(-radius, radius + 1, dtype=torch.float32) / sigma) ** 2) / 2)
    taps = (taps / taps.sum()).to(image.dtype)
    channels = image.shape[1]
    mode = "reflect" if min(image.shape[-2:]) > radius else "replicate"
    rows = F.conv2d(F.pad(image, (0, 0, radius, radius), mode=mode), taps.view(1, 1, -1, 1).repeat(channels, 1, 1, 1),
                    groups=channels)
    return F.conv2d(F.pad(rows, (radius, radius, 0, 0), mode=mode), taps.view(1, 1, 1, -1).repeat(channels, 1, 1, 1),
                    groups=channels)
