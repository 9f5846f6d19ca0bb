"""Writing a stylised clip: a video file (``VideoFileWriter``) or a folder of numbered frames
(``FrameFolderWriter``), each under a temporary name and published only when complete
(``open_writer``). Frames are written as they come; nothing holds the clip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import numpy as np
from av.video.stream import VideoStream

from ..errors import ImageWriteError, InvalidRequestError, VideoWriteError
from ..io.imageio import save_picture
from ..limits import FRAME_OUTPUT_SUFFIXES, OUTPUT_FORMATS, VIDEO_OUTPUT_SUFFIXES, VIDEO_SUFFIXES
from ..picture import Picture
from .atomic import atomic_file, atomic_folder, check_file_target, check_folder_target
from .audio import AudioPassthrough
from .clip import ClipInfo, Frame
from .codecs import VideoCodec, choose_codec, container_format

# Fine enough that variable frame timings (GIF, phone video) are kept to the microsecond; the
# MPEG clock. Encoders take their rate control from the frame rate, not from this.
TIME_BASE = Fraction(1, 90_000)
# SVT-AV1 prints its configuration, its errors and its farewells ("deinit called without sending
# EOS" after Ctrl+C) to stderr unless told otherwise, and reads only this: fatal errors only. What
# it would refuse is said in our words first (``codecs.fitting_codec``).
os.environ.setdefault("SVT_LOG", "0")


@dataclass(frozen=True)
class ClipTarget:
    """Where and how a stylised clip is written."""

    path: Path  # a video file (.mp4, .mov, .mkv, .webm) or a folder for frames
    codec: str = "auto"  # for video files: see engine/video/codecs.py
    frame_format: str = ".png"  # for folders: .png or .tif
    sixteen_bit: bool = False  # TIFF frames at 16 bits per channel
    keep_audio: bool = True
    overwrite: bool = False  # video files only; a folder of frames must be new or empty

    @property
    def is_video_file(self) -> bool:
        return self.path.suffix.lower() in VIDEO_OUTPUT_SUFFIXES


def check_target(target: ClipTarget) -> VideoCodec | None:
    """What can be known wrong before any work (the type, the codec for it, the folder, an
    existing output); returns the codec, or None for a folder of frames."""
    if target.is_video_file:
        codec = choose_codec(target.path.suffix, target.codec)
        check_file_target(target.path, target.overwrite)
        return codec
    if target.path.suffix.lower() in set(OUTPUT_FORMATS) | VIDEO_SUFFIXES:
        container_format(target.path.suffix)  # raises: not a type a clip is written as (a picture, an AVI)
    if target.frame_format not in FRAME_OUTPUT_SUFFIXES:
        raise InvalidRequestError(f"frames are written as {', '.join(FRAME_OUTPUT_SUFFIXES)}, not {target.frame_format}")
    check_folder_target(target.path)
    return None


@contextmanager
def open_writer(target: ClipTarget, info: ClipInfo, size: tuple[int, int], codec: VideoCodec | None = None) -> Iterator:
    """A writer for the clip described by ``info`` with frames of ``size`` (with ``codec``, for a
    video file: ``check_target``'s by default), published when the block ends normally, removed
    entirely when it raises (``Cancelled`` and Ctrl+C included)."""
    codec = codec or check_target(target)
    if codec is None:
        with atomic_folder(target.path) as folder:
            yield FrameFolderWriter(folder, target, size)
        return
    with atomic_file(target.path, target.overwrite) as temp:
        audio = info.path if target.keep_audio and info.has_audio else None
        writer = VideoFileWriter(temp, target.path, codec, info.fps, size, audio)
        try:
            yield writer
            writer.finish()
        except BaseException:
            writer.close(quietly=True)  # the first error is the one to report
            raise
        writer.close()


class FrameFolderWriter:
    """Numbered frames: a sequence keeps its frames' own names (so frame numbers survive the
    round trip through a compositing program); a video's frames are ``frame_000001.png``..."""

    def __init__(self, folder: Path, target: ClipTarget, size: tuple[int, int]):
        self.folder, self.target, self.size = folder, target, size

    def write(self, frame: Frame, picture: Picture) -> None:
        stem = frame.name or f"frame_{frame.index + 1:06d}"
        try:
            save_picture(picture, self.folder / f"{stem}{self.target.frame_format}", sixteen_bit=self.target.sixteen_bit)
        except ImageWriteError as exc:
            raise VideoWriteError(f"could not write frame {frame.index + 1}: {exc}") from None


class VideoFileWriter:
    """Encodes frames into ``temp`` (a video named like ``final``), with the colour tagged as
    BT.709 (what players assume for anything but old SD video) and the source's sound copied."""

    def __init__(self, temp: Path, final: Path, codec: VideoCodec, fps: Fraction, size: tuple[int, int],
                 audio_source: Path | None):
        self.final, self.codec = final, codec
        self.size = (size[0] - size[0] % 2, size[1] - size[1] % 2)  # 4:2:0 and 4:2:2 need even sides
        self._last_pts = -1
        self._container = av.open(str(temp), "w", format=container_format(final.suffix))
        self._audio: AudioPassthrough | None = None
        try:
            self._stream = self._video_stream(fps)
            if audio_source is not None:
                self._audio = AudioPassthrough(audio_source, self._container, final.suffix)
            self._container.start_encoding()  # a container that refuses a stream says so now, before any work
        except BaseException:
            self.close(quietly=True)
            raise

    def _video_stream(self, fps: Fraction) -> VideoStream:
        # The encoder's name is a plain string, so the stubs cannot tell it is a video encoder's.
        stream = cast(VideoStream, self._container.add_stream(self.codec.encoder, rate=fps,
                                                              options=dict(self.codec.options)))
        stream.width, stream.height = self.size
        stream.pix_fmt = self.codec.pixel_format
        context = stream.codec_context
        context.time_base = TIME_BASE
        context.colorspace = context.color_primaries = context.color_trc = 1  # BT.709
        context.color_range = 1  # limited ("TV") range, what every player expects
        return stream

    def write(self, frame: Frame, picture: Picture) -> None:
        width, height = self.size
        pixels = np.ascontiguousarray(picture.pixels[:height, :width])
        rgb = av.VideoFrame.from_ndarray(pixels, format="rgb24" if pixels.dtype == np.uint8 else "rgb48le")
        encoded = rgb.reformat(format=self.codec.pixel_format, dst_colorspace="ITU709", dst_color_range="MPEG")
        encoded.colorspace, encoded.color_range = 1, 1
        encoded.pts, encoded.time_base = self._pts(frame.time), TIME_BASE
        with _write_errors(self.final):
            for packet in self._stream.encode(encoded):
                self._container.mux(packet)
            if self._audio is not None:
                self._audio.mux_until(frame.time)

    def _pts(self, time: float) -> int:
        # Decoders may hand out two frames with one time stamp; encoders need them increasing.
        self._last_pts = max(round(time / TIME_BASE), self._last_pts + 1)
        return self._last_pts

    def finish(self) -> None:
        with _write_errors(self.final):
            for packet in self._stream.encode():
                self._container.mux(packet)
            if self._audio is not None:
                self._audio.finish()

    def close(self, quietly: bool = False) -> None:
        if self._audio is not None:
            self._audio.close()
        try:
            with _write_errors(self.final):
                self._container.close()
        except VideoWriteError:
            if not quietly:
                raise


@contextmanager
def _write_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except (av.FFmpegError, OSError) as exc:
        raise VideoWriteError(f"could not write {path}: {getattr(exc, 'strerror', None) or exc}") from None
