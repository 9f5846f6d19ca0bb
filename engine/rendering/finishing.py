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

from collections.abc import Callable

import torch
import torch.nn.functional as F

from ..picture import LUMA_WEIGHTS
from ..settings import RenderSettings

_LUMA = torch.tensor(LUMA_WEIGHTS).view(1, 3, 1, 1)
GUIDE_RADIUS = 2  # in working-size pixels
GUIDE_EPS = 1e-3  # regularises the slope where the photo is flat
MAX_GAIN = 2.0
_SHIFTED_SUM_RADIUS = 2  # measured at the guided filter's radius; wider windows pool, as they did
_ROWS_PER_PRODUCT = 32  # output rows per matrix product (fastest of 8-256 at 12 MP)
_COLUMNS_PER_PRODUCT = 64  # output columns per matrix product (24 MP: 16 26 ms, 32 20, 64 15, 128 14)


def luma(image: torch.Tensor) -> torch.Tensor:
    return (image * _LUMA.to(image.device, image.dtype)).sum(dim=1, keepdim=True)


def box_filter(x: torch.Tensor, radius: int) -> torch.Tensor:
    """The mean over a (2 radius + 1)² window around each pixel, edges replicated, rows then
    columns: 2 (2r + 1) reads a pixel instead of (2r + 1)², which at the snapping radius of a
    1024 px picture (61) turned a 144 s preview into 1.7 s (measured). Small windows add shifted
    views of the picture: 4x faster than pooling at the guided filter's radius (2; measured)."""
    size = 2 * radius + 1
    padded = F.pad(x, (radius,) * 4, mode="replicate")
    if radius > _SHIFTED_SUM_RADIUS:
        return F.avg_pool2d(F.avg_pool2d(padded, (1, size), stride=1), (size, 1), stride=1)
    height, width = x.shape[-2:]
    across = padded[..., :width].clone()
    for shift in range(1, size):
        across += padded[..., shift : shift + width]
    total = across[..., :height, :].clone()
    for shift in range(1, size):
        total += across[..., shift : shift + height, :]
    return total.mul_(1 / (size * size))


def guided_gain(photo_small: torch.Tensor, stylised_small: torch.Tensor) -> torch.Tensor:
    """Per-pixel, per-channel slope of stylised vs photo brightness at working size, smoothed."""
    guide = luma(photo_small)
    # The four local means in one pass: guide, stylised (3), guide x stylised (3), guide².
    means = box_filter(torch.cat([guide, stylised_small, guide * stylised_small, guide * guide], dim=1), GUIDE_RADIUS)
    mean_guide, mean_styl, mean_product, mean_square = means.split([1, 3, 3, 1], dim=1)
    covariance = mean_product - mean_guide * mean_styl
    variance = mean_square - mean_guide * mean_guide
    gain = covariance / (variance + GUIDE_EPS)
    return box_filter(gain, GUIDE_RADIUS).clamp(-MAX_GAIN, MAX_GAIN)


