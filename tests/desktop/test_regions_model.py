"""The regions as the studio holds them: strokes into immutable masks, no widgets."""

import numpy as np
import pytest

from desktop.studio import PHOTO_STYLE, StudioState, StyleKey
from desktop.studio.region_masks import MASK_LONG_SIDE, Brush, Regions, Stroke, mask_size

SKY, FIGURE = StyleKey.preset(3), StyleKey.painting("abc")
PHOTO = (2000, 1000)  # photo pixels; its masks are 1024 x 512
HARD = Brush(200, 0.0)


def painted(regions: Regions, style, points, brush=HARD) -> Regions:
    stroke = Stroke(regions, style, brush, PHOTO)
    for point in points:
        stroke.add(point)
    return stroke.regions()


def at(regions: Regions, style, x: float, y: float) -> int:
    """The mask value of ``style`` at photo point (x, y)."""
    mask = regions.mask_of(style)
    width, height = regions.size
    return int(mask[int(y * height / PHOTO[1]), int(x * width / PHOTO[0])])


def test_masks_have_a_working_size_capped_for_large_photos():
    assert mask_size((6000, 4000)) == (MASK_LONG_SIDE, 683)
    assert mask_size((300, 200)) == (300, 200)  # never enlarged


def test_a_stroke_paints_white_along_its_path_and_nothing_elsewhere():
    regions = painted(Regions.empty_for(PHOTO), SKY, [(200, 200), (1800, 200)])
    assert regions.styles == (SKY,)
    assert at(regions, SKY, 1000, 200) == 255 and at(regions, SKY, 200, 290) == 255
    assert at(regions, SKY, 1000, 800) == 0 and at(regions, SKY, 1000, 330) == 0


def test_a_soft_brush_fades_towards_its_rim():
    regions = painted(Regions.empty_for(PHOTO), SKY, [(1000, 500)], Brush(400, 1.0))
    centre, halfway, rim = at(regions, SKY, 1000, 500), at(regions, SKY, 1100, 500), at(regions, SKY, 1195, 500)
    assert centre == 255 and 0 < rim < halfway < centre


def test_masks_are_read_only_and_a_stroke_copies_only_what_it_touches():
    first = painted(Regions.empty_for(PHOTO), SKY, [(200, 200)])
    second = painted(first, FIGURE, [(1800, 800)])  # far from the sky
    assert second.mask_of(SKY) is first.mask_of(SKY)  # shared, not copied
    assert not second.mask_of(FIGURE).flags.writeable
    with pytest.raises(ValueError):
        second.mask_of(SKY)[0, 0] = 1
    assert first.styles == (SKY,)  # the earlier value is untouched: undo is a swap of references


def test_painting_over_a_region_takes_its_pixels():
    sky = painted(Regions.empty_for(PHOTO), SKY, [(1000, 500)], Brush(600, 0.0))
    both = painted(sky, PHOTO_STYLE, [(1000, 500)], Brush(200, 0.0))
    assert at(both, PHOTO_STYLE, 1000, 500) == 255 and at(both, SKY, 1000, 500) == 0
    assert at(both, SKY, 1250, 500) == 255  # the rest of the sky stays
    assert both.styles == (SKY, PHOTO_STYLE)  # the newer region on top


def test_the_eraser_gives_pixels_back_and_an_emptied_region_goes():
    sky = painted(Regions.empty_for(PHOTO), SKY, [(1000, 500)], Brush(200, 0.0))
    erased = painted(sky, None, [(1000, 500)], Brush(400, 0.0, erasing=True))
    assert erased.styles == () and not erased


def test_invert_and_without():
    sky = painted(Regions.empty_for(PHOTO), SKY, [(100, 100)])
    inverted = sky.inverted(SKY)
    assert at(inverted, SKY, 100, 100) == 0 and at(inverted, SKY, 1500, 800) == 255
    figure = painted(sky, FIGURE, [(1500, 800)])
    flipped = figure.inverted(SKY)  # the sky now goes where the figure was too: the figure gives way
    assert flipped.styles == (SKY,)
    assert figure.without(SKY).styles == (FIGURE,)


def test_regions_compare_by_content_and_are_part_of_the_state():
    one = painted(Regions.empty_for(PHOTO), SKY, [(500, 500)])
    again = painted(Regions.empty_for(PHOTO), SKY, [(500, 500)])
    assert one == again and one.mask_of(SKY) is not again.mask_of(SKY)
    assert StudioState(regions=one) == StudioState(regions=again) != StudioState()


def test_the_brush_keeps_to_its_ranges():
    assert Brush(0, -1).size == 2 and Brush(0, -1).softness == 0
    assert Brush(1e9, 7).size == 4000 and Brush(1e9, 7).softness == 1


def test_a_stroke_with_no_style_must_be_an_eraser():
    with pytest.raises(ValueError):
        Stroke(Regions.empty_for(PHOTO), None, Brush(), PHOTO)


def test_resized_masks_keep_their_layout():
    sky = painted(Regions.empty_for(PHOTO), SKY, [(200, 200)])
    smaller = sky.resized((512, 256))
    assert smaller.size == (512, 256) and smaller.mask_of(SKY).shape == (256, 512)
    assert smaller.mask_of(SKY)[51, 51] == 255 and smaller.mask_of(SKY)[200, 400] == 0
    assert np.asarray(smaller.mask_of(SKY)).dtype == np.uint8
