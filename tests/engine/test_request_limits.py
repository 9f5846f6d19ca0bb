"""Values every front end gets checked by the engine itself: output sizes tied to the pixel
limit, blend weights that are finite, and a painting whose name looks like a weight."""

import math

import numpy as np
import pytest

from engine import (
    MAX_INPUT_PIXELS,
    MAX_OUTPUT_LONG_SIDE,
    InvalidRequestError,
    Picture,
    RenderRequest,
    RenderSettings,
    preset,
)
from engine.limits import scaled_size
from engine.styles import PaintingBlend, parse_preset_blend, split_weight


def photo(width=64, height=48) -> Picture:
    return Picture.from_uint8(np.zeros((height, width, 3), np.uint8), "photo.png")


def test_the_longest_output_side_is_the_pixel_limit_at_the_widest_proportions():
    assert math.prod(scaled_size((20, 1), MAX_OUTPUT_LONG_SIDE)) <= MAX_INPUT_PIXELS
    with pytest.raises(InvalidRequestError, match="16 to 63245"):
        RenderSettings(output_long_side=100_000)


def test_an_enlargement_over_the_pixel_limit_is_refused_with_the_largest_that_fits():
    with pytest.raises(InvalidRequestError, match=r"photo.png: .*30000x22500.*over the limit.*largest size for it is (\d+)"):
        RenderRequest(photo(), preset(1), RenderSettings(output_long_side=30_000))
    largest = 16329
    assert math.prod(scaled_size((64, 48), largest)) <= MAX_INPUT_PIXELS < math.prod(scaled_size((64, 48), largest + 1))
    RenderRequest(photo(), preset(1), RenderSettings(output_long_side=largest))


def test_an_output_too_small_for_the_networks_is_refused():
    with pytest.raises(InvalidRequestError, match="would be 16x1; both sides need at least 16 px"):
        RenderRequest(photo(320, 16), preset(1), RenderSettings(output_long_side=16))


@pytest.mark.parametrize("text", ["3:nan", "3:inf", "3:-inf", "3:-1", "3:0", "3:0,4:0", "3:1,4:nan"])
def test_preset_weights_must_be_finite_and_not_all_zero(text):
    with pytest.raises(InvalidRequestError, match="finite"):
        parse_preset_blend(text)


def test_huge_weights_blend_like_equal_ones():
    assert parse_preset_blend("3:1e308,4:1e308").weights == (0.5, 0.5)
    assert parse_preset_blend("3:5e-324").weights == (1.0,)


def test_painting_weights_are_checked_too():
    with pytest.raises(InvalidRequestError, match="painting weights.*nan"):
        PaintingBlend((photo(),), (math.nan,))


def test_a_file_that_exists_wins_over_the_weight_syntax(tmp_path):
    named = tmp_path / "study.png:0.5"
    assert split_weight(str(named)) == (str(tmp_path / "study.png"), 0.5)  # no such file: a weight
    named.write_bytes(b"")
    assert split_weight(str(named)) == (str(named), 1.0)  # the file itself
    assert split_weight(str(named) + ":0.25") == (str(named), 0.25)
