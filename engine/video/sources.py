"""Which reader a clip needs: a folder of frames, an animated WebP, or a video file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import VideoReadError, describe_os_error
from ..limits import MAX_INPUT_PIXELS, VIDEO_SUFFIXES
from ..settings import DEFAULT_VIDEO_SETTINGS
from .animated import is_animated_picture, open_animated_picture
from .clip import ClipSource
from .containers import open_video_file
from .sequences import open_frame_sequence

_PICTURE_OR_CLIP = (".gif", ".webp")  # a clip when animated, else a still picture


def is_clip_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is read as a clip: a video file, or an animated GIF or WebP."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in _PICTURE_OR_CLIP:
        return path.is_file() and is_animated_picture(path)
    return suffix in VIDEO_SUFFIXES


def open_clip(path: str | os.PathLike, sequence_fps: float | None = None,
              max_pixels: int = MAX_INPUT_PIXELS) -> ClipSource:
    """The clip at ``path``, checked before any work (``VideoReadError`` says what is wrong);
    frames over ``max_pixels`` are refused from the header. A folder is read as a sequence of
    numbered frames at ``sequence_fps``."""
    path = Path(path)
    if path.is_dir():
        return open_frame_sequence(path, sequence_fps or DEFAULT_VIDEO_SETTINGS.sequence_fps, max_pixels)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise VideoReadError(f"{path}: cannot be read ({describe_os_error(exc)})") from None
    if not stat.S_ISREG(mode):  # never opened: a pipe would block and a device never ends
        raise VideoReadError(f"{path.name}: not a regular file (a pipe, socket or device)")
    if path.suffix.lower() == ".webp":
        return open_animated_picture(path, max_pixels)
    return open_video_file(path, max_pixels)
