"""Resizing pictures as they are (8 or 16 bit, with alpha), for working sizes, thumbnails and outputs."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ..picture import Picture


def resized(picture: Picture, width: int, height: int) -> Picture:
    """A high-quality resize (Lanczos when shrinking, bicubic when enlarging), alpha included."""
    if (width, height) == picture.size:
        return picture
    method = Image.LANCZOS if width < picture.width else Image.BICUBIC
    return Picture(
        _resize_channels(picture.pixels, width, height, method),
        None if picture.alpha is None else _resize_plane(picture.alpha, width, height, method),
        picture.icc_profile,
        picture.name,
    )


def _resize_plane(plane: np.ndarray, width: int, height: int, method) -> np.ndarray:
    if plane.dtype == np.uint8:
        return np.asarray(Image.fromarray(plane).resize((width, height), method))
    floats = Image.fromarray(plane.astype(np.float32), "F").resize((width, height), method)
    return np.clip(np.asarray(floats) + 0.5, 0, 65535).astype(np.uint16)


def _resize_channels(pixels: np.ndarray, width: int, height: int, method) -> np.ndarray:
    if pixels.dtype == np.uint8:
        return np.asarray(Image.fromarray(pixels, "RGB").resize((width, height), method))
    return np.dstack([_resize_plane(np.ascontiguousarray(pixels[:, :, c]), width, height, method) for c in range(3)])
