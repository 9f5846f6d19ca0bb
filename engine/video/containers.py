"""Clips in video files (MP4, MOV, MKV, WebM, AVI, GIF, ...), read with PyAV's own FFmpeg.

Opening a file checks what can be checked before any work: that it is a video, that it has a
video stream in a codec this FFmpeg decodes, that its first frame decodes, and that its end can
be reached (a truncated file whose index survived). Frames come out upright (the display matrix
of phone videos applied) and with square pixels (anamorphic frames resampled), so that brush
strokes are not stretched on screen; the output keeps the shape the source is shown at.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from ..errors import VideoReadError
from ..limits import MAX_INPUT_PIXELS, pixels_problem
from ..picture import Picture
from .clip import ClipInfo, Frame

FALLBACK_FPS = Fraction(25)  # a stream that states no rate (rare: some AVI and raw streams)
END_CHECK_SECONDS = 1.0  # how far before the stated end a truncated file is caught


@dataclass(frozen=True)
class VideoFileSource:
    info: ClipInfo
    rotation: int  # quarter turns counterclockwise that make the frames upright
    high_bit_depth: bool  # decoded to 16 bits per channel (10- and 12-bit sources)

    def frames(self) -> Generator[Frame, None, None]:
        path = self.info.path
        with _opened(path) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            index = 0
            try:
                for decoded in container.decode(stream):
                    yield Frame(index, self._time(decoded, index), self._picture(decoded, index))
                    index += 1
            except av.FFmpegError as exc:
                raise VideoReadError(f"{path.name}: frame {index + 1} cannot be decoded; the file is damaged "
                                     f"({_reason(exc)})") from None

    def frame_at(self, index: int) -> Frame:
        """The frame shown at ``index`` / fps into the clip (past the end: the last frame), found
        by seeking to the keyframe before it and decoding on from there: at most one keyframe
        interval is decoded, however long the clip. Where seeking fails or lands past the frame
        (a GIF, a file without an index), the clip is decoded from its start."""
        seconds_per_frame = 1 / float(self.info.fps)
        for seeking in (True, False):
            with _opened(self.info.path) as container:
                stream = container.streams.video[0]
                stream.thread_type = "AUTO"
                start = float((stream.start_time or 0) * stream.time_base) if stream.time_base else 0.0
                found = _decoded_near(container, stream, start + index * seconds_per_frame, seeking, self.info.path)
                if found is not None:
                    at = max(0, round((self._time(found, 0) - start) / seconds_per_frame))
                    return Frame(at, self._time(found, at), self._picture(found, at))
        raise VideoReadError(f"{self.info.path.name}: has no frames")

    def _time(self, decoded: av.VideoFrame, index: int) -> float:
        return float(decoded.time) if decoded.time is not None else index / float(self.info.fps)

    def _picture(self, decoded: av.VideoFrame, index: int) -> Picture:
        width, height = self.info.size if self.rotation % 2 == 0 else self.info.size[::-1]
        converted = decoded.reformat(width=width, height=height, format="rgb48le" if self.high_bit_depth else "rgb24",
                                     interpolation="LANCZOS")
        pixels = np.rot90(converted.to_ndarray(), self.rotation)
        return Picture(np.ascontiguousarray(pixels), None, None, f"{self.info.path.stem} frame {index + 1}")


def open_video_file(path: Path, max_pixels: int = MAX_INPUT_PIXELS) -> VideoFileSource:
    """The clip in ``path``, checked; raises ``VideoReadError`` with a message for the user."""
    _check_is_file(path)
    with _opened(path) as container:
        if not container.streams.video:
            has_audio = bool(container.streams.audio)
            raise VideoReadError(f"{path.name}: has no video stream" + (" (only sound)" if has_audio else ""))
        stream = container.streams.video[0]
        if stream.codec_context is None or stream.codec_context.codec is None:
            raise VideoReadError(f"{path.name}: its video codec is not one that this build of FFmpeg can decode")
        context = stream.codec_context
        too_large = pixels_problem(path.name, context.width or 0, context.height or 0, max_pixels)
        if too_large is not None:  # from the header: a small file may declare a huge canvas
            raise VideoReadError(too_large)
        first = _first_frame(container, stream, path)
        info, source = _describe(path, container, stream, first)
        if info.duration > 0:
            _check_end_readable(container, stream, info)
    return source


def _describe(path: Path, container, stream, first: av.VideoFrame) -> tuple[ClipInfo, VideoFileSource]:
    fps = stream.average_rate or stream.guessed_rate or stream.base_rate or FALLBACK_FPS
    duration = _duration(container, stream)
    frame_count = stream.frames or max(1, round(duration * float(fps)))
    aspect = stream.sample_aspect_ratio or Fraction(1)
    aspect = aspect if aspect > 0 else Fraction(1)
    width, height = max(1, round(first.width * aspect)), first.height
    rotation = round((first.rotation or 0) / 90) % 4
    size = (width, height) if rotation % 2 == 0 else (height, width)
    components = first.format.components
    high_bit_depth = any(component.bits > 8 for component in components)
    info = ClipInfo(path, "animated picture" if path.suffix.lower() == ".gif" else "video", size, frame_count,
                    bool(stream.frames), Fraction(fps), duration, Fraction(aspect), bool(container.streams.audio),
                    stream.codec_context.name)
    return info, VideoFileSource(info, rotation, high_bit_depth)


def _duration(container, stream) -> float:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    return container.duration / av.time_base if container.duration else 0.0


def _first_frame(container, stream, path: Path) -> av.VideoFrame:
    try:
        for decoded in container.decode(stream):
            return decoded
    except av.FFmpegError as exc:
        raise VideoReadError(f"{path.name}: its first frame cannot be decoded; the file is damaged or truncated "
                             f"({_reason(exc)})") from None
    raise VideoReadError(f"{path.name}: has no frames")


def _decoded_near(container, stream, target: float, seeking: bool, path: Path) -> av.VideoFrame | None:
    """The last frame shown at or before ``target`` seconds (half a frame's leeway for rounded
    time stamps), or the clip's last frame; None where a seek failed or went past ``target``."""
    leeway = 0.5 / float(stream.average_rate or stream.guessed_rate or FALLBACK_FPS)
    found = None
    try:
        if seeking and target > 0:
            container.seek(int(target / stream.time_base), stream=stream, backward=True)
        for decoded in container.decode(stream):
            if decoded.time is not None and decoded.time > target + leeway:
                return found  # None: the seek landed past the frame
            found = decoded
    except av.FFmpegError as exc:
        if seeking:
            return None
        raise VideoReadError(f"{path.name}: the frame at {target:.2f} s cannot be decoded; the file is damaged "
                             f"({_reason(exc)})") from None
    return found


