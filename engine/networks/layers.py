"""Building blocks shared by the three feed-forward networks.

Instance normalisation takes its statistics from a pluggable source so that the same
network can run in one piece (statistics of the input itself), record the statistics of a
thumbnail, or replay them in every tile of a large image (thumbnail instance
normalisation, Chen et al. 2022). See ``engine.rendering.tiles``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

INSTANCE_NORM_EPS = 1e-5
_LARGE_ACTIVATION = 4_000_000  # elements; below it a padded copy stays in the cache


class NormStatistics:
    """Source of instance-norm statistics: by default, those of the tensor being normalised."""

    def replayed(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor] | None:
        """Statistics to use instead of x's own, or None to compute them from x."""
        return None

    def observed(self, mean: torch.Tensor, var: torch.Tensor) -> None:
        """Told the statistics computed from x: (N, C, 1, 1) mean and biased variance."""

    def __call__(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        known = self.replayed(x)
        if known is not None:
            return known
        mean, var = channel_mean_var(x)
        self.observed(mean, var)
        return mean, var


class RecordingStatistics(NormStatistics):
    """Computes statistics like the plain source and keeps them, in layer order."""

    def __init__(self) -> None:
        self.recorded: list[tuple[torch.Tensor, torch.Tensor]] = []

    def observed(self, mean: torch.Tensor, var: torch.Tensor) -> None:
        self.recorded.append((mean, var))


class ReplayedStatistics(NormStatistics):
    """Hands back previously recorded statistics, in the same layer order, ignoring the input."""

    def __init__(self, recorded: list[tuple[torch.Tensor, torch.Tensor]]) -> None:
        self._recorded = recorded
        self._next = 0

    def replayed(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if self._next >= len(self._recorded):
            raise RuntimeError("replayed statistics ran out: the network has more norm layers than were recorded")
        mean, var = self._recorded[self._next]
        self._next += 1
        return mean.to(x.device), var.to(x.device)


@dataclass(frozen=True, eq=False)
class FixedStatistics:
    """Instance-norm statistics measured once, for every render that carries them: the frames of
    one shot of a video, so that no frame's colours jump with its own statistics. For each network
    pass of the render (one per style of a picture with regions), each layer's (mean, biased
    variance) as float32 CPU tensors, in layer order; they belong to the styles they were measured with."""

    passes: tuple[tuple[tuple[torch.Tensor, torch.Tensor], ...], ...]

    @classmethod
    def pooled(cls, recordings: list[list[list[tuple[torch.Tensor, torch.Tensor]]]]) -> FixedStatistics:
        """The statistics of all the recorded pictures together (``recordings``: per picture, per
        pass, per layer), as if they were one picture of equal parts: the mean of the means, and
        the mean of the second moments less its square."""
        return cls(tuple(_pooled_layers(list(per_pass)) for per_pass in zip(*recordings, strict=True)))

    def of_pass(self, index: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
        return list(self.passes[index])


def _pooled_layers(recordings: list[list[tuple[torch.Tensor, torch.Tensor]]]) -> tuple:
    layers = []
    for per_picture in zip(*recordings, strict=True):
        means = torch.stack([mean.float().cpu() for mean, _ in per_picture])
        second_moments = torch.stack([var.float().cpu() + mean.float().cpu() ** 2 for mean, var in per_picture])
        mean = means.mean(dim=0)
        layers.append((mean, (second_moments.mean(dim=0) - mean**2).clamp_min(0.0)))
    return tuple(layers)


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
    """Instance normalisation followed by a per-channel affine map. ``gamma`` and ``beta``: (N, C)."""
    return _normalised(x, gamma, beta, statistics, eps)[0]


def _normalised(x: torch.Tensor, gamma: torch.Tensor, beta: torch.Tensor, statistics: NormStatistics,
                eps: float) -> tuple[torch.Tensor, ...]:
    """``affine_instance_norm``, and the statistics it used: (N, C, 1, 1) mean and variance."""
    if x.device.type == "cpu" and x.shape[0] == 1 and (x.shape[1] >= 16 or x.is_contiguous()):
        return _single_image_norm_cpu(x, gamma[0].float(), beta[0].float(), statistics, eps)
    mean, var = statistics(x)
    # Folded into one scale and shift: one pass over x.
    scale = gamma.float()[:, :, None, None] * torch.rsqrt(var + eps)
    shift = beta.float()[:, :, None, None] - mean * scale
    return torch.addcmul(shift.to(x.dtype), x, scale.to(x.dtype)), mean, var


def _single_image_norm_cpu(x, gamma, beta, statistics: NormStatistics, eps: float) -> tuple[torch.Tensor, ...]:
    """For one image, batch statistics are instance statistics, and the CPU batch-norm kernel
    computes and applies them in two passes over x: much faster than statistics, scale and shift
    done separately, except in channels-last layout with few channels, where it is slower
    (measured both ways: docs/benchmarks.md)."""
    channels = x.shape[1]
    known = statistics.replayed(x)
    if known is not None:
        mean, var = known
        out = torch.native_batch_norm(x, gamma, beta, mean.reshape(channels).float(),
                                      var.reshape(channels).float(), False, 0.0, eps)[0]
        return out, mean, var
    out, mean, inverse_std = torch.native_batch_norm(x, gamma, beta, None, None, True, 0.0, eps)
    mean, var = mean.view(1, channels, 1, 1), (inverse_std.pow(-2) - eps).clamp_min(0.0).view(1, channels, 1, 1)
    statistics.observed(mean, var)
    return out, mean, var


class ReflectConv(nn.Module):
    """Reflection padding of kernel // 2, then a convolution: the style networks' only conv.

    With ``upsample``, the input is first enlarged twice with nearest-neighbour sampling, as
    both transformers do before their expanding convolutions.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int = 1, bias: bool = False,
                 upsample: bool = False):
        super().__init__()
        if upsample and (kernel, stride) != (3, 1):
            raise ValueError("upsampling convolutions are 3x3 with stride 1 in these networks")
        self.padding = kernel // 2
        self.upsample = upsample
        self.conv = nn.Conv2d(in_channels, out_channels, kernel, stride, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.upsample:
            return self._upsampled_by_phases(x)
        p = self.padding
        if x.device.type == "cpu" and self.conv.kernel_size[0] == 3 and x.numel() >= _LARGE_ACTIVATION:
            return self._zero_padded_then_edges_redone(x)
        return self.conv(F.pad(x, (p, p, p, p), mode="reflect"))

    def _zero_padded_then_edges_redone(self, x: torch.Tensor) -> torch.Tensor:
        """The same result without a padded copy of x: on the CPU, a reflection-padded copy of a
        1024² x 32 activation cost as much as the convolution that reads it (measured). The
        convolution pads with zeros instead, then only the outputs whose window reached into the
        padding are recomputed, from thin reflection-padded strips along each edge. Only worth it
        for 3x3 kernels on activations too big for the cache (measured; slower for 9x9)."""
        conv, p = self.conv, self.padding
        kernel, stride = conv.kernel_size[0], conv.stride[0]
        y = F.conv2d(x, conv.weight, conv.bias, stride, p)
        for dim in (2, 3):  # rows, then columns: the column strips redo the corners
            size, out_size = x.shape[dim], y.shape[dim]
            first_clean = -(-p // stride)  # outputs before it read the leading padding
            first_dirty_end = -(-(size + p - kernel + 1) // stride)  # from it on, the trailing padding
            if first_clean > 0:
                rows = min(size, max((first_clean - 1) * stride + kernel - p, p + 1))
                strip = self.conv(F.pad(x.narrow(dim, 0, rows), (p, p, p, p), mode="reflect"))
                y.narrow(dim, 0, first_clean).copy_(strip.narrow(dim, 0, first_clean))
            if first_dirty_end < out_size:
                start = max(first_dirty_end - first_clean, 0)
                strip = self.conv(F.pad(x.narrow(dim, start * stride, size - start * stride), (p, p, p, p),
                                        mode="reflect"))
                count = out_size - first_dirty_end
                y.narrow(dim, first_dirty_end, count).copy_(strip.narrow(dim, first_dirty_end - start, count))
        return y


    def _upsampled_by_phases(self, x: torch.Tensor) -> torch.Tensor:
        """conv(reflect_pad(nearest_upsample_2x(x))) without the enlarged copy. Each of the four output
        pixels of an input pixel sees that pixel's 3x3 neighbourhood through its own kernel, in
        which the taps that fall on the same input pixel are summed; reflecting the enlarged
        picture by one pixel is replicating the small one. One convolution at the input size
        then gives the four phases as channels, and pixel_shuffle interleaves them: faster on the
        CPU than enlarging first (docs/benchmarks.md), and exact."""
        phases = F.conv2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), _phase_kernels(self.conv.weight))
        if self.conv.bias is not None:
            phases = phases + self.conv.bias.repeat_interleave(4)[:, None, None]
        return F.pixel_shuffle(phases, 2)


def _phase_kernels(weight: torch.Tensor) -> torch.Tensor:
    """(out, in, 3, 3) -> (4 * out, in, 3, 3), output channel ``o * 4 + 2 * row_phase + column_phase``
    as pixel_shuffle expects. Along one axis, an even output pixel reads (left, centre, centre)
    of the small picture and an odd one (centre, centre, right)."""

    def along(taps: list[torch.Tensor], phase: int) -> torch.Tensor:
        zero = torch.zeros_like(taps[0])
        return torch.stack([taps[0], taps[1] + taps[2], zero] if phase == 0 else [zero, taps[0] + taps[1], taps[2]], -1)

    phases = []
    for row_phase in (0, 1):
        for column_phase in (0, 1):
            columns = along(list(weight.unbind(-1)), column_phase)
            phases.append(along(list(columns.unbind(-2)), row_phase).transpose(-1, -2))
    return torch.stack(phases, 1).flatten(0, 1)


class SameConv(nn.Conv2d):
    """A convolution with TensorFlow's "same" padding (extra pixel at the bottom/right)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.convolve_padded(self.pad(x))

    def pad(self, x: torch.Tensor) -> torch.Tensor:
        kh, kw = self.kernel_size
        sh, sw = self.stride
        h, w = x.shape[-2:]
        pad_h = max((math.ceil(h / sh) - 1) * sh + kh - h, 0)
        pad_w = max((math.ceil(w / sw) - 1) * sw + kw - w, 0)
        if pad_h or pad_w:
            x = F.pad(x, (pad_w // 2, pad_w - pad_w // 2, pad_h // 2, pad_h - pad_h // 2))
        return x

    def convolve_padded(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x)
