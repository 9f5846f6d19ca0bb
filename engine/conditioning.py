"""Networks with their styles bound in, so that tiles and thumbnails see a plain
(image, statistics, window) -> image.

A plain request binds one blend of presets or one painting vector. A request with regions binds
a ``StyleMap``: every style's conditioning and where it goes, cropped to each tile. Presets and
paintings live in different networks, so a picture that mixes them takes one pass of each,
composited by where each network's styles go.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import nn

from .devices import DeviceChoice
from .errors import InvalidRequestError
from .loaded_networks import channels_last
from .networks import PRESET_NETWORK, STYLE_TRANSFORMER
from .networks.layers import StyleMap
from .picture import Picture
from .regions import PHOTO, StyleLayout, gaussian_blur
from .rendering.tiles import Network, Window
from .request import RenderRequest
from .styles import PaintingBlend, PresetBlend

COMPOSITE_SOFTENING = 1.0  # px of working size: the sigma that softens the seam between two networks' results
NetworkGetter = Callable[[str, DeviceChoice], nn.Module]
StyleVector = Callable[..., torch.Tensor]  # (picture, painting=True): Engine.style_vector


@dataclass(frozen=True, eq=False)
class NetworkPass:
    """One run of one network over the working picture, and where its result is kept."""

    network_on: Callable[[DeviceChoice], Network]  # the conditioned network on a device (a retry may change it)
    share: torch.Tensor | None  # (1, 1, H, W) at working size; None: everywhere
    presets: bool  # the preset network: its strength is a fade to the photo, after it


def network_passes(request: RenderRequest, layout: StyleLayout | None, network: NetworkGetter,
                   style_vector: StyleVector) -> list[NetworkPass]:
    """The passes a request needs: one, or for regions that mix presets and paintings, two."""
    if layout is None or len(layout.styles) == 1:
        style = request.style if layout is None else layout.styles[0]
        conditioning = _conditioning(style, request, style_vector)
        name = PRESET_NETWORK if isinstance(style, PresetBlend) else STYLE_TRANSFORMER
        return [NetworkPass(lambda device: _plain(network(name, device), conditioning, device), None,
                            name == PRESET_NETWORK)]
    passes = []
    for name in (PRESET_NETWORK, STYLE_TRANSFORMER):
        members = [k for k, style in enumerate(layout.styles) if isinstance(style, PresetBlend) == (name == PRESET_NETWORK)]
        if not members:
            continue
        vectors = torch.cat([_conditioning(layout.styles[k], request, style_vector) for k in members])
        weights, share = _within(layout.weights, members)
        passes.append(NetworkPass(lambda device, n=name, v=vectors, w=weights: _mapped(network(n, device), v, w, device),
                                  share if len(members) < len(layout.styles) else None, name == PRESET_NETWORK))
    if len(passes) > 1:  # put together by their shares, lightly softened so a hard mask leaves no jagged seam
        shares = gaussian_blur(torch.cat([p.share for p in passes], dim=1), COMPOSITE_SOFTENING)
        shares = shares / shares.sum(dim=1, keepdim=True)
        passes = [replace(p, share=shares[:, i : i + 1]) for i, p in enumerate(passes)]
    return passes


def _conditioning(style, request: RenderRequest, style_vector: StyleVector) -> torch.Tensor:
    """A style's conditioning vector: 26 preset weights, or a 100-number style vector."""
    if isinstance(style, PresetBlend):
        return torch.tensor([style.weight_vector()])
    if isinstance(style, PaintingBlend):
        return painting_vector(style, request.content, request.settings.strength, style_vector)
    if style == PHOTO:
        return style_vector(request.content, painting=False)
    raise InvalidRequestError(f"unknown style {style!r}")


def painting_vector(style: PaintingBlend, photo: Picture, strength: float, style_vector: StyleVector) -> torch.Tensor:
    """The paintings' mixed style vector; below strength 1 moved towards the photo's own style,
    as Ghiasi et al. interpolate."""
    vector = sum(w * style_vector(p) for p, w in zip(style.paintings, style.weights))
    if strength < 1.0:
        vector = strength * vector + (1.0 - strength) * style_vector(photo, painting=False)
    return vector


def _within(weights: torch.Tensor, members: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """The members' weights renormalised among themselves, and their share of each pixel. Where
    they have no share their result is not kept: the member with the most weight overall goes
    there, so the norm statistics of the pass stay those of its own styles."""
    own = weights[:, members]
    share = own.sum(dim=1, keepdim=True)
    fallback = torch.zeros_like(own)
    fallback[:, int(own.sum(dim=(0, 2, 3)).argmax())] = 1.0
    return torch.where(share > 1e-6, own / share.clamp_min(1e-6), fallback), share


def _plain(module: nn.Module, conditioning: torch.Tensor, device: DeviceChoice) -> Network:
    conditioning = conditioning.to(device.torch_device, device.dtype)
    layout = _layout_for(device)
    return lambda image, statistics, window: module(layout(image), conditioning, statistics)


def _mapped(module: nn.Module, vectors: torch.Tensor, weights: torch.Tensor, device: DeviceChoice) -> Network:
    vectors = vectors.to(device.torch_device, device.dtype)
    layout = _layout_for(device)

    def network(image: torch.Tensor, statistics, window: Window) -> torch.Tensor:
        local = weights_in_window(weights, window, image.shape[-2:]).to(device.torch_device, device.dtype)
        return module(layout(image), StyleMap(vectors, local), statistics)

    return network


def weights_in_window(weights: torch.Tensor, window: Window, padded_size: tuple[int, int]) -> torch.Tensor:
    """The part of the working-size ``weights`` an image shows: cropped to the window's region,
    shrunk to a thumbnail's size (area averages), padded like the image."""
    region = window.region
    local = weights[..., region.top : region.top + region.height, region.left : region.left + region.width]
    if (window.height, window.width) != (region.height, region.width):
        local = F.interpolate(local, size=(window.height, window.width), mode="area")
    pad_h, pad_w = padded_size[0] - window.height, padded_size[1] - window.width
    return F.pad(local, (0, pad_w, 0, pad_h), mode="replicate") if pad_h or pad_w else local


def _layout_for(device: DeviceChoice) -> Callable[[torch.Tensor], torch.Tensor]:
    if channels_last(device):
        return lambda image: image.contiguous(memory_format=torch.channels_last)
    return lambda image: image
