"""Tiling with thumbnail statistics leaves no seam."""

import numpy as np
import pytest
import torch

from engine import Engine, EngineSettings, RenderRequest, RenderSettings, load_picture, painting, preset
from engine.networks.layers import ReplayedStatistics
from engine.progress import CancelToken
from engine.rendering.sources import PictureSource, resized
from engine.rendering.tiles import TilePlan, run_padded, run_tiled, thumbnail_statistics
from engine.resources import resource_path

from .conftest import smooth_picture, textured_painting

TILE = 128


def tiled_and_whole(engine, request):
    network = engine._bound_network(request)
    source = PictureSource(request.content)
    size = request.content.size
    cpu = torch.device("cpu")
    with torch.inference_mode():
        stats = thumbnail_statistics(network, source, size, cpu, torch.float32)
        whole = run_padded(network, source.region(0, 0, size[1], size[0]), ReplayedStatistics(stats))
    tiled = torch.zeros_like(whole)

    def write(top, left, core):
        tiled[..., top : top + core.shape[-2], left : left + core.shape[-1]] = core

    run_tiled(network, source, size, stats, TilePlan(TILE), write, cpu, torch.float32, CancelToken())
    return tiled, whole


def test_tiles_equal_one_piece_with_the_same_statistics(cpu_engine):
    content = smooth_picture(403, 297)  # sides on no tile or 4-pixel grid
    for style in (preset(4), painting(textured_painting())):
        tiled, whole = tiled_and_whole(cpu_engine, RenderRequest(content, style))
        assert (tiled - whole).abs().max().item() <= 2 / 255


def test_no_tile_edge_stands_out():
    tile = 256  # the smallest tile the engine uses
    engine = Engine(EngineSettings(device="cpu", tile_pixels=tile * tile))
    content = smooth_picture(700, 540)
    result = engine.render(RenderRequest(content, preset(11), RenderSettings(stroke=None)))
    assert result.tiles == 9
    image = result.picture.pixels.astype(np.float32)
    column_steps = np.abs(np.diff(image, axis=1)).mean(axis=(0, 2))  # step between column x and x+1
    row_steps = np.abs(np.diff(image, axis=0)).mean(axis=(1, 2))
    for steps in (column_steps, row_steps):
        at_edges = steps[tile - 1 :: tile]
        assert at_edges.max() <= np.percentile(steps, 95)


def _out_of_memory_above(monkeypatch, engine, pixel_limit: int) -> None:
    """Make the network run out of memory on inputs above ``pixel_limit``, as a small GPU would."""
    bind = engine._bound_network

    def bound_with_a_limit(request):
        network = bind(request)

        def limited(image, statistics):
            if image.shape[-2] * image.shape[-1] > pixel_limit:
                raise torch.OutOfMemoryError("out of memory (simulated)")
            return network(image, statistics)

        return limited

    monkeypatch.setattr(engine, "_bound_network", bound_with_a_limit)


def test_out_of_memory_retries_in_smaller_tiles_with_the_same_look(monkeypatch):
    engine = Engine(EngineSettings(device="cpu", keep_freed_memory=False))
    photo = resized(load_picture(resource_path("images", "chelsea.png")), 1100, 733)
    request = RenderRequest(photo, preset(4), RenderSettings(stroke=None))
    roomy = engine.render(request)
    _out_of_memory_above(monkeypatch, engine, 750_000)  # one piece (1100 x 736) does not; thumbnail and tiles fit
    tight = engine.render(request)
    assert tight.tiles == 2 and any("retried with 768 px tiles" in note for note in tight.notes)
    assert tight.picture.size == photo.size
    difference = np.abs(tight.picture.pixels.astype(int) - roomy.picture.pixels.astype(int))
    assert difference.mean() < 3  # thumbnail statistics instead of the picture's own: close (1.76), not equal


def test_out_of_memory_at_every_tile_size_is_a_clear_error(monkeypatch):
    from engine import OutOfMemoryError

    engine = Engine(EngineSettings(device="cpu", keep_freed_memory=False))
    _out_of_memory_above(monkeypatch, engine, 0)
    with pytest.raises(OutOfMemoryError, match="not enough memory"):
        engine.render(RenderRequest(smooth_picture(600, 400), preset(4), RenderSettings(stroke=None)))
