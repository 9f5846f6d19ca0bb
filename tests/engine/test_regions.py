"""Regions: each style where its mask says, mixed inside the networks; colour modes."""

import numpy as np
import pytest
import torch

from engine import Engine, EngineSettings, InvalidRequestError, RenderRequest, RenderSettings, painting, preset
from engine.networks.layers import ReplayedStatistics
from engine.regions import PHOTO, StyleRegion, snapped_to_edges, style_layout
from engine.rendering.resizing import resized
from engine.rendering.tiles import run_padded, run_tiled, thumbnail_statistics, whole

from .conftest import textured_painting

WIDTH, HEIGHT = 400, 266
LEFT_HALF = np.zeros((HEIGHT, WIDTH), np.float32)
LEFT_HALF[:, : WIDTH // 2] = 1
# The networks see 62 px around a pixel: compare the halves this far from the boundary.
AWAY = 80


@pytest.fixture(scope="module")
def coffee(photo):
    from pathlib import Path

    from engine import load_picture

    return resized(load_picture(Path(__file__).parent / "data" / "coffee.jpg"), WIDTH, HEIGHT)


def pixels(engine, content, style, regions=(), **settings):
    request = RenderRequest(content, style, RenderSettings(stroke=None, **settings), regions=regions)
    return engine.render(request).picture.pixels.astype(np.float64)


def mean_difference(a, b):
    return float(np.abs(a - b).mean())


@pytest.mark.parametrize("a, b", [(3, 12), (13, 7)])
def test_a_left_half_mask_gives_each_side_its_own_style(cpu_engine, coffee, a, b):
    only_a, only_b = pixels(cpu_engine, coffee, preset(a)), pixels(cpu_engine, coffee, preset(b))
    mixed = pixels(cpu_engine, coffee, preset(b), (StyleRegion(preset(a), LEFT_HALF),))
    left, right = slice(0, WIDTH // 2 - AWAY), slice(WIDTH // 2 + AWAY, WIDTH)
    styles_apart = mean_difference(only_a, only_b)
    # Measured (coffee, 400 px): left against A 49.9 and 33.3 levels, against B 106.6 and 66.3;
    # right against B 19.7 and 18.6, against A 116.0 and 58.2; A and B 100.9 and 53.5 apart. The
    # styles share the whole picture's norm statistics (Dumoulin et al.'s spatial blending), so a
    # side is its style as the mixed picture normalises it: near it, not equal to its render alone.
    for side, own, other in ((left, only_a, only_b), (right, only_b, only_a)):
        to_own, to_other = mean_difference(mixed[:, side], own[:, side]), mean_difference(mixed[:, side], other[:, side])
        assert to_own < 0.55 * to_other and to_own < 0.7 * styles_apart


def test_a_region_in_the_pictures_own_style_changes_nothing(cpu_engine, coffee):
    assert np.array_equal(pixels(cpu_engine, coffee, preset(7), (StyleRegion(preset(7), LEFT_HALF),)),
                          pixels(cpu_engine, coffee, preset(7)))


def test_feathering_makes_a_smooth_transition(cpu_engine, coffee):
    only_a = pixels(cpu_engine, coffee, preset(3))
    region = (StyleRegion(preset(3), LEFT_HALF),)

    def largest_step(picture):  # the largest change, column to column, of the distance to style A
        profile = np.abs(picture - only_a).mean(axis=(0, 2))
        return np.abs(np.diff(profile[WIDTH // 2 - 50 : WIDTH // 2 + 50])).max()

    hard = largest_step(pixels(cpu_engine, coffee, preset(12), region))
    soft = largest_step(pixels(cpu_engine, coffee, preset(12), region, feather=30))
    assert soft < 0.3 * hard  # measured 6.0 against 46.3 levels


def test_a_photo_region_stays_close_to_the_photo(cpu_engine, coffee):
    style = painting(textured_painting())
    only_painting = pixels(cpu_engine, coffee, style)
    mixed = pixels(cpu_engine, coffee, style, (StyleRegion(PHOTO, 1 - LEFT_HALF),))
    right = slice(WIDTH // 2 + AWAY, WIDTH)
    photo = coffee.pixels.astype(np.float64)
    assert mean_difference(mixed[:, right], photo[:, right]) < 0.5 * mean_difference(mixed[:, right], only_painting[:, right])


def test_presets_and_paintings_together_take_one_pass_each(cpu_engine, coffee):
    style = painting(textured_painting())
    mixed = pixels(cpu_engine, coffee, preset(3), (StyleRegion(style, LEFT_HALF),))
    left, right = slice(0, WIDTH // 2 - AWAY), slice(WIDTH // 2 + AWAY, WIDTH)
    assert mean_difference(mixed[:, left], pixels(cpu_engine, coffee, style)[:, left]) < 0.5
    assert mean_difference(mixed[:, right], pixels(cpu_engine, coffee, preset(3))[:, right]) < 0.5


def test_a_mask_over_everything_is_the_plain_render(cpu_engine, coffee):
    everywhere = np.ones((12, 9), np.float32)  # any size: stretched to the photo
    assert np.array_equal(pixels(cpu_engine, coffee, preset(3), (StyleRegion(preset(9), everywhere),)),
                          pixels(cpu_engine, coffee, preset(9)))


def test_a_region_render_in_tiles_equals_one_piece_with_the_same_statistics(cpu_engine, coffee):
    request = RenderRequest(coffee, preset(4), regions=(StyleRegion(preset(17), LEFT_HALF),))
    layout = style_layout(request.style, request.regions, coffee.tensor(), coffee.width, 0.0, False)
    [network_pass] = cpu_engine.network_passes(request, layout)
    network = network_pass.network_on(cpu_engine.device)
    statistics = thumbnail_statistics(network, coffee, cpu_engine.device)
    with torch.inference_mode():
        one_piece = run_padded(network, coffee.tensor(), ReplayedStatistics(statistics), whole(coffee))
    tiled = torch.zeros_like(one_piece)

    def keep(top, left, core):
        tiled[..., top : top + core.shape[-2], left : left + core.shape[-1]] = core

    from engine import CancelToken

    run_tiled(network, coffee, statistics, 128, keep, cpu_engine.device, CancelToken())
    assert (tiled - one_piece).abs().max().item() <= 2 / 255


def test_a_large_region_render_is_tiled_without_seams():
    engine = Engine(EngineSettings(device="cpu", tile_pixels=256 * 256))
    from .conftest import smooth_picture

    content = smooth_picture(700, 540)
    mask = np.zeros((540, 700), np.float32)
    mask[:, 300:] = 1
    result = engine.render(RenderRequest(content, preset(11), RenderSettings(stroke=None),
                                         regions=(StyleRegion(preset(2), mask),)))
    assert result.tiles == 9
    image = result.picture.pixels.astype(np.float32)
    column_steps = np.abs(np.diff(image, axis=1)).mean(axis=(0, 2))
    row_steps = np.abs(np.diff(image, axis=0)).mean(axis=(1, 2))
    for steps in (column_steps, row_steps):
        assert steps[255::256].max() <= np.percentile(steps, 95)


def test_snapping_makes_a_rough_mask_follow_an_edge():
    generator = torch.Generator().manual_seed(0)
    photo = torch.rand(1, 3, 300, 400, generator=generator) * 0.1 + torch.tensor([0.2, 0.4, 0.8]).view(1, 3, 1, 1)
    photo[..., :, 200:] = torch.rand(1, 3, 300, 200, generator=generator) * 0.1 + 0.6  # sky | wall at column 200
    rough = torch.zeros(1, 1, 300, 400)
    rough[..., :, :212] = 1.0  # painted 12 px past the edge
    rough[..., 100:150, 190:200] = 0.0  # and short of it in one place
    snapped = snapped_to_edges(rough, photo, 20)
    assert snapped[..., :, 201:230].max() < 0.1 and snapped[..., :, :199].min() > 0.9


@pytest.mark.parametrize("mask, message", [
    (np.zeros((10, 10), np.float32), "all black"),
    (np.ones((10, 10, 3), np.float32), "greyscale"),
    (np.full((10, 10), np.nan, np.float32), "between 0 and 1"),
])
def test_bad_masks_are_refused_in_words(mask, message):
    with pytest.raises(InvalidRequestError, match=message):
        StyleRegion(preset(1), mask)


def test_high_quality_with_regions_is_refused_in_words(coffee):
    with pytest.raises(InvalidRequestError, match="fast quality"):
        RenderRequest(coffee, preset(1), RenderSettings(quality="high"), regions=(StyleRegion(preset(2), LEFT_HALF),))


def test_palette_keeps_the_photo_and_takes_the_paintings_colours(cpu_engine, coffee):
    from engine import Picture

    dark_blue = textured_painting().pixels // 2
    dark_blue[..., 2] = 150 + dark_blue[..., 2] // 2
    style = painting(Picture.from_uint8(dark_blue))
    recoloured = pixels(cpu_engine, coffee, style, colour="palette")
    photo = coffee.pixels.astype(np.float64)
    target_mean, photo_mean = dark_blue.reshape(-1, 3).mean(0), photo.reshape(-1, 3).mean(0)
    assert np.abs(recoloured.reshape(-1, 3).mean(0) - target_mean).max() < 0.25 * np.abs(photo_mean - target_mean).max()
    # the photo's structure stays: its brightness edges are where the photo's are
    edges = [np.abs(np.diff(p.mean(axis=2), axis=1)).ravel() for p in (recoloured, photo)]
    assert np.corrcoef(*edges)[0, 1] > 0.7
    assert np.abs(pixels(cpu_engine, coffee, style, colour="palette", strength=0.0) - photo).max() <= 1


def test_later_regions_lie_on_top(coffee):
    everywhere = np.ones((10, 10), np.float32)
    half = np.zeros((10, 10), np.float32)
    half[:, :5] = 1
    layout = style_layout(preset(1), (StyleRegion(preset(2), half), StyleRegion(preset(3), everywhere)),
                          coffee.tensor(), coffee.width, 0.0, False)
    assert [style.presets for style in layout.styles] == [(3,)]  # the top region covers the others
    layout = style_layout(preset(1), (StyleRegion(preset(3), everywhere * 0.5), StyleRegion(preset(2), half)),
                          coffee.tensor(), coffee.width, 0.0, False)
    left, right = layout.weights[0, :, :, :10].mean(dim=(1, 2)), layout.weights[0, :, :, -10:].mean(dim=(1, 2))
    assert torch.allclose(left, torch.tensor([0.0, 0.0, 1.0]), atol=1e-6)  # base, preset 3, preset 2 on top
    assert torch.allclose(right, torch.tensor([0.5, 0.5, 0.0]), atol=1e-6)
