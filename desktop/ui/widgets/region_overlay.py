"""One region's tint over the preview, as a pixmap kept in step with its mask.

The tint's opacity follows the mask and its border is drawn opaque, so that a region shows over
a picture of its own colour. A new mask of the same region repaints only the box where it
differs from the last: a brush tick changes a small part, and the whole mask is then only
compared, never converted."""

from __future__ import annotations

import functools

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap

OPACITY = 0.35  # where a mask is white: the picture stays readable under it
BORDER_LEVEL = 1  # the palette entry of the border: a mask's own 1s (too faint to see) become 0


class RegionOverlay:
    def __init__(self, mask: np.ndarray, colour: QColor):
        self.mask, self.colour = mask, colour
        self.pixmap = QPixmap.fromImage(_indexed(_levels(mask, (0, 0, mask.shape[1], mask.shape[0])), colour))

    def follow(self, mask: np.ndarray) -> None:
        """Show ``mask`` (the same size): repaint the box where it changed."""
        if mask is self.mask:
            return
        box = changed_box(self.mask, mask)
        self.mask = mask
        if box is None:
            return
        left, top = max(0, box[0] - 1), max(0, box[1] - 1)  # a change moves the border beside it too
        painter = QPainter(self.pixmap)
        painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        painter.drawImage(QPoint(left, top), _indexed(_levels(mask, (left, top, box[2], box[3])), self.colour))
        painter.end()


def changed_box(old: np.ndarray, new: np.ndarray) -> tuple[int, int, int, int] | None:
    """(left, top, right, bottom) of the pixels that differ, or None."""
    differs = old != new
    rows = np.flatnonzero(differs.any(axis=1))
    if rows.size == 0:
        return None
    columns = np.flatnonzero(differs[rows[0] : rows[-1] + 1].any(axis=0))
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def _levels(mask: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The palette index of each pixel of ``box``: the mask's level, or the border's."""
    left, top, right, bottom = box
    window = mask[top : bottom + 1, left : right + 1]  # a pixel's border depends on its right and lower neighbours
    inside = window >= 128
    border = np.zeros_like(inside)
    np.not_equal(inside[:, :-1], inside[:, 1:], out=border[:, :-1])
    border[:-1, :] |= inside[:-1, :] != inside[1:, :]
    levels = np.where(window == BORDER_LEVEL, np.uint8(0), window)
    levels[border] = BORDER_LEVEL
    return np.ascontiguousarray(levels[: bottom - top, : right - left])


def _indexed(levels: np.ndarray, colour: QColor) -> QImage:
    image = QImage(levels.data, levels.shape[1], levels.shape[0], levels.shape[1], QImage.Format.Format_Indexed8)
    image.setColorTable(_colour_table(colour.rgb()))
    return image.copy()  # its own pixels: ``levels`` goes when the caller returns


@functools.cache
def _colour_table(rgb: int) -> list[int]:
    colour = QColor(rgb)
    table = [QColor(colour.red(), colour.green(), colour.blue(), round(level * OPACITY)).rgba() for level in range(256)]
    table[BORDER_LEVEL] = colour.rgba()
    return table
