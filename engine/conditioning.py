"""A network with its style bound in: the blend of presets' norm tables, or the painting's style
vector, so that tiles and thumbnails see a plain (image, statistics) -> image."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from .devices import DeviceChoice
from .errors import InvalidRequestError
from .loaded_networks import channels_last
from .networks import PRESET_NETWORK, STYLE_TRANSFORMER
from .picture import Picture
from .request import RenderRequest
from .rendering.tiles import Network
from .styles import PaintingBlend, PresetBlend


def conditioned_network(request: RenderRequest, device: DeviceChoice, network: Callable[[str, DeviceChoice], nn.Module],
                        style_vector: Callable[[Picture], torch.Tensor]) -> Network:
    style, dtype = request.style, device.dtype
    layout = _layout_for(device)
    if isinstance(style, PresetBlend):
        weights = torch.tensor([style.weight_vector()], device=device.torch_device, dtype=dtype)
        presets = network(PRESET_NETWORK, device)
        return lambda image, statistics: presets(layout(image), weights, statistics)
    if isinstance(style, PaintingBlend):
        vector = painting_vector(style, request.content, request.settings.strength, style_vector)
        vector = vector.to(device=device.torch_device, dtype=dtype)
        transformer = network(STYLE_TRANSFORMER, device)
        return lambda image, statistics: transformer(layout(image), vector, statistics)
    raise InvalidRequestError(f"unknown style {style!r}")


def painting_vector(style: PaintingBlend, photo: Picture, strength: float,
                    style_vector: Callable[[Picture], torch.Tensor]) -> torch.Tensor:
    """The paintings' mixed style vector; below strength 1 moved towards the photo's own style,
    as Ghiasi et al. interpolate."""
    vector = sum(w * style_vector(p) for p, w in zip(style.paintings, style.weights))
    if strength < 1.0:
        vector = strength * vector + (1.0 - strength) * style_vector(photo)
    return vector


def _layout_for(device: DeviceChoice) -> Callable[[torch.Tensor], torch.Tensor]:
    if channels_last(device):
        return lambda image: image.contiguous(memory_format=torch.channels_last)
    return lambda image: image
