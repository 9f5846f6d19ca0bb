"""Animated WebP, read with Pillow: this FFmpeg's WebP decoder takes still pictures only."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from PIL import Image, ImageSequence, UnidentifiedImageError

from ..errors import VideoReadError
from ..limits import MAX_INPUT_PIXELS, pixels_problem
from ..picture import Picture
from .clip import ClipInfo, Frame

DEFAULT_FRAME_MILLISECONDS = 100  # a frame that states no duration (the WebP default)


@dataclass(frozen=True)
class AnimatedPictureSource:
    info: ClipInfo

    def frames(self) -> Generator[Frame, None, None]:
        time, path = 0.0, self.info.path
        with _opened(path) as image:
            frames = ImageSequence.Iterator(image)
            for index in range(self.info.frame_count):
                try:
                    pixels = np.asarray(frames[index].convert("RGB")).copy()
                except (OSError, EOFError, IndexError) as exc:
                    raise VideoReadError(f"{path.name}: frame {index + 1} cannot be read; the file is damaged "
                                         f"({exc})") from None
                yield Frame(index, time, Picture(pixels, None, None, f"{path.stem} frame {index + 1}"))
                time += _milliseconds(image) / 1000


    def frame_at(self, index: int) -> Frame:
        """Frame ``index`` (past the end: the last). Its time assumes an even frame rate: what a
        timeline needs; ``frames`` gives each frame's own."""
        index, path = min(max(index, 0), self.info.frame_count - 1), self.info.path
        with _opened(path) as image:
            try:
                image.seek(index)
                pixels = np.asarray(image.convert("RGB")).copy()
            except (OSError, EOFError) as exc:
                raise VideoReadError(f"{path.name}: frame {index + 1} cannot be read; the file is damaged "
                                     f"({exc})") from None
        return Frame(index, index / float(self.info.fps), Picture(pixels, None, None, f"{path.stem} frame {index + 1}"))


def is_animated_picture(path: Path) -> bool:
    try:
        with Image.open(path) as image:
            return getattr(image, "n_frames", 1) > 1
    except (OSError, UnidentifiedImageError):
        return False


def open_animated_picture(path: Path, max_pixels: int = MAX_INPUT_PIXELS) -> AnimatedPictureSource:
    with _opened(path) as image:
        too_large = pixels_problem(path.name, *image.size, max_pixels)
        if too_large is not None:  # from the header, before a frame is decoded
            raise VideoReadError(too_large)
        count = getattr(image, "n_frames", 1)  # a single-frame format (a JPEG named .webp) has none
        try:
            milliseconds = sum(_milliseconds(frame) for frame in ImageSequence.Iterator(image))
        except (OSError, EOFError) as exc:
            raise VideoReadError(f"{path.name}: the animation is damaged or truncated ({exc})") from None
        duration = milliseconds / 1000
        fps = Fraction(count / duration).limit_denominator(1001) if duration > 0 else Fraction(10)
        info = ClipInfo(path, "animated picture", image.size, count, True, fps, duration, Fraction(1), False,
                        image.format or path.suffix.lstrip("."))
    return AnimatedPictureSource(info)


def _milliseconds(frame: Image.Image) -> int:
    frame.load()  # Pillow sets a WebP frame's duration when it decodes it
    return frame.info.get("duration") or DEFAULT_FRAME_MILLISECONDS


class _opened:
    def __init__(self, path: Path):
        self.path = path

    def __enter__(self) -> Image.Image:
        try:
            self.image = Image.open(self.path)
        except (OSError, UnidentifiedImageError) as exc:
            raise VideoReadError(f"{self.path.name}: not an animation Impasto can read ({exc})") from None
        return self.image

    def __exit__(self, *exc_info):
        self.image.close()
