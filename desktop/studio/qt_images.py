"""Pictures to and from Qt images."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from engine import Picture, eight_bit_pixels


def picture_to_qimage(picture: Picture) -> QImage:
    return rgb_to_qimage(eight_bit_pixels(picture))


def rgb_to_qimage(pixels: np.ndarray, alpha: np.ndarray | None = None) -> QImage:
    """8-bit H x W x 3 pixels (and alpha) straight to a QImage, without going through Pillow."""
    if alpha is not None:
        pixels = np.dstack([pixels, alpha])
    pixels = np.ascontiguousarray(pixels)
    height, width, channels = pixels.shape
    fmt = QImage.Format.Format_RGBA8888 if channels == 4 else QImage.Format.Format_RGB888
    return QImage(pixels.data, width, height, width * channels, fmt).copy()  # own the pixels


def qimage_to_picture(image: QImage, name: str = "pasted image") -> Picture:
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    width, height = image.width(), image.height()
    buffer = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.bytesPerLine() * height)
    rgba = buffer.reshape(height, image.bytesPerLine())[:, : width * 4].reshape(height, width, 4)
    alpha = np.ascontiguousarray(rgba[:, :, 3])
    return Picture(np.ascontiguousarray(rgba[:, :, :3]), None if (alpha == 255).all() else alpha, None, name)
