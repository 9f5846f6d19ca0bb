"""Clips made at test time: frames in memory, small video files (with a sine tone), frame folders."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from engine import Picture, load_picture
from engine.resources import resource_path
from engine.video import ClipInfo, Frame
from engine.video.measures import CameraPath, filmed

FPS = 24
SAMPLE_RATE = 48_000


def chelsea() -> np.ndarray:
    return np.asarray(load_picture(resource_path("images", "chelsea.png")).pixels)


def coffee() -> np.ndarray:
    return np.asarray(load_picture(Path(__file__).parent / "data" / "coffee.jpg").pixels)


def pan(photo: np.ndarray, frames: int, size=(160, 112), step=(3.0, 0.0), start=None) -> tuple[list, CameraPath]:
    """``frames`` frames of a camera sliding over ``photo`` by ``step`` px per frame."""
    start = start or (size[0] / 2 + 16, photo.shape[0] / 2)
    path = CameraPath(size, start, step)
    return list(filmed(photo, path, frames)), path


class ArraySource:
    """A ``ClipSource`` over frames in memory."""

    def __init__(self, frames: Sequence[np.ndarray], name: str = "synthetic"):
        self._frames = frames
        height, width = frames[0].shape[:2]
        self.info = ClipInfo(Path(name), "test", (width, height), len(frames), True, Fraction(FPS),
                             len(frames) / FPS, Fraction(1), False, "raw")

    def frames(self) -> Iterator[Frame]:
        for index, pixels in enumerate(self._frames):
            yield Frame(index, index / FPS, Picture.from_uint8(pixels, f"frame {index + 1}"))


def write_video(path: Path, frames: Sequence[np.ndarray], codec: str = "libx264", tone_hz: float | None = None,
                faststart: bool = False, fps=None) -> Path:
    """A video file of ``frames`` at 24 fps (or ``fps``), with a sine tone (AAC, mono) if
    ``tone_hz``; with ``faststart``, an MP4's index comes before its pictures."""
    height, width = frames[0].shape[:2]
    with av.open(str(path), "w", options={"movflags": "faststart"} if faststart else None) as container:
        video = container.add_stream(codec, rate=fps or FPS)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        audio = container.add_stream("aac", rate=SAMPLE_RATE, layout="mono") if tone_hz else None
        for pixels in frames:
            for packet in video.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if audio is not None:
            _write_tone(container, audio, tone_hz, len(frames) / (fps or FPS))
    return path


def _write_tone(container, audio, hz: float, seconds: float) -> None:
    samples = (0.3 * np.sin(2 * np.pi * hz * np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE)).astype(np.float32)
    for start in range(0, len(samples), 1024):
        frame = av.AudioFrame.from_ndarray(samples[None, start : start + 1024], format="fltp", layout="mono")
        frame.sample_rate, frame.pts = SAMPLE_RATE, start
        for packet in audio.encode(frame):
            container.mux(packet)
    for packet in audio.encode():
        container.mux(packet)


def write_sequence(folder: Path, frames: Sequence[np.ndarray], first_number: int = 1) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number, pixels in enumerate(frames, first_number):
        Image.fromarray(pixels).save(folder / f"shot_{number:04d}.png")
    return folder


def read_frames(path: Path) -> list[np.ndarray]:
    """Every frame of a video file, or of a folder of pictures in name order, as RGB arrays."""
    if path.is_dir():
        return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(path.iterdir())]
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def audio_packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(packet) for packet in container.demux(audio=0) if packet.size]
