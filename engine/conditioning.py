"""Networks with their styles bound in, so that tiles and thumbnails see a plain
(image, statistics, window) -> image.

A plain request binds one blend of presets or one painting vector. A request with regions takes
one pass per style, each the style alone over the whole picture with its own norm statistics, put
together by where each style goes (its share): away from a region's border, every pixel is the
render of the style that covers it, exactly. (One pass mixing the styles inside the norm layers,
with shared or per-region statistics, moved everything outside a region by 17-22 levels and
flattened its contrast: docs/benchmarks.md.) What the shares leave over is the photo's own,
blended in at the output's size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import torch
from torch import nn

from .devices import DeviceChoice
from .errors import InvalidRequestError
from .loaded_networks import channels_last
from .networks import PRESET_NETWORK, STYLE_TRANSFORMER, STYLE_VECTOR_SIZE
from .networks.style_transformer import NORM_SHIFTS
from .picture import Picture
from .regions import NEGLIGIBLE_WEIGHT, StyleLayout
from .rendering.tiles import Network, Region
from .request import RenderRequest
from .styles import PaintingBlend, PresetBlend

LEARNED_WIDTH = STYLE_VECTOR_SIZE + NORM_SHIFTS  # a learned style's conditioning: the vector, then the shifts
UNSEEN_SHARE = 1 / 2048  # a share this small moves no pixel by an eighth of a level: its tiles need not run
NetworkGetter = Callable[[str, DeviceChoice], nn.Module]
StyleVector = Callable[..., torch.Tensor]  # (picture, painting=True): Engine.style_vector


@dataclass(frozen=True, eq=False)
class NetworkPass:
    """One run of one network over the working picture, and how much of its result is kept."""

    network_on: Callable[[DeviceChoice], Network]  # the conditioned network on a device (a retry may change it)
    share: torch.Tensor | None  # (1, 1, H, W) at working size; None: all of the picture, everywhere
    presets: bool  # the preset network: its strength is a fade to the photo, after it

    def wanted(self, core: Region) -> bool:
        """Whether any of ``core`` keeps this pass's result (tiles elsewhere need not run)."""
        return self.share is None or bool(core.of(self.share).max() > UNSEEN_SHARE)


def network_passes(request: RenderRequest, layout: StyleLayout | None, network: NetworkGetter,
                   style_vector: StyleVector) -> list[NetworkPass]:
    """The passes a request needs: one, or with regions one per style that goes somewhere (none
    where the photo covers everything)."""
    styles = (request.style,) if layout is None else layout.styles
    names = [PRESET_NETWORK if isinstance(style, PresetBlend) else STYLE_TRANSFORMER for style in styles]
    # Styles of one network share the layers before its first style norm (measured at 1024²: 70 of
    # 265 ms of a preset pass, 36 ms of a painting pass).
    stems = {name: SharedStem() for name in set(names) if names.count(name) > 1}
    passes = []
    for k, (style, name) in enumerate(zip(styles, names)):
        conditioning = _conditioning(style, request, style_vector)
        share = None
        if layout is not None:
            share = layout.weights[:, k : k + 1]
            if name == PRESET_NETWORK and request.settings.strength < 1.0:
                share = share * request.settings.strength  # the fade to the photo, by the photo's share
        passes.append(NetworkPass(_network_on(network, name, conditioning, stems.get(name)), share,
                                  name == PRESET_NETWORK))
    return passes


class SharedStem:
    """The last image's stem, for the next pass of another style over the same image: a pass runs
    over the whole picture before the next begins, so in one piece every pass after the first
    finds it (tiled, they would not: only the last tile is kept, to hold no more memory). The
    image itself is compared, not only where it lies: a video shot's frames share every window."""

    def __init__(self) -> None:
        self._image: torch.Tensor | None = None
        self._window = None
        self._stem: torch.Tensor | None = None

    def of(self, image: torch.Tensor, window, compute: Callable[[], torch.Tensor]) -> torch.Tensor:
        known = self._image
        same = (known is not None and window == self._window and known.shape == image.shape
                and known.dtype == image.dtype and known.device == image.device and torch.equal(known, image))
        if not same or self._stem is None:
            self._image, self._stem = None, None  # the old one goes before the new one is made
            self._stem, self._image, self._window = compute(), image, window
        return self._stem


def photo_share(layout: StyleLayout | None, passes: list[NetworkPass]) -> torch.Tensor | None:
    """What of each pixel is the photo's own (1, 1, H, W), or None where it is nowhere (or the
    render has no regions)."""
    if layout is None:
        return None
    taken = sum((p.share for p in passes if p.share is not None), torch.zeros_like(layout.weights[:, :1].sum(1, True)))
    remaining = (1 - taken).clamp_(0, 1)
    return remaining if remaining.max() >= NEGLIGIBLE_WEIGHT else None


def _conditioning(style, request: RenderRequest, style_vector: StyleVector) -> torch.Tensor:
    """A style's conditioning vector: 26 preset weights, or a 100-number style vector."""
    if isinstance(style, PresetBlend):
        return torch.tensor([style.weight_vector()])
    if isinstance(style, PaintingBlend):
        return painting_vector(style, request.content, request.settings.strength, style_vector)
    raise InvalidRequestError(f"unknown style {style!r}")


def painting_vector(style: PaintingBlend, photo: Picture, strength: float, style_vector: StyleVector) -> torch.Tensor:
    """The paintings' mixed style vector; below strength 1 moved towards the photo's own style,
    as Ghiasi et al. interpolate. A painting with a learned style brings its learned numbers (the
    norms' shifts after the vector); the others, and the photo, shift nothing. Mixing is linear in
    all of them, as it is in the vector."""
    learned = style.learned or (None,) * len(style.paintings)
    width = LEARNED_WIDTH if any(item is not None for item in learned) else STYLE_VECTOR_SIZE

    def conditioning_of(picture: Picture, item) -> torch.Tensor:
        if item is not None:
            return torch.from_numpy(item.conditioning).float().view(1, -1)
        return _widened(style_vector(picture), width)

    vector = cast(torch.Tensor, sum(w * conditioning_of(p, item) for p, w, item in zip(style.paintings, style.weights, learned)))
    if strength < 1.0:
        vector = strength * vector + (1.0 - strength) * _widened(style_vector(photo, painting=False), width)
    return vector


def _widened(vector: torch.Tensor, width: int) -> torch.Tensor:
    return vector if vector.shape[1] == width else torch.cat([vector, vector.new_zeros(1, width - vector.shape[1])], 1)


def _network_on(network: NetworkGetter, name: str, conditioning: torch.Tensor,
                stem: SharedStem | None) -> Callable[[DeviceChoice], Network]:
    return lambda device: _plain(network(name, device), conditioning, device, stem)


def _plain(module: Any, conditioning: torch.Tensor, device: DeviceChoice, stem: SharedStem | None) -> Network:
    conditioning = conditioning.to(device.torch_device, device.dtype)
    layout = _layout_for(device)
    if stem is None:
        return lambda image, statistics, window: module(layout(image), conditioning, statistics)

    def network(image: torch.Tensor, statistics, window) -> torch.Tensor:
        features = stem.of(image, window, lambda: module.stem(layout(image)))
        return module.styled(features, conditioning, statistics)

    return network


def _layout_for(device: DeviceChoice) -> Callable[[torch.Tensor], torch.Tensor]:
    if channels_last(device):
        return lambda image: image.contiguous(memory_format=torch.channels_last)
    return lambda image: image
