"""The style predictor of Ghiasi et al., "Exploring the structure of a real-time, arbitrary
neural artistic stylization network" (BMVC 2017): a MobileNetV2 that turns any painting into
a 100-number style vector for ``StyleTransformer``.

It is the int8 TFLite model of Magenta, ported to float (weights dequantized per output
channel) with TensorFlow's "same" padding, so it accepts any image size. Weights:
``resources/models/arbitrary_predict.safetensors``.
"""

from __future__ import annotations

import torch
from torch import nn

from .layers import SameConv

STYLE_VECTOR_SIZE = 100

# MobileNetV2 1.0: (expansion, output channels, stride) of the 17 inverted-residual blocks.
_BLOCKS = (
    [(1, 16, 1)]
    + [(6, 24, 2), (6, 24, 1)]
    + [(6, 32, 2)] + [(6, 32, 1)] * 2
    + [(6, 64, 2)] + [(6, 64, 1)] * 3
    + [(6, 96, 1)] * 3
    + [(6, 160, 2)] + [(6, 160, 1)] * 2
    + [(6, 320, 1)]
)
_STEM_CHANNELS = 32
_HEAD_CHANNELS = 1280


class InvertedResidual(nn.Module):
    def __init__(self, in_channels: int, expansion: int, out_channels: int, stride: int):
        super().__init__()
        hidden = in_channels * expansion
        self.expand = nn.Conv2d(in_channels, hidden, 1) if expansion != 1 else None
        self.depthwise = SameConv(hidden, hidden, 3, stride, groups=hidden)
        self.project = nn.Conv2d(hidden, out_channels, 1)
        self.has_skip = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = x if self.expand is None else torch.clamp(self.expand(x), 0.0, 6.0)
        y = torch.clamp(self.depthwise(y), 0.0, 6.0)
        y = self.project(y)
        return x + y if self.has_skip else y


class StylePredictor(nn.Module):
    """Maps paintings in [0, 1] (N, 3, H, W) to style vectors (N, 100)."""

    def __init__(self):
        super().__init__()
        self.stem = SameConv(3, _STEM_CHANNELS, 3, 2)
        blocks, channels = [], _STEM_CHANNELS
        for expansion, out_channels, stride in _BLOCKS:
            blocks.append(InvertedResidual(channels, expansion, out_channels, stride))
            channels = out_channels
        self.blocks = nn.ModuleList(blocks)
        self.head = nn.Conv2d(channels, _HEAD_CHANNELS, 1)
        self.bottleneck = nn.Conv2d(_HEAD_CHANNELS, STYLE_VECTOR_SIZE, 1)

    def forward(self, painting: torch.Tensor) -> torch.Tensor:
        x = torch.clamp(self.stem(painting), 0.0, 6.0)
        for block in self.blocks:
            x = block(x)
        x = torch.clamp(self.head(x), 0.0, 6.0)
        x = x.mean(dim=(2, 3), keepdim=True)
        return self.bottleneck(x).flatten(1)
