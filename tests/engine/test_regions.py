"""Regions: each style where its mask says, as it renders alone; the photo where it is painted back; colour modes."""

import numpy as np
import pytest
import torch

from engine import (
    Engine,
    EngineSettings,
    InvalidRequestError,
    PresetBlend,
    RenderRequest,
    RenderSettings,
    painting,
    preset,
)
from engine.regions import PHOTO, StyleRegion, snapped_to_edges, style_layout
from engine.rendering.resizing import resized

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


BOX = np.zeros((HEIGHT, WIDTH), np.float32)
BOX[50:210, 110:290] = 1  # a box in the middle, as over a face
ROWS, COLUMNS = np.mgrid[0:HEIGHT, 0:WIDTH]
# Beyond the networks' reach of the box's edge, and well inside it.
OUTSIDE_BOX = (np.maximum(np.maximum(50 - ROWS, ROWS - 209), np.maximum(110 - COLUMNS, COLUMNS - 289)) > AWAY)
INSIDE_BOX = (ROWS >= 50 + 40) & (ROWS < 210 - 40) & (COLUMNS >= 110 + 40) & (COLUMNS < 290 - 40)


def masked_difference(a, b, where):
    return float(np.abs(a - b)[where].mean())


@pytest.mark.parametrize("a, b", [(3, 12), (13, 7)])
def test_a_left_half_mask_gives_each_side_its_own_style_as_it_renders_alone(cpu_engine, coffee, a, b):
    only_a, only_b = pixels(cpu_engine, coffee, preset(a)), pixels(cpu_engine, coffee, preset(b))
    mixed = pixels(cpu_engine, coffee, preset(b), (StyleRegion(preset(a), LEFT_HALF),))
    left, right = slice(0, WIDTH // 2 - AWAY), slice(WIDTH // 2 + AWAY, WIDTH)
    # Each style is its own render, with its own norm statistics, put together by the masks: the
    # styles sharing one pass's statistics were 20-53 levels from their own renders (coffee, 400 px).
    assert mean_difference(mixed[:, left], only_a[:, left]) < 2
    assert mean_difference(mixed[:, right], only_b[:, right]) < 2


def test_a_painting_region_changes_nothing_outside_itself_and_is_its_painting_inside(cpu_engine, coffee):
    base, warm = painting(textured_painting(3)), painting(textured_painting(8))
    only_base, only_warm = pixels(cpu_engine, coffee, base), pixels(cpu_engine, coffee, warm)
    mixed = pixels(cpu_engine, coffee, base, (StyleRegion(warm, BOX),))
    # Both paintings go through one network: with shared statistics the rest of the picture moved
    # by about 18 levels and lost its contrast, and the box was only twice as close to its painting.
    assert masked_difference(mixed, only_base, OUTSIDE_BOX) < 2
    assert mixed[OUTSIDE_BOX].std() == pytest.approx(only_base[OUTSIDE_BOX].std(), rel=0.02)
    to_own, to_base = masked_difference(mixed, only_warm, INSIDE_BOX), masked_difference(mixed, only_base, INSIDE_BOX)
    assert to_own * 4 < to_base


@pytest.mark.parametrize("base", [preset(7), painting(textured_painting(3))], ids=["preset base", "painting base"])
def test_a_photo_region_is_the_photo_and_leaves_the_rest_alone(cpu_engine, coffee, base):
    only_base = pixels(cpu_engine, coffee, base)
    mixed = pixels(cpu_engine, coffee, base, (StyleRegion(PHOTO, BOX),))
    photo = coffee.pixels.astype(np.float64)
    assert np.abs(mixed - photo)[INSIDE_BOX].max() <= 1  # the photo's own pixels, not a cartoon of them
    assert masked_difference(mixed, only_base, OUTSIDE_BOX) < 2


def test_a_regions_strength_lets_the_photo_through(cpu_engine, coffee):
    photo = coffee.pixels.astype(np.float64)
    only_preset = pixels(cpu_engine, coffee, preset(3))
    half = pixels(cpu_engine, coffee, preset(12), (StyleRegion(preset(3), BOX, strength=0.5),))
    assert masked_difference(half, (photo + only_preset) / 2, INSIDE_BOX) < 1
    # a photo region's strength is how much of the style beneath it stays
    only_base = pixels(cpu_engine, coffee, preset(12))
    a_little = pixels(cpu_engine, coffee, preset(12), (StyleRegion(PHOTO, BOX, strength=0.25),))
    assert masked_difference(a_little, 0.75 * photo + 0.25 * only_base, INSIDE_BOX) < 1


@pytest.mark.parametrize("strength", [-0.1, 1.5, float("nan"), "half"])
def test_a_bad_region_strength_is_refused_in_words(strength):
    with pytest.raises(InvalidRequestError, match="strength runs from 0 to 1"):
        StyleRegion(preset(1), LEFT_HALF, strength=strength)


def test_a_preset_a_painting_a_blend_and_the_photo_each_keep_to_their_place(cpu_engine, coffee):
    quarters = []
    for top, left in ((0, 0), (0, 200), (133, 0)):
        mask = np.zeros((HEIGHT, WIDTH), np.float32)
        mask[top : top + 133, left : left + 200] = 1
        quarters.append(mask)
    styles = [painting(textured_painting(5)), PresetBlend((3, 12), (0.5, 0.5)), PHOTO]
    mixed = pixels(cpu_engine, coffee, preset(7), tuple(StyleRegion(s, m) for s, m in zip(styles, quarters)))
    alone = [pixels(cpu_engine, coffee, s) if s != PHOTO else coffee.pixels.astype(np.float64) for s in styles]
    alone.append(pixels(cpu_engine, coffee, preset(7)))
    # the heart of each quarter, beyond the networks' reach of its edges
    for (top, left), own in zip(((0, 0), (0, 200), (133, 0), (133, 200)), alone):
        core = np.s_[max(top, 0) + (0 if top == 0 else 60) : top + (73 if top == 0 else 133),
                     left + (0 if left == 0 else 60) : left + (140 if left == 0 else 200)]
        assert mean_difference(mixed[core], own[core]) < 2


def test_presets_and_paintings_together_take_one_pass_each(cpu_engine, coffee):
    style = painting(textured_painting())
    mixed = pixels(cpu_engine, coffee, preset(3), (StyleRegion(style, LEFT_HALF),))
    left, right = slice(0, WIDTH // 2 - AWAY), slice(WIDTH // 2 + AWAY, WIDTH)
    assert mean_difference(mixed[:, left], pixels(cpu_engine, coffee, style)[:, left]) < 0.5
    assert mean_difference(mixed[:, right], pixels(cpu_engine, coffee, preset(3))[:, right]) < 0.5


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
    assert soft < 0.3 * hard


def test_a_mask_over_everything_is_the_plain_render(cpu_engine, coffee):
    everywhere = np.ones((12, 9), np.float32)  # any size: stretched to the photo
    assert np.array_equal(pixels(cpu_engine, coffee, preset(3), (StyleRegion(preset(9), everywhere),)),
                          pixels(cpu_engine, coffee, preset(9)))


def test_the_photo_over_everything_is_the_photo(cpu_engine, coffee):
    everywhere = np.ones((4, 4), np.float32)
    result = pixels(cpu_engine, coffee, painting(textured_painting()), (StyleRegion(PHOTO, everywhere),))
    assert np.abs(result - coffee.pixels).max() <= 1


@pytest.mark.parametrize("regions", [(StyleRegion(painting(textured_painting(8)), BOX),),
                                     (StyleRegion(preset(17), LEFT_HALF), StyleRegion(PHOTO, BOX))],
                         ids=["painting over a painting", "preset and photo over a painting"])
def test_a_region_render_in_tiles_equals_the_one_piece_render(cpu_engine, coffee, regions):
    # 400 x 266 fits the thumbnail whole: tiles replay each style's own statistics of the picture.
    tiled_engine = Engine(EngineSettings(device="cpu", tile_pixels=128 * 128))
    request = RenderRequest(coffee, painting(textured_painting(3)), RenderSettings(stroke=None), regions=regions)
    tiled = tiled_engine.render(request)
    assert tiled.tiles > 2
    one_piece = cpu_engine.render(request).picture.pixels.astype(np.float64)
    assert np.abs(tiled.picture.pixels - one_piece).mean() < 0.05
    assert np.abs(tiled.picture.pixels - one_piece).max() <= 2


def test_a_tiled_region_runs_its_style_only_where_it_goes():
    engine = Engine(EngineSettings(device="cpu", tile_pixels=128 * 128))
    from .conftest import smooth_picture

    content = smooth_picture(512, 512)
    corner = np.zeros((512, 512), np.float32)
    corner[:100, :100] = 1
    alone = engine.render(RenderRequest(content, preset(11), RenderSettings(stroke=None)))
    with_corner = engine.render(RenderRequest(content, preset(11), RenderSettings(stroke=None),
                                              regions=(StyleRegion(preset(2), corner),)))
    assert with_corner.tiles == alone.tiles + 1  # the corner's style runs in its one tile


def test_a_large_region_render_is_tiled_without_seams():
    engine = Engine(EngineSettings(device="cpu", tile_pixels=256 * 256))
    from .conftest import smooth_picture

    content = smooth_picture(700, 540)
    mask = np.zeros((540, 700), np.float32)
    mask[:, 300:] = 1
    result = engine.render(RenderRequest(content, preset(11), RenderSettings(stroke=None),
                                         regions=(StyleRegion(preset(2), mask),)))
    assert result.tiles == 12  # each style in the six tiles it reaches
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


def test_a_shots_statistics_with_two_styles_of_one_network_come_from_every_frame(cpu_engine, coffee):
    from engine.rendering.resizing import resized as shrunk

    other = shrunk(load_photo_flipped(coffee), WIDTH, HEIGHT)
    request = RenderRequest(coffee, preset(6), RenderSettings(stroke=None), regions=(StyleRegion(preset(3), BOX),))
    first = cpu_engine.shot_statistics(request, [coffee])
    both = cpu_engine.shot_statistics(request, [coffee, other])
    # the two styles share a stem; a stem kept from the first frame gave the first frame's statistics
    assert any(not torch.equal(a[0], b[0]) for a, b in zip(first.passes[0], both.passes[0]))


def load_photo_flipped(picture):
    from engine import Picture

    return Picture(np.ascontiguousarray(picture.pixels[::-1, ::-1]), None, None, "flipped")


def test_palette_with_the_photo_over_everything_is_the_photo(cpu_engine, coffee):
    everywhere = np.ones((4, 4), np.float32)
    for long_side in (None, 200):  # at the photo's size, and shrunk
        result = pixels(cpu_engine, coffee, preset(3), (StyleRegion(PHOTO, everywhere),), colour="palette",
                        output_long_side=long_side)
        expected = coffee.pixels if long_side is None else shrunk_pixels(coffee, result.shape)
        assert np.abs(result - expected).mean() < 1


def shrunk_pixels(picture, shape):
    from engine.rendering.resizing import resized as shrunk

    return shrunk(picture, shape[1], shape[0]).pixels.astype(np.float64)
