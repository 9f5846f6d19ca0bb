"""Impasto's own PNG writer: any reader reads back exactly the pixels, with the ICC profile."""

import io
import zlib

import numpy as np
import pytest
from PIL import Image, ImageCms

from engine.io.png import PIECE_BYTES, write_png


@pytest.mark.parametrize("channels, height, width", [(3, 1, 1), (3, 37, 53), (4, 64, 48), (3, 900, 1700)])
def test_pixels_come_back_exactly(channels, height, width):
    pixels = np.random.default_rng(channels * height).integers(0, 256, (height, width, channels), dtype=np.uint8)
    buffer = io.BytesIO()
    write_png(buffer, pixels)
    image = Image.open(io.BytesIO(buffer.getvalue()))
    assert image.mode == ("RGB" if channels == 3 else "RGBA")
    assert np.array_equal(np.asarray(image), pixels)


def test_a_picture_larger_than_one_piece_is_one_valid_stream():
    pixels = np.tile(np.arange(256, dtype=np.uint8), (PIECE_BYTES // 256 // 3 + 40, 3)).reshape(-1, 256, 3)
    buffer = io.BytesIO()
    write_png(buffer, pixels, threads=3)
    data = buffer.getvalue()
    start = data.index(b"IDAT") + 4
    length = int.from_bytes(data[start - 8 : start - 4], "big")
    assert len(zlib.decompress(data[start : start + length])) == pixels.shape[0] * (pixels.shape[1] * 3 + 1)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(data))), pixels)


def test_the_icc_profile_travels():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    write_png(buffer, np.zeros((4, 4, 3), np.uint8), profile)
    assert Image.open(io.BytesIO(buffer.getvalue())).info["icc_profile"] == profile