def _check_end_readable(container, stream, info: ClipInfo) -> None:
    """Seek to just before the stated end and decode up to there: a file cut short fails here,
    before hours of work, rather than at the end. (A seek lands on the keyframe before the
    target, or where a file without an index could get to: decoding on tells which.)"""
    start = float((stream.start_time or 0) * stream.time_base)
    # A second before the end, or a tenth of a short clip (a one-second clip cut in half must fail).
    margin = min(END_CHECK_SECONDS, info.duration / 10 + 1 / max(info.fps, Fraction(1)))
    target = start + info.duration - margin
    try:
        container.seek(int(max(target, start) / stream.time_base), stream=stream, backward=True)
        for decoded in container.decode(stream):
            # A frame counts to where it ends: a slideshow's or a GIF's last frame may last seconds.
            shown_for = float((decoded.duration or 0) * stream.time_base) if decoded.time is not None else 0.0
            if decoded.time is None or decoded.time + shown_for >= target - margin:
                return
    except av.FFmpegError:
        pass
    raise VideoReadError(f"{info.path.name}: the file is truncated or damaged: it says it lasts "
                         f"{info.duration:.1f} s, but its end cannot be read")


class _opened:
    """``av.open`` with the user's message for a file FFmpeg cannot open."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        try:
            self.container = av.open(str(self.path), metadata_errors="ignore")
        except av.error.EOFError:
            raise VideoReadError(f"{self.path.name}: has no frames (the file ends before its first frame)") from None
        except av.FFmpegError as exc:
            raise VideoReadError(f"{self.path.name}: not a video Impasto can read, or damaged or truncated "
                                 f"({_reason(exc)})") from None
        return self.container

    def __exit__(self, *exc_info):
        self.container.close()


def _check_is_file(path: Path) -> None:
    if not path.exists():
        raise VideoReadError(f"{path}: no such file")
    if path.is_dir():
        raise VideoReadError(f"{path}: is a folder; a folder of numbered frames is read as a sequence (--sequence)")
    if path.stat().st_size == 0:
        raise VideoReadError(f"{path}: the file is empty")


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)
