"""Resizing pictures as they are (8 or 16 bit, with alpha), for working sizes, thumbnails and outputs."""

from __future__ import annotations

import warnings

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ..picture import Picture


def resized(picture: Picture, width: int, height: int) -> Picture:
    """A high-quality resize, alpha included: shrinking 8-bit pictures with torch's antialiased
    bicubic on integer pixels (every core; 13x faster than Pillow's Lanczos for a 24 MP photo
    to 1024 px, 0.18 levels apart on average: docs/benchmarks.md), the rest with Pillow
    (Lanczos when shrinking, bicubic when enlarging)."""
    if (width, height) == picture.size:
        return picture
    if picture.pixels.dtype == np.uint8 and width <= picture.width and height <= picture.height:
        return _shrunk_8bit(picture, width, height)
    method = Image.Resampling.LANCZOS if width < picture.width else Image.Resampling.BICUBIC
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


def _shrunk_8bit(picture: Picture, width: int, height: int) -> Picture:
    planes = picture.pixels if picture.alpha is None else np.dstack([picture.pixels, picture.alpha])
    with warnings.catch_warnings():  # the pixels are read-only, and only read here
        warnings.simplefilter("ignore", UserWarning)
        source = torch.from_numpy(np.ascontiguousarray(planes)).permute(2, 0, 1)[None]
    # channels-last uint8 takes torch's vectorised antialiasing kernel
    shrunk = F.interpolate(source.contiguous(memory_format=torch.channels_last), size=(height, width),
                           mode="bicubic", antialias=True)
    pixels = shrunk[0].permute(1, 2, 0).numpy()
    alpha = None if picture.alpha is None else np.ascontiguousarray(pixels[:, :, 3])
    return Picture(np.ascontiguousarray(pixels[:, :, :3]), alpha, picture.icc_profile, picture.name)
