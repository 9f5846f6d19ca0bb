"""Running a network over an image of any size in tiles, without seams.

Instance norm makes every output pixel depend on statistics of the whole image, so tiles
normalised on their own disagree at their borders. Following Chen et al. (AAAI 2022,
"thumbnail instance normalisation"), the statistics of every norm layer are recorded once on
a thumbnail of the whole image and replayed in every tile. Each tile is run with a margin of
context wider than the network's receptive field, which is then cropped away, so a tile's core
equals what the network computes for the same pixels in one piece with the same statistics:
the tiles meet exactly, with nothing to blend.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from ..networks.layers import NormStatistics, RecordingStatistics, ReplayedStatistics
from ..progress import CancelToken

# The networks' receptive field reaches 62 px from a pixel (measured: 9x9 stem, two stride-2 convs,
# twelve 3x3 convs at quarter resolution, two upsampling convs, 9x9 output).
TILE_MARGIN = 80
GRID = 4  # the networks downsample by 4: tiles start on this grid
THUMBNAIL_LONG_SIDE = 1024

Network = Callable[[torch.Tensor, NormStatistics], torch.Tensor]
"""A network with its conditioning bound: (image (1,3,H,W) in [0,1], statistics) -> image."""


def run_padded(network: Network, image: torch.Tensor, statistics: NormStatistics) -> torch.Tensor:
    """Reflect-pad H and W up to multiples of 4, run, crop back."""
    h, w = image.shape[-2:]
    pad_h, pad_w = -h % GRID, -w % GRID
    if pad_h or pad_w:
        image = F.pad(image, (0, pad_w, 0, pad_h), mode="reflect")
    return network(image, statistics)[..., :h, :w]


def thumbnail_statistics(network: Network, image_source, size: tuple[int, int], device, dtype) -> list:
    """Norm statistics of the whole picture, measured on a thumbnail of it."""
    width, height = size
    scale = min(1.0, THUMBNAIL_LONG_SIDE / max(width, height))
    thumb_w, thumb_h = max(GRID, round(width * scale)), max(GRID, round(height * scale))
    thumbnail = image_source.thumbnail(thumb_w, thumb_h).to(device=device, dtype=dtype)
    recorder = RecordingStatistics()
    run_padded(network, thumbnail, recorder)
    return recorder.recorded


@dataclass(frozen=True)
class TilePlan:
    tile: int  # core side, a multiple of GRID

    def cores(self, width: int, height: int):
        for top in range(0, height, self.tile):
            for left in range(0, width, self.tile):
                yield top, left, min(self.tile, height - top), min(self.tile, width - left)

    def count(self, width: int, height: int) -> int:
        return -(-width // self.tile) * -(-height // self.tile)


def run_tiled(
    network: Network,
    image_source,
    size: tuple[int, int],
    statistics: list,
    plan: TilePlan,
    write_core: Callable[[int, int, torch.Tensor], None],
    device,
    dtype,
    token: CancelToken,
) -> None:
    """Run ``network`` tile by tile with replayed ``statistics``; hand each core to ``write_core``."""
    width, height = size
    total = plan.count(width, height)
    for done, (top, left, core_h, core_w) in enumerate(plan.cores(width, height)):
        token.progress(done / total)
        in_top, in_left = max(0, top - TILE_MARGIN), max(0, left - TILE_MARGIN)
        in_bottom, in_right = min(height, top + core_h + TILE_MARGIN), min(width, left + core_w + TILE_MARGIN)
        tile = image_source.region(in_top, in_left, in_bottom - in_top, in_right - in_left)
        with torch.inference_mode():
            out = run_padded(network, tile.to(device=device, dtype=dtype), ReplayedStatistics(statistics))
        core = out[..., top - in_top : top - in_top + core_h, left - in_left : left - in_left + core_w]
        write_core(top, left, core)
    token.progress(1.0)
