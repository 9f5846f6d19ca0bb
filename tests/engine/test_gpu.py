"""The engine on an NVIDIA GPU (skipped where there is none): precision, tiles, regions and the
out-of-memory retries for real. Run on a lent GPU by scripts/gpu_check.sh."""

from pathlib import Path

import numpy as np
import pytest
import torch

from engine import Engine, EngineSettings, RenderRequest, RenderSettings, load_picture, painting, preset
from engine.regions import StyleRegion
from engine.rendering.resizing import resized
from engine.resources import resource_path

pytestmark = pytest.mark.gpu
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def photos():
    return [load_picture(resource_path("images", "chelsea.png")), load_picture(DATA / "coffee.jpg")]


def pixels(engine, request):
    return engine.render(request).picture.pixels.astype(int)


def test_fp16_on_cuda_stays_within_two_levels_of_fp32(photos):
    half = Engine(EngineSettings(device="cuda", precision="fp16"))
    full = Engine(EngineSettings(device="cuda", precision="fp32"))
    for photo in photos:
        for style in (preset(7), preset(13), painting(photos[0])):
            request = RenderRequest(photo, style, RenderSettings(stroke=None))
            assert np.abs(pixels(half, request) - pixels(full, request)).max() <= 2


def test_cuda_matches_the_cpu(photos):
    gpu = Engine(EngineSettings(device="cuda", precision="fp32"))
    cpu = Engine(EngineSettings(device="cpu"))
    for style in (preset(3), painting(photos[1])):
        request = RenderRequest(photos[0], style, RenderSettings(stroke=None))
        assert np.abs(pixels(gpu, request) - pixels(cpu, request)).max() <= 1


@pytest.mark.parametrize("precision", ["fp32", "fp16"])
def test_tiles_on_cuda_equal_one_piece_with_the_same_statistics(precision):
    from .conftest import smooth_picture, textured_painting
    from .test_tiles import tiled_and_whole

    engine = Engine(EngineSettings(device="cuda", precision=precision))
    for style in (preset(4), painting(textured_painting())):
        tiled, whole = tiled_and_whole(engine, RenderRequest(smooth_picture(403, 297), style))
        assert (tiled.float() - whole.float()).abs().max().item() <= 2 / 255


def test_a_region_render_on_cuda_matches_the_cpu(photos):
    photo = resized(photos[1], 400, 266)
    mask = np.zeros((266, 400), np.float32)
    mask[:, :200] = 1
    request = RenderRequest(photo, preset(12), RenderSettings(stroke=None), regions=(StyleRegion(preset(3), mask),))
    gpu = pixels(Engine(EngineSettings(device="cuda", precision="fp32")), request)
    assert np.abs(gpu - pixels(Engine(EngineSettings(device="cpu")), request)).mean() <= 0.5


def test_out_of_memory_for_real_retries_smaller_then_says_so(photos):
    """With a sliver of the card, a large native render has to retry in smaller tiles or on the CPU."""
    engine = Engine(EngineSettings(device="cuda", precision="fp16"))
    torch.cuda.set_per_process_memory_fraction(0.002)
    try:
        photo = resized(photos[0], 3000, 1996)
        result = engine.render(RenderRequest(photo, preset(7), RenderSettings(stroke=None)))
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)
        torch.cuda.empty_cache()
    assert result.picture.size == (3000, 1996)
    assert any("out of memory" in note or "on the CPU" in note for note in result.notes)


def test_high_quality_out_of_memory_for_real_retries_at_a_smaller_size(photos, monkeypatch):
    from engine.rendering import optimise

    monkeypatch.setattr(optimise.Pyramid, "for_long_side", classmethod(lambda cls, side: cls((1.0,), (3,))))
    engine = Engine(EngineSettings(device="cuda"))
    torch.cuda.set_per_process_memory_fraction(0.01)
    try:
        request = RenderRequest(resized(photos[1], 2048, 1365), preset(3), RenderSettings(quality="high", stroke=0.5))
        try:
            result = engine.render(request)
        except Exception as exc:  # noqa: BLE001 - out of memory at every size is a clear error too
            from engine import OutOfMemoryError

            assert isinstance(exc, OutOfMemoryError)
            return
    finally:
        torch.cuda.set_per_process_memory_fraction(1.0)
        torch.cuda.empty_cache()
    assert result.picture.size == (2048, 1365)
    assert any("optimised at" in note for note in result.notes)
