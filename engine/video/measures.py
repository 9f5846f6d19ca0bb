"""How steady a stylised clip is, for clips whose motion is known (made by panning and zooming
over a photo): the tests and ``impasto bench --video`` use these.

The warping error of two consecutive frames is the mean absolute difference, in 8-bit levels,
between the current frame and the previous one moved by the known motion, over the pixels that
both frames show, a margin from the borders excluded. A steady clip scores low; flicker,
texture that swims over still content, and drift all score high.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..picture import Picture

BORDER_MARGIN = 8  # px: the networks' own border effects are not flicker


@dataclass(frozen=True)
class CameraPath:
    """A camera over a photo: frame ``t`` shows the window centred at ``centre(t)``, ``zoom(t)``
    times the photo's scale, at ``size``. Affine, so the motion between frames is known exactly."""

    size: tuple[int, int]
    start: tuple[float, float]  # centre of the first frame, in photo pixels
    step: tuple[float, float]  # centre moves by this each frame
    zoom_step: float = 1.0  # the scale is multiplied by this each frame
    zoom_start: float = 1.0

    def to_photo(self, t: int) -> np.ndarray:
        """2 x 3 affine map from frame ``t``'s pixel coordinates to the photo's."""
        scale = 1 / (self.zoom_start * self.zoom_step**t)
        centre_x, centre_y = self.start[0] + self.step[0] * t, self.start[1] + self.step[1] * t
        width, height = self.size
        return np.array([[scale, 0, centre_x - scale * width / 2], [0, scale, centre_y - scale * height / 2]],
                        np.float32)

    def to_previous(self, t: int) -> np.ndarray:
        """2 x 3 affine map from frame ``t``'s pixel coordinates to frame ``t - 1``'s."""
        return _compose(_inverse(self.to_photo(t - 1)), self.to_photo(t))


def filmed(photo: np.ndarray, path: CameraPath, frames: int) -> Iterator[np.ndarray]:
    """The frames a camera on ``path`` sees of ``photo`` (H x W x 3 uint8)."""
    for t in range(frames):
        yield cv2.warpAffine(photo, path.to_photo(t), path.size, flags=cv2.INTER_AREA | cv2.WARP_INVERSE_MAP,
                             borderMode=cv2.BORDER_REFLECT)


def warping_error(previous: np.ndarray, current: np.ndarray, to_previous: np.ndarray) -> float:
    """Mean |current - previous moved onto current| in 8-bit levels, where both frames see the scene."""
    height, width = current.shape[:2]
    moved = cv2.warpAffine(previous.astype(np.float32), to_previous, (width, height),
                           flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderValue=np.nan)
    m = BORDER_MARGIN
    difference = np.abs(current.astype(np.float32) - moved)[m : height - m, m : width - m]
    return float(np.nanmean(difference))


def clip_warping_error(frames: Sequence[np.ndarray], path: CameraPath) -> float:
    """The mean warping error over all consecutive pairs of ``frames``."""
    return float(np.mean([warping_error(frames[t - 1], frames[t], path.to_previous(t)) for t in range(1, len(frames))]))


def mean_difference(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference in 8-bit levels, borders excluded."""
    m = BORDER_MARGIN
    return float(np.abs(a.astype(np.float32) - b.astype(np.float32))[m:-m, m:-m].mean())


def picture_array(picture: Picture | Image.Image | np.ndarray) -> np.ndarray:
    if isinstance(picture, Picture):
        return np.asarray(picture.pixels)
    return np.asarray(picture)


def _inverse(affine: np.ndarray) -> np.ndarray:
    return cv2.invertAffineTransform(affine)


def _compose(outer: np.ndarray, inner: np.ndarray) -> np.ndarray:
    """outer after inner, both 2 x 3."""
    full = lambda a: np.vstack([a, [0, 0, 1]])
    return (full(outer) @ full(inner))[:2].astype(np.float32)
