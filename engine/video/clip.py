"""What a clip is, whatever it came from: its description (``ClipInfo``), its frames one at a
time (``Frame``), and the protocol every source follows (``ClipSource``)."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Protocol

from ..errors import InvalidRequestError
from ..limits import MAX_CLIP_FRAMES, MAX_CLIP_SECONDS
from ..picture import Picture


@dataclass(frozen=True)
class ClipInfo:
    path: Path
    kind: str  # "video", "animated picture" or "frame sequence"
    size: tuple[int, int]  # of the frames handed out: upright and with square pixels
    frame_count: int
    frame_count_exact: bool  # False where the container gives only a duration (WebM, MKV)
    fps: Fraction
    duration: float  # seconds
    pixel_aspect: Fraction  # of the stored pixels; frames are resampled to square pixels
    has_audio: bool
    codec: str  # the video codec, or the frames' file type

    def describe(self) -> str:
        about = "" if self.frame_count_exact else "about "
        audio = ", with audio" if self.has_audio else ""
        return (f"{self.size[0]}x{self.size[1]}, {about}{self.frame_count} frames at {float(self.fps):.3g} fps "
                f"({_duration_text(self.duration)}), {self.codec}{audio}")


@dataclass(frozen=True)
class Frame:
    index: int  # from 0, in presentation order
    time: float  # seconds from the start of the clip's time line (the audio's too)
    picture: Picture
    name: str | None = None  # a sequence frame's file name without its type, kept in a written sequence


class ClipSource(Protocol):
    """A clip that can be read from the start any number of times; each ``frames()`` call is a
    fresh pass that holds one frame at a time and closes its file when done or abandoned."""

    # A property, so that the sources' frozen dataclass fields (read-only) follow the protocol.
    @property
    def info(self) -> ClipInfo: ...

    def frames(self) -> Generator[Frame, None, None]: ...


def length_problem(info: ClipInfo) -> str | None:
    """Why a clip is too long to stylise without being told it is meant, or None."""
    if info.duration <= MAX_CLIP_SECONDS and info.frame_count <= MAX_CLIP_FRAMES:
        return None
    return (f"{info.path.name} lasts {_duration_text(info.duration)} ({info.frame_count:,} frames); Impasto "
            f"stylises up to {MAX_CLIP_SECONDS // 60} minutes or {MAX_CLIP_FRAMES:,} frames at a time, which "
            f"already takes hours on a CPU. Cut it into parts, or allow long clips (--allow-long)")


def check_length(info: ClipInfo, allow_long: bool) -> None:
    problem = None if allow_long else length_problem(info)
    if problem is not None:
        raise InvalidRequestError(problem)


def _duration_text(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes = round(seconds) // 60
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min {round(seconds) % 60:02d} s"
