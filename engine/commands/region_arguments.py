"""``--region STYLE[@STRENGTH]=MASK`` on the command line: a style, how much of it, and where it goes."""

from __future__ import annotations

import math
from pathlib import Path

from ..errors import InvalidRequestError
from ..io.imageio import load_mask, load_picture
from ..regions import PHOTO, RegionStyle, StyleRegion, mask_from_channels
from ..styles import painting, parse_preset_blend

PRESET_PREFIX = "preset:"
FORM = "write STYLE=MASK or STYLE@STRENGTH=MASK, such as preset:12=sky.png, preset:3@0.5=sky.png or photo=face.png"


def check_region(text: str) -> None:
    """Raise ``InvalidRequestError`` (a bad argument) for what can be told from the text alone:
    the form STYLE[@STRENGTH]=MASK, the strength, and a preset's numbers and weights."""
    style_text, _strength, _mask_path = _parts(text)
    if style_text.startswith(PRESET_PREFIX):
        parse_preset_blend(style_text[len(PRESET_PREFIX):])


def parse_region(text: str, max_pixels: int) -> StyleRegion:
    """``preset:12=sky.png``, ``preset:3:0.5,12:0.5=sky.png``, ``starry.jpg@0.7=sky.png``,
    ``photo=face.png``, ``photo@0.2=face.png``: the last ``=`` separates the style from the mask's
    file, and an ``@`` followed by a number (0 to 1, or a percentage) ending the style is its strength."""
    style_text, strength, mask_path = _parts(text)
    style = region_style(style_text, max_pixels)
    mask = mask_from_channels(*load_mask(mask_path, max_pixels))
    return StyleRegion(style, mask, name=f"{style_text} where {Path(mask_path).name} is white", strength=strength)


def region_style(text: str, max_pixels: int) -> RegionStyle:
    if text == PHOTO:
        return PHOTO
    if text.startswith(PRESET_PREFIX):
        return parse_preset_blend(text[len(PRESET_PREFIX):])
    return painting(load_picture(text, max_pixels))


def _parts(text: str) -> tuple[str, float | None, str]:
    style_text, separator, mask_path = text.rpartition("=")
    if not separator or not style_text or not mask_path:
        raise InvalidRequestError(f"--region {text!r}: {FORM}")
    style_text, strength = _strength(style_text, text)
    if not style_text:
        raise InvalidRequestError(f"--region {text!r}: {FORM}")
    return style_text, strength, mask_path


def _strength(style_text: str, text: str) -> tuple[str, float | None]:
    """The style and its strength; a painting whose file name holds an ``@`` keeps it when what
    follows is no number."""
    style, separator, number = style_text.rpartition("@")
    if not separator:
        return style_text, None
    percent = number.endswith("%")
    try:
        strength = float(number[:-1] if percent else number) / (100 if percent else 1)
    except ValueError:
        return style_text, None
    if not math.isfinite(strength) or not 0 <= strength <= 1:
        raise InvalidRequestError(f"--region {text!r}: a region's strength runs from 0 to 1 (or 0% to 100%), "
                                  f"got {number}")
    return style, strength
