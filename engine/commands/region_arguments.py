"""``--region STYLE=MASK`` on the command line: a style and where it goes."""

from __future__ import annotations

from pathlib import Path

from ..errors import InvalidRequestError
from ..imageio import load_picture
from ..regions import PHOTO, RegionStyle, StyleRegion, mask_from_picture
from ..styles import painting, parse_preset_blend

PRESET_PREFIX = "preset:"


def check_region(text: str) -> None:
    """Raise ``InvalidRequestError`` (a bad argument) for what can be told from the text alone:
    the form STYLE=MASK, and a preset's numbers and weights."""
    style_text, _mask_path = _parts(text)
    if style_text.startswith(PRESET_PREFIX):
        parse_preset_blend(style_text[len(PRESET_PREFIX):])


def parse_region(text: str, max_pixels: int) -> StyleRegion:
    """``preset:12=sky.png``, ``preset:3:0.5,12:0.5=sky.png``, ``starry.jpg=sky.png``,
    ``photo=face.png``: the last ``=`` separates the style from the mask's file."""
    style_text, mask_path = _parts(text)
    style = region_style(style_text, max_pixels)
    mask = mask_from_picture(load_picture(mask_path, max_pixels))
    return StyleRegion(style, mask, name=f"{style_text} where {Path(mask_path).name} is white")


def region_style(text: str, max_pixels: int) -> RegionStyle:
    if text == PHOTO:
        return PHOTO
    if text.startswith(PRESET_PREFIX):
        return parse_preset_blend(text[len(PRESET_PREFIX):])
    return painting(load_picture(text, max_pixels))


def _parts(text: str) -> tuple[str, str]:
    style_text, separator, mask_path = text.rpartition("=")
    if not separator or not style_text or not mask_path:
        raise InvalidRequestError(f"--region {text!r}: write STYLE=MASK, such as preset:12=sky.png or photo=face.png")
    return style_text, mask_path
