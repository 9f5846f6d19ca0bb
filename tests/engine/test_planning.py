"""The render plan, on sizes alone: no torch, no device."""

from engine.planning import (
    CPU_TILE_PIXELS,
    GPU_MAX_TILE_PIXELS,
    MIN_TILE,
    plan_render,
    smaller_tile_side,
    tile_pixels,
    tile_side,
)
from engine.settings import RenderSettings


def test_stroke_one_works_at_1024_px_whatever_the_output():
    for size in [(6000, 4000), (451, 300)]:
        plan = plan_render(size, RenderSettings(), CPU_TILE_PIXELS)
        assert max(plan.working_size) == 1024 and plan.output_size == size and not plan.at_output_size


def test_native_works_at_the_output_size():
    plan = plan_render((6000, 4000), RenderSettings(stroke=None, output_long_side=3000), CPU_TILE_PIXELS)
    assert plan.output_size == plan.working_size == (3000, 2000) and plan.at_output_size


def test_a_draft_and_high_quality_cap_the_working_size():
    assert max(plan_render((6000, 4000), RenderSettings(max_working_side=384), CPU_TILE_PIXELS).working_size) == 384
    high = RenderSettings(quality="high", stroke=0.25)  # 4096 px asked for
    assert max(plan_render((6000, 4000), high, CPU_TILE_PIXELS).working_size) == 2048


def test_proportions_are_kept_and_no_side_falls_under_the_minimum():
    plan = plan_render((2000, 100), RenderSettings(stroke=4.0), CPU_TILE_PIXELS)
    assert plan.working_size == (256, 16)


def test_tiles_are_on_the_grid_and_never_tiny():
    assert tile_side(1536 * 1536) == 1536 and tile_side(1000 * 1000) % 4 == 0 and tile_side(10) == MIN_TILE
    assert smaller_tile_side(1024) == 512 and smaller_tile_side(MIN_TILE) is None


def test_gpu_tiles_follow_free_memory_and_a_setting_wins():
    assert tile_pixels("cpu", 4, None) == CPU_TILE_PIXELS
    assert tile_pixels("cuda", 2, 4 * 2**30) == min(GPU_MAX_TILE_PIXELS, int(4 * 2**30 * 0.6 / 400))
    assert tile_pixels("cuda", 2, 512 * 2**20) < tile_pixels("cuda", 2, 2 * 2**30)
    assert tile_pixels("cuda", 2, 4 * 2**30, chosen=256 * 256) == 256 * 256
