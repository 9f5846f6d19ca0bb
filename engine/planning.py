"""From a request to a plan: the sizes a render works at, and how big its tiles may be.

Pure functions of sizes and numbers, no torch: the engine asks the device for its free memory
and hands the number in, so every rule here is tested on sizes alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .limits import MIN_SIDE, scaled_size
from .settings import REFERENCE_LONG_SIDE, RenderSettings

GRID = 4  # the networks downsample twice by 2: tiles start on this grid and sides are padded to it
MIN_TILE = 256
CPU_TILE_PIXELS = 1536 * 1536
# Peak activation bytes per working pixel on a GPU, by bytes per element, with slack (the CPU
# profiler measured 301 for the preset network in fp32: docs/benchmarks.md).
GPU_BYTES_PER_PIXEL = {2: 400, 4: 800}
GPU_MAX_TILE_PIXELS = 3072 * 3072
GPU_MEMORY_SHARE = 0.6  # of the free memory, for one tile's activations
# The optimisation holds every feature map for its gradient and L-BFGS's history (about 5 GB at
# 2048 px, estimated from the CPU); larger outputs are reached from it with detail transfer.
HIGH_QUALITY_MAX_LONG_SIDE = 2048


@dataclass(frozen=True)
class RenderPlan:
    output_size: tuple[int, int]
    working_size: tuple[int, int]  # where the network runs
    tile_side: int  # a tile's core side; a working image of at most tile_side² pixels runs in one piece

    @property
    def at_output_size(self) -> bool:
        """The network's result is the output itself: no enlarging or shrinking after it."""
        return self.working_size == self.output_size


def plan_render(content_size: tuple[int, int], settings: RenderSettings, tile_pixels: int) -> RenderPlan:
    output = output_size(content_size, settings.output_long_side)
    return RenderPlan(output, working_size(content_size, output, settings), tile_side(tile_pixels))


def scaled(size: tuple[int, int], long_side: float) -> tuple[int, int]:
    """``size`` brought to ``long_side``, keeping its proportions, no side under the minimum."""
    width, height = scaled_size(size, long_side)
    return max(MIN_SIDE, width), max(MIN_SIDE, height)


def output_size(content_size: tuple[int, int], output_long_side: int | None) -> tuple[int, int]:
    return content_size if output_long_side is None else scaled(content_size, output_long_side)


def working_size(content_size: tuple[int, int], output: tuple[int, int], settings: RenderSettings) -> tuple[int, int]:
    """The stroke size alone fixes the working long side, so a preview, a small photo and a
    6000-px export all get strokes of the same size relative to the picture."""
    long_side = max(output) if settings.stroke is None else REFERENCE_LONG_SIDE / settings.stroke
    if settings.max_working_side:
        long_side = min(long_side, settings.max_working_side)
    if settings.quality == "high":
        long_side = min(long_side, HIGH_QUALITY_MAX_LONG_SIDE)
    if settings.stroke is None and long_side == max(output):
        return output
    return scaled(content_size, long_side)


def statistics_size(working_size: tuple[int, int], thumbnail_long_side: int) -> tuple[int, int]:
    """Where norm statistics of a picture (or a video shot) are measured: its working size,
    shrunk to a thumbnail of at most ``thumbnail_long_side``."""
    width, height = working_size
    scale = min(1.0, thumbnail_long_side / max(width, height))
    return max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale))


def tile_pixels(device_kind: str, element_bytes: int, free_bytes: int | None, chosen: int | None = None) -> int:
    """How many working pixels one tile may hold: ``chosen`` when set, else from free memory on a
    GPU and a fixed budget on the CPU (whose larger tiles only cost cache misses)."""
    if chosen:
        return chosen
    if device_kind == "cuda" and free_bytes is not None:
        return min(GPU_MAX_TILE_PIXELS, int(free_bytes * GPU_MEMORY_SHARE / GPU_BYTES_PER_PIXEL[element_bytes]))
    return CPU_TILE_PIXELS


def tile_side(pixels: int) -> int:
    """The side of a square tile of about ``pixels``, on the grid, never under ``MIN_TILE``."""
    side = int(math.sqrt(max(pixels, MIN_TILE * MIN_TILE)))
    return max(MIN_TILE, side - side % GRID)


def smaller_tile_side(side: int) -> int | None:
    """Half the side (a quarter of the pixels) after running out of memory, or None below ``MIN_TILE``."""
    return tile_side((side // 2) ** 2) if side // 2 >= MIN_TILE else None
