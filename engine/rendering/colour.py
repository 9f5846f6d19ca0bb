"""Palette transfer: the photo recoloured with a painting's palette, no strokes.

Colours are moved in CIE Lab (D65), where lightness and the two colour axes are nearly
uncorrelated and distances follow perception. The transfer is the linear map that gives the
photo's colours the painting's mean and covariance with the least change (the linear
Monge-Kantorovich solution, Pitié & Kokaram 2007): it keeps the photo's structure and gradients,
only their palette moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import torch

# sRGB (D65) to CIE XYZ, and the D65 white point.
_RGB_TO_XYZ = torch.tensor([[0.4124564, 0.3575761, 0.1804375],
                            [0.2126729, 0.7151522, 0.0721750],
                            [0.0193339, 0.1191920, 0.9503041]])
_XYZ_TO_RGB = torch.linalg.inv(_RGB_TO_XYZ.double()).float()
_WHITE = torch.tensor([0.95047, 1.0, 1.08883])
_EPSILON, _KAPPA = 216 / 24389, 24389 / 27
SAMPLE_PIXELS = 65_536  # enough for a mean and a 3x3 covariance; the fit costs nothing then
REGULARISATION = 1e-3  # keeps the square roots finite for a picture of one flat colour


def srgb_to_lab(rgb: torch.Tensor) -> torch.Tensor:
    """(1, 3, H, W) sRGB in [0, 1] to Lab (L in 0..100)."""
    linear = torch.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = torch.einsum("ij,njhw->nihw", _RGB_TO_XYZ.to(rgb), linear) / _WHITE.to(rgb).view(1, 3, 1, 1)
    f = torch.where(xyz > _EPSILON, xyz.clamp_min(1e-12) ** (1 / 3), (_KAPPA * xyz + 16) / 116)
    return torch.stack([116 * f[:, 1] - 16, 500 * (f[:, 0] - f[:, 1]), 200 * (f[:, 1] - f[:, 2])], dim=1)


def lab_to_srgb(lab: torch.Tensor) -> torch.Tensor:
    """Lab back to sRGB in [0, 1] (colours outside sRGB clipped)."""
    fy = (lab[:, 0] + 16) / 116
    f = torch.stack([fy + lab[:, 1] / 500, fy, fy - lab[:, 2] / 200], dim=1)
    xyz = torch.where(f**3 > _EPSILON, f**3, (116 * f - 16) / _KAPPA) * _WHITE.to(lab).view(1, 3, 1, 1)
    linear = torch.einsum("ij,njhw->nihw", _XYZ_TO_RGB.to(lab), xyz).clamp(0, 1)
    return torch.where(linear <= 0.0031308, 12.92 * linear, 1.055 * linear ** (1 / 2.4) - 0.055).clamp(0, 1)


@dataclass(frozen=True, eq=False)
class PaletteTransfer:
    """lab -> target_mean + matrix (lab - source_mean)."""

    source_mean: torch.Tensor  # (3,)
    target_mean: torch.Tensor  # (3,)
    matrix: torch.Tensor  # (3, 3)

    @classmethod
    def identity(cls) -> PaletteTransfer:
        return cls(torch.zeros(3), torch.zeros(3), torch.eye(3))

    @classmethod
    def fitted(cls, source: LabStatistics, target: LabStatistics) -> PaletteTransfer:
        root = _sqrtm(source.covariance)
        inverse_root = torch.linalg.inv(root)
        matrix = inverse_root @ _sqrtm(root @ target.covariance @ root) @ inverse_root
        return cls(source.mean.float(), target.mean.float(), matrix.float())

    def apply(self, lab: torch.Tensor) -> torch.Tensor:
        centred = lab - self.source_mean.view(1, 3, 1, 1)
        return torch.einsum("ij,njhw->nihw", self.matrix, centred) + self.target_mean.view(1, 3, 1, 1)


@dataclass(frozen=True, eq=False)
class LabStatistics:
    mean: torch.Tensor  # (3,) float64
    covariance: torch.Tensor  # (3, 3) float64

    @classmethod
    def of(cls, rgb: torch.Tensor) -> LabStatistics:
        """Of a (1, 3, H, W) picture, from an even sample of its pixels."""
        step = max(1, int((rgb.shape[-2] * rgb.shape[-1] / SAMPLE_PIXELS) ** 0.5))
        pixels = srgb_to_lab(rgb[..., ::step, ::step]).reshape(3, -1).double()
        mean = pixels.mean(dim=1)
        centred = pixels - mean[:, None]
        return cls(mean, centred @ centred.t() / pixels.shape[1] + REGULARISATION * torch.eye(3, dtype=torch.float64))

    @classmethod
    def mixed(cls, parts: list[tuple[LabStatistics, float]]) -> LabStatistics:
        """The statistics of several pictures' pixels pooled in the given proportions (a blend of paintings)."""
        mean = cast(torch.Tensor, sum(weight * part.mean for part, weight in parts))  # parts is never empty
        second = cast(torch.Tensor, sum(weight * (part.covariance + torch.outer(part.mean, part.mean))
                                        for part, weight in parts))
        return cls(mean, second - torch.outer(mean, mean))


def _sqrtm(matrix: torch.Tensor) -> torch.Tensor:
    values, vectors = torch.linalg.eigh(matrix)
    return vectors @ torch.diag(values.clamp_min(0).sqrt()) @ vectors.t()
