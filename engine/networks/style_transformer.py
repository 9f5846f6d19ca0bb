"""The style transformer of Ghiasi et al. (2017), conditioned on a 100-number style vector
from ``StylePredictor``: every instance norm after the contracting convolutions takes its
scale and shift from a linear map of that vector.

Ported from Magenta's int8 TFLite model (weights dequantized per output channel); it was
exported at a fixed 384 px, but the network is fully convolutional and runs at any size whose
sides are multiples of 4. Weights: ``resources/models/arbitrary_transform.safetensors``.
"""

from __future__ import annotations

import torch
from torch import nn

# ReLUs and residual sums run in place: their inputs are fresh temporaries (saves a pass over
# memory on the CPU).
from .layers import NormStatistics, ReflectConv, affine_instance_norm
from .style_predictor import STYLE_VECTOR_SIZE

_CONTRACT = [(3, 8, 9, 1), (8, 16, 3, 2), (16, 32, 3, 2)]
_RESIDUAL_BLOCKS = 5
_EXPAND = [(32, 16, 3, True), (16, 8, 3, True), (8, 3, 9, False)]  # (in, out, kernel, upsample first)
NORM_CHANNELS = _RESIDUAL_BLOCKS * 2 * 32 + sum(out for _, out, _, _ in _EXPAND)  # 347: every style norm's
NORM_SHIFTS = 2 * NORM_CHANNELS  # a learned style's numbers beside the vector: a scale and a shift per channel


class StyleNorm(nn.Module):
    """Instance norm with scale and shift predicted from the style vector. A learned style adds
    its own amounts to both (``NORM_SHIFTS`` numbers after the vector's 100: every norm's scales,
    then every norm's shifts, in the network's order)."""

    def __init__(self, channels: int):
        super().__init__()
        self.gamma = nn.Linear(STYLE_VECTOR_SIZE, channels)
        self.beta = nn.Linear(STYLE_VECTOR_SIZE, channels)
        self.channels = channels
        self.shift_at = 0  # where this norm's scales begin among the shifts; set by the transformer

    def forward(self, x: torch.Tensor, style: torch.Tensor, statistics: NormStatistics) -> torch.Tensor:
        vector = style[:, :STYLE_VECTOR_SIZE]
        gamma, beta = self.gamma(vector), self.beta(vector)
        if style.shape[1] > STYLE_VECTOR_SIZE:
            at, size = STYLE_VECTOR_SIZE + self.shift_at, self.channels
            gamma = gamma + style[:, at : at + size]
            beta = beta + style[:, at + NORM_CHANNELS : at + NORM_CHANNELS + size]
        return affine_instance_norm(x, gamma, beta, statistics)


class ConvStyleNorm(nn.Module):
    def __init__(self, in_channels: int, out_channels: int, kernel: int, upsample: bool = False):
        super().__init__()
        self.conv = ReflectConv(in_channels, out_channels, kernel, bias=True, upsample=upsample)
        self.norm = StyleNorm(out_channels)

    def forward(self, x, style, statistics):
        return self.norm(self.conv(x), style, statistics)


class ResidualBlock(nn.Module):
    def __init__(self, channels: int):
        super().__init__()
        self.first = ConvStyleNorm(channels, channels, 3)
        self.second = ConvStyleNorm(channels, channels, 3)

    def forward(self, x, style, statistics):
        y = torch.relu_(self.first(x, style, statistics))
        return self.second(y, style, statistics).add_(x)


class StyleTransformer(nn.Module):
    """Maps an RGB image in [0, 1] (N, 3, H, W), H and W multiples of 4, and style vectors
    (N, 100), or (N, 100 + NORM_SHIFTS) with a learned style's shifts, to a stylised image in [0, 1]."""

    def __init__(self):
        super().__init__()
        # The contracting layers were trained with batch norm, folded into their biases.
        self.contract = nn.ModuleList(ReflectConv(i, o, k, s, bias=True) for i, o, k, s in _CONTRACT)
        self.residual = nn.ModuleList(ResidualBlock(32) for _ in range(_RESIDUAL_BLOCKS))
        self.expand = nn.ModuleList(ConvStyleNorm(i, o, k, upsample=u) for i, o, k, u in _EXPAND)
        at = 0
        for norm in self.style_norms():
            norm.shift_at, at = at, at + norm.channels

    def style_norms(self) -> list[StyleNorm]:
        """Every style norm, in the order their shifts are laid out."""
        return [module for module in self.modules() if isinstance(module, StyleNorm)]

    def forward(
        self, image: torch.Tensor, style: torch.Tensor, statistics: NormStatistics | None = None
    ) -> torch.Tensor:
        return self.styled(self.stem(image), style, statistics)

    def stem(self, image: torch.Tensor) -> torch.Tensor:
        """The contracting layers: they have no style norms, so they are the same for every style."""
        x = image
        for layer in self.contract:
            x = torch.relu_(layer(x))
        return x

    def styled(self, stem: torch.Tensor, style: torch.Tensor, statistics: NormStatistics | None = None) -> torch.Tensor:
        """The rest of the network from ``stem``'s output, which it leaves as it was."""
        statistics = statistics or NormStatistics()
        style = style.to(stem.dtype)
        x = stem
        for block in self.residual:
            x = block(x, style, statistics)
        for layer in self.expand[:2]:
            x = torch.relu_(layer(x, style, statistics))
        return torch.sigmoid(self.expand[2](x, style, statistics))
