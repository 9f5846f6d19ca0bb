"""Building blocks shared by the three feed-forward networks.

Instance normalisation takes its statistics from a pluggable source so that the same
network can run in one piece (statistics of the input itself), record the statistics of a
thumbnail, or replay them in every tile of a large image (thumbnail instance
normalisation, Chen et al. 2022). See ``engine.rendering.tiles``.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

INSTANCE_NORM_EPS = 1e-5


class NormStatistics:
    """Source of instance-norm statistics: computes them from the tensor being normalised."""

    def __call__(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return channel_mean_var(x)


class RecordingStatistics(NormStatistics):
    """Computes statistics like the plain source and keeps them, in layer order."""

    def __init__(self) -> None:
        self.recorded: list[tuple[torch.Tensor, torch.Tensor]] = []

    def __call__(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        stats = channel_mean_var(x)
        self.recorded.append(stats)
        return stats


class ReplayedStatistics(NormStatistics):
    """Hands back previously recorded statistics, in the same layer order, ignoring the input."""

    def __init__(self, recorded: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        self._recorded = recorded
        self._next = 0

    def __call__(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self._next >= len(self._recorded):
            raise RuntimeError("replayed statistics ran out: the network has more norm layers than were recorded")
        mean, var = self._recorded[self._next]
        self._next += 1
        return mean.to(x.device), var.to(x.device)


def channel_mean_var(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image, per-channel mean and biased variance, accumulated in float32 (fp16 overflows)."""
    if x.device.type != "cpu":
        var, mean = torch.var_mean(x.float(), dim=(2, 3), keepdim=True, correction=0)
        return mean, var
    # On the CPU, var_mean is three to four times slower than a sum plus a matrix product.
    # E[x^2] - E[x]^2 in float32 is accurate enough here: activations are O(1) (measured 3e-6).
    n, c, h, w = x.shape
    x = x.float()
    if x.is_contiguous(memory_format=torch.channels_last) and not x.is_contiguous():
        pixels_by_channel = x.permute(0, 2, 3, 1).reshape(n, h * w, c)  # a view: no copy
        total = pixels_by_channel.sum(dim=1)
        # The diagonal of the channel Gram matrix: a GEMM is far faster than a squared sum here.
        total_square = torch.bmm(pixels_by_channel.transpose(1, 2), pixels_by_channel).diagonal(dim1=1, dim2=2)
    else:
        flat = x.reshape(n * c, h * w)
        total = flat.sum(dim=1).view(n, c)
        total_square = torch.bmm(flat.unsqueeze(1), flat.unsqueeze(2)).view(n, c)
    mean = total / (h * w)
    var = (total_square / (h * w) - mean * mean).clamp_min_(0.0)
    return mean.view(n, c, 1, 1), var.view(n, c, 1, 1)


def affine_instance_norm(
    x: torch.Tensor,
    gamma: torch.Tensor,
    beta: torch.Tensor,
    statistics: NormStatistics,
    eps: float = INSTANCE_NORM_EPS,
) -> torch.Tensor:
    """Instance normalisation followed by a per-channel affine map, folded into one scale and shift.

    ``gamma`` and ``beta`` have shape (N, C). The fold does the whole thing in one pass over x.
    """
    mean, var = statistics(x)
    scale = gamma.float()[:, :, None, None] * torch.rsqrt(var + eps)
    shift = beta.float()[:, :, None, None] - mean * scale
    return torch.addcmul(shift.to(x.dtype), x, scale.to(x.dtype))


class ReflectConv(nn.Module):
    """Reflection padding of kernel // 2, then a convolution: the style networks' only conv."""

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int = 1, bias: bool = False):
        super().__init__()
        self.padding = kernel // 2
        self.conv = nn.Conv2d(in_channels, out_channels, kernel, stride, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        p = self.padding
        return self.conv(F.pad(x, (p, p, p, p), mode="reflect"))


def upsample2x(x: torch.Tensor) -> torch.Tensor:
    """Nearest-neighbour upsampling by two, as both transformers do before their expand convs."""
    return F.interpolate(x, scale_factor=2.0, mode="nearest")


class SameConv(nn.Conv2d):
    """A convolution with TensorFlow's "same" padding (extra pixel at the bottom/right)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        kh, kw = self.kernel_size
        sh, sw = self.stride
        h, w = x.shape[-2:]
        pad_h = max((math.ceil(h / sh) - 1) * sh + kh - h, 0)
        pad_w = max((math.ceil(w / sw) - 1) * sw + kw - w, 0)
        if pad_h or pad_w:
            x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
        return super().forward(x)
