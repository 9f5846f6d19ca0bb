"""Preview pictures: what a preview job computes on the render thread (for a clip, the frame
under the timeline is decoded there too), and the preset strength fade done on preview-sized
pixels in the GUI thread.

A preset's strength is a linear fade from the photo to the stylised picture, applied by the
engine after the network (``lerp(photo, stylised, s)``). The studio therefore renders a preset
preview once at strength 1 and fades it here against the photo shrunk exactly as the engine
shrinks it: a strength drag then costs a few milliseconds and no render.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtGui import QImage

from engine import MIN_SIDE, ClipInfo, Picture, RenderRequest, RenderResult, resized

from .qt_images import picture_to_qimage, rgb_to_qimage
from .request_building import RegionSource, with_regions

if TYPE_CHECKING:
    from .clips import ClipShots, DecodedFrames


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


@dataclass(frozen=True, eq=False)
class PreviewOutput:
    result: RenderResult
    image: QImage  # converted on the render thread: the GUI thread only makes a pixmap of it
    before: Picture | None = None  # a clip's frame at the preview's size, 8-bit: to show and to fade against
    unmatched: bool = False  # a clip's frame painted with its own statistics, its shot's not yet measured


def preview_work(request: RenderRequest, regions: tuple[RegionSource, ...] = ()):
    """The job: add the regions, render, and convert for Qt, all on the render thread."""

    def work(engine: Any, token) -> PreviewOutput:
        result = engine.render(with_regions(request, regions), token)
        return PreviewOutput(result, picture_to_qimage(result.picture))

    return work


def clip_frame_work(frames: DecodedFrames, position: int, style, settings, regions: tuple[RegionSource, ...],
                    shots: ClipShots | None = None, look: tuple = (), measure: bool = True):
    """The job for a clip: decode the frame under the timeline (or take it from the last few),
    render it as ``preview_work`` does, with its shot's statistics where ``shots`` has them (so
    it looks as the exported frame will; ``look`` keys them; ``measure``: measure them now if
    they are not known), and shrink the frame for the window: all here, on the render thread."""

    def work(engine: Any, token) -> PreviewOutput:
        photo = frames.frame(position)
        token.check()  # a newer scrub may have come while it was decoded
        request = with_regions(RenderRequest(photo, style, settings), regions)
        statistics = None if shots is None else shots.statistics(engine, request, position, look, token, measure)
        if statistics is not None:
            request = replace(request, statistics=statistics)
        result = engine.render(request, token)
        before = shrunk(photo, result.picture.size)
        unmatched = statistics is None and shots is not None and shots.waits_for_measuring()
        return PreviewOutput(result, picture_to_qimage(result.picture), before, unmatched)

    return work


def preview_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The size the engine gives a picture of ``size`` asked for at ``long_side`` (never larger)."""
    width, height = size
    if long_side >= max(size):
        return size
    scale = long_side / max(width, height)
    return max(MIN_SIDE, round(width * scale)), max(MIN_SIDE, round(height * scale))


def shrunk(picture: Picture, size: tuple[int, int]) -> Picture:
    """``picture`` at ``size`` as the engine resizes it (``engine.resized``), 8-bit: the fade's "before"."""
    small = resized(picture, *size)
    alpha = None if small.alpha is None else _eight_bit(small.alpha)
    return Picture(_eight_bit(small.pixels), alpha, None, picture.name)


def _eight_bit(plane: np.ndarray) -> np.ndarray:
    return plane if plane.dtype == np.uint8 else (plane >> 8).astype(np.uint8)


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


def crop(picture: Picture, region: tuple[int, int, int, int]) -> Picture:
    left, top, width, height = region
    pixels = picture.pixels[top:top + height, left:left + width]
    alpha = None if picture.alpha is None else picture.alpha[top:top + height, left:left + width]
    return Picture(np.ascontiguousarray(pixels), None if alpha is None else np.ascontiguousarray(alpha),
                   picture.icc_profile, picture.name)
