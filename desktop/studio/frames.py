"""What the window is shown of the studio's pictures (the photo, a preview, the actual-size
detail), what a preview paints, and the preset strength fade done on preview-sized pixels in
the GUI thread.

A preset's strength is a linear fade from the photo to the stylised picture, applied by the
engine after the network (``lerp(photo, stylised, s)``). The studio therefore renders a preset
preview once at strength 1 and fades it here against the photo shrunk exactly as the engine
shrinks it: a strength drag then costs a few milliseconds and no render.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from PySide6.QtGui import QImage

from engine import ClipInfo, Picture

from .clip_media import ClipShots, DecodedFrames
from .qt_images import rgb_to_qimage


@dataclass(frozen=True, eq=False)
class PhotoView:
    """The current photo (or clip frame) as the window shows it: a small copy, never the
    full-size pixels."""

    before: Picture | None  # at preview size, 8-bit; None while a clip's frame is on its way
    name: str
    full_size: tuple[int, int]
    clip: ClipInfo | None = None

    @property
    def caption(self) -> str:
        size = f"{self.full_size[0]}×{self.full_size[1]}"
        if self.clip is None:
            return f"{self.name} — {size}"
        about = "" if self.clip.frame_count_exact else "about "
        return f"{self.name} — {about}{self.clip.frame_count} frames"  # its size is under the timeline


@dataclass(frozen=True, eq=False)
class PreviewFrame:
    """A preview ready to show: ``image`` at preview size stands for the whole photo of ``full_size``."""

    image: QImage
    full_size: tuple[int, int]
    request_id: int
    seconds: float
    device: str
    draft: bool = False


@dataclass(frozen=True, eq=False)
class DetailFrame:
    """The photo's real pixels for ``region`` (left, top, width, height, in photo pixels)."""

    image: QImage
    region: tuple[int, int, int, int]
    request_id: int


@dataclass(frozen=True, eq=False)
class PreviewSource:
    """What the preview paints: the photo, or a clip's frame (``frames`` and ``position``), which
    the preview's job decodes on the render thread."""

    key: tuple  # what it is, for the preview's key: (content,) or (content, frame)
    size: tuple[int, int]  # full size
    name: str
    photo: Picture | None = None
    frames: DecodedFrames | None = None
    position: int = 0
    shots: ClipShots | None = None  # a clip's shots, when its export renders with their statistics


class PresetFade:
    """A preset's strength-1 picture and the photo at the same size, ready to be mixed at any
    strength: ``lerp(photo, stylised, s)``, as the engine fades a preset (8-bit photos only).
    The differences are kept as floats from the first fade on, so a strength tick costs one
    multiply-add (and a preview shown at full strength, every one while dragging on a GPU, none)."""

    def __init__(self, photo: Picture, stylised: Picture):
        self._photo, self._stylised = photo, stylised

    @cached_property
    def _base_and_delta(self) -> tuple[np.ndarray, np.ndarray]:
        base = self._photo.pixels.astype(np.float32) + np.float32(0.5)  # + 0.5: round, as the engine does
        return base, self._stylised.pixels.astype(np.float32) - self._photo.pixels

    def image(self, strength: float) -> QImage:
        base, delta = self._base_and_delta
        mixed = delta * np.float32(strength)
        mixed += base
        return rgb_to_qimage(mixed.astype(np.uint8), self._stylised.alpha)
