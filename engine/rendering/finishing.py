"""Bringing the network's result to full size, and the finishing touches done per region.

``DetailTransfer`` enlarges the working-size result to the output size without blur: it
upsamples the stylised image (bicubic) and adds back the photo's own fine detail, the part of
the full-size photo that the working-size photo lost, scaled by how strongly the stylised
image follows the photo's brightness at that spot. That local gain is the slope of a guided
filter (He et al. 2013) fitted at working size, so edges the painting kept stay sharp while
flat brush strokes receive none of the photo's texture. Everything is done in bands of rows,
so a 100-megapixel output needs only a few hundred MB at a time.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

_LUMA = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
GUIDE_RADIUS = 2  # in working-size pixels
GUIDE_EPS = 1e-3  # regularises the slope where the photo is flat
MAX_GAIN = 2.0


def luma(image: torch.Tensor) -> torch.Tensor:
    return (image * _LUMA.to(image.device, image.dtype)).sum(dim=1, keepdim=True)


def _box(x: torch.Tensor, radius: int) -> torch.Tensor:
    padded = F.pad(x, (radius,) * 4, mode="replicate")
    return F.avg_pool2d(padded, 2 * radius + 1, stride=1)


def guided_gain(photo_small: torch.Tensor, stylised_small: torch.Tensor) -> torch.Tensor:
    """Per-pixel, per-channel slope of stylised vs photo brightness at working size, smoothed."""
    guide = luma(photo_small)
    mean_guide = _box(guide, GUIDE_RADIUS)
    mean_styl = _box(stylised_small, GUIDE_RADIUS)
    covariance = _box(guide * stylised_small, GUIDE_RADIUS) - mean_guide * mean_styl
    variance = _box(guide * guide, GUIDE_RADIUS) - mean_guide * mean_guide
    gain = covariance / (variance + GUIDE_EPS)
    return _box(gain, GUIDE_RADIUS).clamp(-MAX_GAIN, MAX_GAIN)


def _sample_grid(top: int, rows: int, out_h: int, out_w: int) -> torch.Tensor:
    """Normalised sampling positions of output rows [top, top+rows), as F.interpolate would use."""
    ys = (torch.arange(top, top + rows, dtype=torch.float32) + 0.5) * 2 / out_h - 1
    xs = (torch.arange(out_w, dtype=torch.float32) + 0.5) * 2 / out_w - 1
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([grid_x, grid_y], dim=-1)[None]


class DetailTransfer:
    def __init__(self, photo_small: torch.Tensor, stylised_small: torch.Tensor, out_size: tuple[int, int]):
        self.photo_luma_small = luma(photo_small)
        self.stylised_small = stylised_small
        self.gain = guided_gain(photo_small, stylised_small)
        self.out_w, self.out_h = out_size

    def band(self, top: int, photo_band: torch.Tensor) -> torch.Tensor:
        """The full-size stylised rows [top, top + rows) given the same rows of the full-size photo."""
        grid = _sample_grid(top, photo_band.shape[-2], self.out_h, self.out_w)
        upsampled = F.grid_sample(self.stylised_small, grid, mode="bicubic", align_corners=False)
        photo_luma_up = F.grid_sample(self.photo_luma_small, grid, mode="bicubic", align_corners=False)
        gain = F.grid_sample(self.gain, grid, mode="bilinear", align_corners=False)
        detail = luma(photo_band) - photo_luma_up
        return (upsampled + gain * detail).clamp(0, 1)


def preserve_colours(stylised: torch.Tensor, photo: torch.Tensor) -> torch.Tensor:
    """Keep the stylised brightness (Y of YCbCr), take the colour (Cb, Cr) from the photo."""
    # In YCbCr, R - Y, G - Y and B - Y are fixed linear maps of (Cb, Cr): swapping the photo's in
    # keeps the stylised Y exactly.
    return (luma(stylised) + photo - luma(photo)).clamp(0, 1)


def blend_with_photo(stylised: torch.Tensor, photo: torch.Tensor, strength: float) -> torch.Tensor:
    return stylised if strength >= 1.0 else torch.lerp(photo, stylised, strength)
