"""Tiling with thumbnail statistics leaves no seam."""

import numpy as np
import pytest
import torch

from engine import CancelToken, Engine, EngineSettings, RenderRequest, RenderSettings, load_picture, painting, preset
from engine.loaded_networks import LoadedNetworks
from engine.networks.layers import ReplayedStatistics
from engine.rendering.resizing import resized
from engine.rendering.tiles import Placement, Region, retry_placements, run_padded, run_tiled, thumbnail_statistics
from engine.resources import resource_path
from engine.weights import load_network

from .conftest import smooth_picture, textured_painting

TILE = 128


def tiled_and_whole(engine, request):
    network = engine.conditioned_network(request, engine.device)
    content = request.content
    stats = thumbnail_statistics(network, content, engine.device)
    with torch.inference_mode():
        whole = run_padded(network, content.tensor(), ReplayedStatistics(stats), Region(0, 0, *content.size[::-1]))
    tiled = torch.zeros_like(whole)

    def write(top, left, core):
        tiled[..., top : top + core.shape[-2], left : left + core.shape[-1]] = core

    run_tiled(network, content, stats, TILE, write, engine.device, CancelToken())
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


def engine_out_of_memory_above(pixel_limit: int) -> Engine:
    """An engine whose networks run out of memory on inputs above ``pixel_limit``, as a small GPU's would."""

    def load(name, device, dtype):
        network = load_network(name, device, dtype)
        forward = network.forward

        def limited(image, *conditioning):
            if image.shape[-2] * image.shape[-1] > pixel_limit:
                raise torch.OutOfMemoryError("out of memory (simulated)")
            return forward(image, *conditioning)

        network.forward = limited
        return network

    return Engine(EngineSettings(device="cpu", keep_freed_memory=False), LoadedNetworks(load=load))


def test_out_of_memory_retries_in_smaller_tiles_with_the_same_look():
    photo = resized(load_picture(resource_path("images", "chelsea.png")), 1100, 733)
    request = RenderRequest(photo, preset(4), RenderSettings(stroke=None))
    roomy = Engine(EngineSettings(device="cpu", keep_freed_memory=False)).render(request)
    # one piece (1100 x 736) does not fit; the thumbnail and the tiles do
    tight = engine_out_of_memory_above(750_000).render(request)
    assert tight.tiles == 2 and any("retried with 768 px tiles" in note for note in tight.notes)
    assert tight.picture.size == photo.size
    difference = np.abs(tight.picture.pixels.astype(int) - roomy.picture.pixels.astype(int))
    assert difference.mean() < 3  # thumbnail statistics instead of the picture's own: close (1.76), not equal


def test_out_of_memory_at_every_tile_size_is_a_clear_error():
    from engine import OutOfMemoryError

    with pytest.raises(OutOfMemoryError, match="not enough memory"):
        engine_out_of_memory_above(0).render(RenderRequest(smooth_picture(600, 400), preset(4), RenderSettings(stroke=None)))


def test_out_of_memory_on_a_gpu_halves_the_tiles_then_moves_to_the_cpu():
    from engine.devices import DeviceChoice

    gpu = DeviceChoice(torch.device("cpu"), torch.float16, "a GPU")
    cpu = DeviceChoice(torch.device("cpu"), torch.float32, "CPU")
    tried = [(p.device.description, p.tile_side, note) for p, note in
             retry_placements(Placement(gpu, 1024), Placement(cpu, 512))]
    assert tried == [("a GPU", 1024, None), ("a GPU", 512, "out of memory: retried with 512 px tiles"),
                     ("a GPU", 256, "out of memory: retried with 256 px tiles"),
                     ("CPU", 512, "GPU out of memory even with small tiles: rendered on the CPU instead"),
                     ("CPU", 256, "out of memory: retried with 256 px tiles")]


def test_a_render_that_falls_back_to_the_cpu_says_where_it_ran():
    from engine.devices import DeviceChoice
    from engine.rendering.tiles import run_with_retries

    gpu = DeviceChoice(torch.device("cpu"), torch.float16, "a GPU")
    cpu = DeviceChoice(torch.device("cpu"), torch.float32, "CPU")

    def network_on(device):
        def network(image, statistics, window):
            if device is gpu:
                raise torch.OutOfMemoryError("out of memory (simulated)")
            return image

        return network

    picture = smooth_picture(300, 200)
    written = []
    notes = []
    tiles, used = run_with_retries(network_on, picture, lambda top, left, block: written.append(block), CancelToken(),
                                   retry_placements(Placement(gpu, 512), Placement(cpu, 512)), notes)
    assert used.device is cpu and tiles == 1 and len(written) == 1
    assert notes[-1] == "GPU out of memory even with small tiles: rendered on the CPU instead"


def test_fixed_statistics_give_every_frame_of_a_shot_the_same_normalisation(cpu_engine):
    """A frame rendered with its shot's statistics matches it rendered with its own statistics when
    the shot is that frame alone, and the statistics of two frames pool between theirs."""
    from engine.networks.layers import FixedStatistics

    frame, other = smooth_picture(320, 200, seed=4), smooth_picture(320, 200, seed=5)
    request = RenderRequest(frame, preset(6), RenderSettings(stroke=None))
    own = cpu_engine.render(request).picture.pixels.astype(int)
    alone = cpu_engine.shot_statistics(request, [frame])
    replayed = cpu_engine.render(RenderRequest(frame, preset(6), RenderSettings(stroke=None), statistics=alone))
    assert np.abs(replayed.picture.pixels.astype(int) - own).max() <= 1
    both = cpu_engine.shot_statistics(request, [frame, other])
    second = cpu_engine.shot_statistics(request, [other])
    first_mean, pooled_mean, second_mean = (s.passes[0][0][0] for s in (alone, both, second))
    assert torch.allclose(pooled_mean, (first_mean + second_mean) / 2, atol=1e-5)
    assert isinstance(both, FixedStatistics) and len(both.passes[0]) == len(alone.passes[0])
