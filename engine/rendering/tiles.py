"""Running a network over a picture of any size, in tiles without seams, and what to do when
the device runs out of memory.

Instance norm makes every output pixel depend on statistics of the whole image, so tiles
normalised on their own disagree at their borders. Following Chen et al. (AAAI 2022,
"thumbnail instance normalisation"), the statistics of every norm layer are recorded once on
a thumbnail of the whole image and replayed in every tile. Each tile is run with a margin of
context wider than the network's receptive field, which is then cropped away, so a tile's core
equals what the network computes for the same pixels in one piece with the same statistics:
the tiles meet exactly, with nothing to blend.

Out of memory, a render is retried with tiles of half the side, then on the CPU, then it gives
up with a plain message (the policy of chaiNNer's ``auto_split``): ``run_with_retries``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import torch
import torch.nn.functional as F

from ..devices import DeviceChoice
from ..errors import OutOfMemoryError
from ..networks.layers import NormStatistics, RecordingStatistics, ReplayedStatistics
from ..picture import Picture
from ..planning import GRID, smaller_tile_side
from ..progress import CancelToken
from .resizing import resized

# The networks' receptive field reaches 62 px from a pixel (measured: 9x9 stem, two stride-2 convs,
# twelve 3x3 convs at quarter resolution, two upsampling convs, 9x9 output).
TILE_MARGIN = 80
THUMBNAIL_LONG_SIDE = 1024

Sink = Callable[[int, int, torch.Tensor], None]
"""Takes each finished block of a picture: (top, left, (1, 3, h, w) tensor)."""


class Region(NamedTuple):
    top: int
    left: int
    height: int
    width: int

    def grown(self, margin: int, width: int, height: int) -> Region:
        """This region with ``margin`` more on every side, clipped to a ``width`` x ``height`` picture."""
        top, left = max(0, self.top - margin), max(0, self.left - margin)
        bottom = min(height, self.top + self.height + margin)
        right = min(width, self.left + self.width + margin)
        return Region(top, left, bottom - top, right - left)

    def within(self, outer: Region) -> Region:
        """This region in the coordinates of ``outer``, which contains it."""
        return Region(self.top - outer.top, self.left - outer.left, self.height, self.width)

    def of(self, image: torch.Tensor) -> torch.Tensor:
        return image[..., self.top : self.top + self.height, self.left : self.left + self.width]


class Window(NamedTuple):
    """What an image handed to a network shows: ``region`` of the working picture at ``height`` x
    ``width`` (smaller than the region for a thumbnail); rows and columns beyond are padding."""

    region: Region
    height: int
    width: int


Network = Callable[[torch.Tensor, NormStatistics, Window], torch.Tensor]
"""A network with its conditioning bound: (image (1,3,H,W) in [0,1], statistics, window) -> image.
The window lets conditioning that varies across the picture (regions) find its part."""


def whole(picture: Picture) -> Region:
    return Region(0, 0, picture.height, picture.width)


def tile_cores(width: int, height: int, side: int) -> list[Region]:
    return [Region(top, left, min(side, height - top), min(side, width - left))
            for top in range(0, height, side) for left in range(0, width, side)]


def run_padded(network: Network, image: torch.Tensor, statistics: NormStatistics, region: Region) -> torch.Tensor:
    """Reflect-pad H and W up to multiples of the grid, run, crop back. ``image`` shows ``region``
    of the working picture."""
    h, w = image.shape[-2:]
    pad_h, pad_w = -h % GRID, -w % GRID
    if pad_h or pad_w:
        image = F.pad(image, (0, pad_w, 0, pad_h), mode="reflect")
    return network(image, statistics, Window(region, h, w))[..., :h, :w]


def thumbnail_statistics(network: Network, picture: Picture, device: DeviceChoice) -> list:
    """Norm statistics of the whole picture, measured on a thumbnail of it."""
    width, height = picture.size
    scale = min(1.0, THUMBNAIL_LONG_SIDE / max(width, height))
    thumbnail = resized(picture, max(GRID, round(width * scale)), max(GRID, round(height * scale)))
    recorder = RecordingStatistics()
    with torch.inference_mode():
        run_padded(network, thumbnail.tensor().to(device.torch_device, device.dtype), recorder, whole(picture))
    return recorder.recorded


Wanted = Callable[[Region], bool]
"""Whether a core of the picture is needed (a region's style is not needed where it goes nowhere)."""


def run_tiled(network: Network, picture: Picture, statistics: list, side: int, sink: Sink, device: DeviceChoice,
              token: CancelToken, wanted: Wanted | None = None) -> int:
    """Run ``network`` tile by tile with replayed ``statistics``; hand each core to ``sink``, but
    only the ``wanted`` ones. Returns the count of tiles run."""
    width, height = picture.size
    cores = tile_cores(width, height, side)
    run = 0
    for done, core in enumerate(cores):
        token.progress(done / len(cores))
        if wanted is not None and not wanted(core):
            continue
        run += 1
        context = core.grown(TILE_MARGIN, width, height)
        tile = picture.tensor(*context).to(device.torch_device, device.dtype)
        with torch.inference_mode():
            out = run_padded(network, tile, ReplayedStatistics(statistics), context)
        sink(core.top, core.left, core.within(context).of(out))
    token.progress(1.0)
    return run


@dataclass(frozen=True)
class Placement:
    """Where a network runs: the device, and the side of its tiles there."""

    device: DeviceChoice
    tile_side: int


def run_network(network: Network, picture: Picture, sink: Sink, token: CancelToken, placement: Placement,
                fixed: list | None = None, wanted: Wanted | None = None) -> int:
    """The network over the whole picture: in one piece when it fits a tile, else tiled with
    thumbnail statistics, skipping the tiles not ``wanted``; with ``fixed`` statistics (per
    layer), those everywhere. Returns the tile count."""
    width, height = picture.size
    device, side = placement.device, placement.tile_side
    if width * height <= side * side:
        token.progress(0.0)
        statistics = NormStatistics() if fixed is None else ReplayedStatistics(fixed)
        with torch.inference_mode():
            image = picture.tensor().to(device.torch_device, device.dtype)
            sink(0, 0, run_padded(network, image, statistics, whole(picture)))
        token.progress(1.0)
        return 1
    recorded = thumbnail_statistics(network, picture, device) if fixed is None else fixed
    return run_tiled(network, picture, recorded, side, sink, device, token, wanted)


CPU_FALLBACK_NOTE = "GPU out of memory even with small tiles: rendered on the CPU instead"


def retry_placements(first: Placement, cpu: Placement | None) -> Iterator[tuple[Placement, str | None]]:
    """Where to try, in order, with the note each retry leaves: as planned; then tiles of half the
    side down to the smallest; then (from a GPU) the CPU, again down to the smallest tiles."""
    for start, note in [(first, None)] + ([(cpu, CPU_FALLBACK_NOTE)] if cpu is not None else []):
        yield start, note
        side = smaller_tile_side(start.tile_side)
        while side is not None:
            yield Placement(start.device, side), f"out of memory: retried with {side} px tiles"
            side = smaller_tile_side(side)


def run_with_retries(network_on: Callable[[DeviceChoice], Network], picture: Picture, sink: Sink, token: CancelToken,
                     placements: Iterable[tuple[Placement, str | None]], notes: list[str],
                     fixed: list | None = None, wanted: Wanted | None = None) -> tuple[int, Placement]:
    """``run_network`` at each placement in turn until one has the memory. Returns the tile count
    and the placement that worked; ``notes`` gets what was retried."""
    tried = None
    for placement, note in placements:
        if note is not None:
            notes.append(note)
        try:
            return run_network(network_on(placement.device), picture, sink, token, placement, fixed, wanted), placement
        except torch.OutOfMemoryError:
            pass  # handled outside the except block, whose traceback still holds the tensors
        placement.device.release_cached_memory()
        tried = placement
    side = tried.tile_side if tried else 0
    raise OutOfMemoryError(f"not enough memory to render {picture.name}, even in {side} px tiles; "
                           f"close other programs or choose a larger stroke size")
