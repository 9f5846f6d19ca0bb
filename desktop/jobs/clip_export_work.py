"""A clip's export: one job in the export queue that runs ``stylise_clip`` on the render thread
(temporal stability as chosen; the clip is written under a temporary name and published at the
end, so a cancel or a failure leaves nothing), counting its frames for the progress line and
letting the artist's preview run between two frames."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from engine import ClipTarget, RenderSettings, VideoSettings, stylise_clip

from .export_work import ExportOutput

# FFmpeg's encoders (engine/video/codecs.py) by the names an artist meets in other programs.
CODEC_NAMES = {"libsvtav1": "AV1", "libaom-av1": "AV1", "libvpx-vp9": "VP9", "libopenh264": "H.264",
               "libx264": "H.264", "prores_ks": "ProRes 422"}


@dataclass(frozen=True)
class FrameCount:
    done: int
    expected: int
    per_second: float | None  # from the first frame written (the first pass finds the shots)

    @property
    def text(self) -> str:
        rate = "" if self.per_second is None else f", {self.per_second:.1f} frames/s"
        return f"frame {self.done} of {self.expected}{rate}"

    @property
    def seconds_left(self) -> float | None:
        return None if not self.per_second else (self.expected - self.done) / self.per_second


class FrameCounter:
    """Frames written so far: told on the render thread, read by the window."""

    def __init__(self):
        self._first: tuple[float, int] | None = None
        self.count: FrameCount | None = None  # replaced whole: a reader sees the old count or the new

    def frame(self, done: int, expected: int) -> None:
        now = time.monotonic()
        if self._first is None:
            self._first = (now, done)
        started, done_then = self._first
        rate = (done - done_then) / (now - started) if done > done_then and now > started else None
        self.count = FrameCount(done, expected, rate)


def clip_work(source, style, settings: RenderSettings, target: ClipTarget, video: VideoSettings, regions: tuple,
              counter: FrameCounter, between_frames: Callable[[], None]):
    """The export job of a clip; ``between_frames`` runs after each frame (the scheduler's
    waiting preview)."""

    def work(engine: Any, token) -> ExportOutput:
        def on_frame(done: int, expected: int) -> None:
            counter.frame(done, expected)
            between_frames()

        result = stylise_clip(engine, source, style, settings, target, video, token, on_frame, regions=regions)
        codec = CODEC_NAMES.get(result.codec, result.codec) if result.codec else "PNG frames"
        what = codec + (", sound copied" if result.audio else "")
        made = f"{result.frames} frames in {result.seconds:.0f} s ({result.frames / max(result.seconds, 1e-6):.1f} " \
               f"frames/s, {what})"
        return ExportOutput(result.target, (made, *result.notes))

    return work