class _Resampling:
    """Enlarging one axis as ``F.interpolate(..., align_corners=False)`` does, bicubic (Keys,
    a = -0.75) or linear, taps clamped at the edges, as an (out x in) matrix in which clamped
    taps land on the same entry and add up. Applied in runs of a few dozen outputs, each the run's
    slice of the matrix times the few inputs it reaches (the taps only move forward): each output
    then costs a handful of inputs, not the whole picture's (whole bands did 3x the arithmetic)."""

    def __init__(self, in_size: int, out_size: int, cubic: bool):
        source = (torch.arange(out_size, dtype=torch.float64) + 0.5) * (in_size / out_size) - 0.5
        if cubic:
            first = source.floor()
            t = source - first
            a = -0.75
            weights = [((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a,
                       ((a + 2) * t - (a + 3)) * t * t + 1,
                       ((a + 2) * (1 - t) - (a + 3)) * (1 - t) * (1 - t) + 1]
            weights.append(1 - weights[0] - weights[1] - weights[2])
            offsets = range(-1, 3)
        else:
            source = source.clamp_min(0)
            first = source.floor()
            weights = [1 - (source - first), source - first]
            offsets = range(2)
        index = torch.stack([(first + o).clamp(0, in_size - 1) for o in offsets], 1).long()
        self.matrix = torch.zeros(out_size, in_size).scatter_add_(1, index, torch.stack(weights, 1).float())
        self.first_source = index[:, 0].tolist()
        self.last_source = index[:, -1].tolist()
        self.out_size = out_size

    def _runs(self, top: int, count: int, length: int):
        """(start, end, first, last): outputs [start, end) of those from ``top`` read inputs [first, last)."""
        for start in range(0, count, length):
            end = min(start + length, count)
            yield start, end, self.first_source[top + start], self.last_source[top + end - 1] + 1

    def rows(self, small: torch.Tensor, top: int, count: int) -> torch.Tensor:
        """Output rows [top, top + count) of ``small`` (input rows x anything), enlarged down its rows."""
        enlarged = torch.empty(count, small.shape[1])
        for start, end, first, last in self._runs(top, count, _ROWS_PER_PRODUCT):
            torch.mm(self.matrix[top + start : top + end, first:last], small[first:last], out=enlarged[start:end])
        return enlarged

    def columns(self, small: torch.Tensor) -> torch.Tensor:
        """``small`` (anything x input columns) enlarged along its rows, to (anything x out_size)."""
        enlarged = torch.empty(small.shape[0], self.out_size)
        for start, end, first, last in self._runs(0, self.out_size, _COLUMNS_PER_PRODUCT):
            enlarged[:, start:end] = small[:, first:last] @ self.matrix[start:end, first:last].t()
        return enlarged


class BandEnlarger:
    """A small picture (1, C, h, w) enlarged to ``out_size`` (bicubic or bilinear, as
    ``F.interpolate`` would enlarge it whole), any band of rows at a time, as (C, rows, width).
    The columns are enlarged once for the whole picture (a few hundred MB at 100 MP), the rows per
    band: matrix products over every column and channel at once, no step loops over taps in
    Python, no band repeats another's work, and only whole rows are moved here (the store lays
    the planes out as pixels; against ``F.interpolate`` and transposing here, all of detail
    transfer at 12 MP went from about 310 to 160-210 ms: docs/benchmarks.md)."""

    def __init__(self, small: torch.Tensor, out_size: tuple[int, int], cubic: bool):
        out_w, out_h = out_size
        _, self.channels, small_h, small_w = small.shape
        wide = _Resampling(small_w, out_w, cubic).columns(small[0].reshape(self.channels * small_h, small_w))
        # each small row holds its channels' enlarged rows side by side: a run of rows is one product
        self._wide = wide.view(self.channels, small_h, out_w).transpose(0, 1).reshape(small_h, self.channels * out_w)
        self._rows = _Resampling(small_h, out_h, cubic)
        self.out_w = out_w

    def band(self, top: int, rows: int) -> torch.Tensor:
        return self._rows.rows(self._wide, top, rows).view(rows, self.channels, self.out_w).transpose(0, 1)


class WeightsAtOutput:
    """Weights (1, K, h, w) at working size read at the output's size, a block at a time:
    enlarged bilinearly band by band (never whole at 100 MP), or shrunk with antialiasing."""

    def __init__(self, weights: torch.Tensor, out_size: tuple[int, int]):
        out_w, out_h = out_size
        self._whole: torch.Tensor | None = None
        self._enlarger: BandEnlarger | None = None
        if weights.shape[1] == 0:  # no weights at all (the photo everywhere): nothing to resample
            self._whole = weights.new_zeros(1, 0, out_h, out_w)
        elif (out_w, out_h) == (weights.shape[-1], weights.shape[-2]):
            self._whole = weights
        elif out_w <= weights.shape[-1]:
            self._whole = F.interpolate(weights, size=(out_h, out_w), mode="bilinear", antialias=True)
        else:
            self._enlarger = BandEnlarger(weights, out_size, cubic=False)

    def block(self, top: int, left: int, height: int, width: int) -> torch.Tensor:
        if self._whole is not None:
            return self._whole[..., top : top + height, left : left + width]
        assert self._enlarger is not None
        return self._enlarger.band(top, height)[None, :, :, left : left + width]


class DetailTransfer:
    """Enlarges a working-size result band by band, adding back the photo's own fine detail."""

    def __init__(self, photo_small: torch.Tensor, stylised_small: torch.Tensor, out_size: tuple[int, int]):
        self.out_w, self.out_h = out_size
        gain = guided_gain(photo_small, stylised_small)
        # The stylised colours and the photo's brightness share one enlargement (both bicubic).
        self._cubic = BandEnlarger(torch.cat([stylised_small, luma(photo_small)], dim=1), out_size, cubic=True)
        self._gain = BandEnlarger(gain, out_size, cubic=False)

    def band(self, top: int, photo_luma_band: torch.Tensor) -> torch.Tensor:
        """The full-size stylised rows [top, top + rows) as (3, rows, width), given the brightness
        of the same rows of the full-size photo, (rows, width)."""
        rows = photo_luma_band.shape[0]
        enlarged = self._cubic.band(top, rows)
        stylised, detail = enlarged[:3], enlarged[3]
        detail.neg_().add_(photo_luma_band)
        gain = self._gain.band(top, rows)
        return torch.addcmul(stylised, gain, detail, out=gain).clamp_(0, 1)


def preserve_colours(stylised: torch.Tensor, photo: torch.Tensor) -> torch.Tensor:
    """Keep the stylised brightness (Y of YCbCr), take the colour (Cb, Cr) from the photo."""
    # In YCbCr, R - Y, G - Y and B - Y are fixed linear maps of (Cb, Cr): swapping the photo's in
    # keeps the stylised Y exactly.
    return (luma(stylised) + photo - luma(photo)).clamp(0, 1)


def blend_with_photo(stylised: torch.Tensor, photo: torch.Tensor, strength: float) -> torch.Tensor:
    return stylised if strength >= 1.0 else torch.lerp(photo, stylised, strength)


Finish = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
"""(stylised block, the same block of the photo at output size) -> the finished block."""


def finisher(settings: RenderSettings, fade_to_photo: bool) -> Finish | None:
    """The touches done per block at output size: the photo's colours (colour "photo"), and the fade
    to the photo that is a preset's strength (a painting's strength acts on its style vector).
    None when there is nothing to do, so the photo's block need not even be read."""
    photo_colours = settings.colour == "photo"
    if not photo_colours and not fade_to_photo:
        return None

    def finish(stylised: torch.Tensor, photo: torch.Tensor) -> torch.Tensor:
        if photo_colours:
            stylised = preserve_colours(stylised, photo)
        if fade_to_photo:
            stylised = blend_with_photo(stylised, photo, settings.strength)
        return stylised

    return finish
