"""Shots: where a clip cuts, and the norm statistics each shot is rendered with.

A cut is a jump in the difference between consecutive frames to several times its recent
level. The difference is that of small grey thumbnails, after the best shift of one against the
other by up to an eighth of their width: a pan then scores nearly as low as a still shot
(measured: 0.006-0.009 for pans of 2-8 % of the width per frame, 0.13-0.22 for cuts).

Each shot's statistics are pooled from up to ``SHOT_SAMPLES`` of its frames spread over the
whole shot, one per ``FRAMES_PER_SAMPLE`` in short shots (``Engine.shot_statistics``), so that
no frame's colours jump with its own statistics. Finding shots is a first pass over the clip
that keeps at most ``2 * SHOT_SAMPLES`` thumbnails and one record per shot: memory stays
bounded whatever the clip's length.
"""

from __future__ import annotations

import statistics
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np
from PIL import Image

from ..networks.layers import FixedStatistics
from ..picture import Picture
from ..progress import CancelToken
from .clip import ClipSource

CUT_THUMBNAIL_SIDE = 64
CUT_SHIFT_REACH = 8  # px of the thumbnail: camera motion up to this per frame does not count
CUT_RATIO = 3.0  # a cut: the difference jumps to more than this many times its recent level...
CUT_MIN_DIFFERENCE = 0.08  # ...and to at least this (grey levels 0..1), so noise on a still shot is no cut
RECENT_FRAMES = 8
SHOT_SAMPLES = 8
FRAMES_PER_SAMPLE = 4

FrameName = TypeVar("FrameName")  # what a sampler keeps to name a frame


@dataclass(frozen=True)
class Shot:
    start: int  # index of its first frame
    frames: int
    statistics: FixedStatistics | None


class CutDetector:
    """Told each frame in turn, says whether it starts a new shot."""

    def __init__(self) -> None:
        self._previous: np.ndarray | None = None
        self._recent: deque[float] = deque(maxlen=RECENT_FRAMES)

    def is_cut(self, picture: Picture) -> bool:
        grey = grey_thumbnail(picture)
        previous, self._previous = self._previous, grey
        if previous is None:
            return False
        difference = moved_difference(previous, grey)
        level = statistics.median(self._recent) if self._recent else 0.0
        cut = difference >= max(CUT_MIN_DIFFERENCE, CUT_RATIO * level)
        if cut:
            self._recent.clear()  # the new shot's motion is measured afresh
        else:
            self._recent.append(difference)
        return cut


def moved_difference(a: np.ndarray, b: np.ndarray, reach: int = CUT_SHIFT_REACH) -> float:
    """The mean absolute difference of ``a`` and ``b`` where they overlap, at the shift of ``b``
    (up to ``reach`` px each way) that makes it least."""
    height, width = a.shape
    best = float("inf")
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            a_part = a[max(0, dy) : height + min(0, dy), max(0, dx) : width + min(0, dx)]
            b_part = b[max(0, -dy) : height + min(0, -dy), max(0, -dx) : width + min(0, -dx)]
            best = min(best, float(np.abs(a_part - b_part).mean()))
    return best


def grey_thumbnail(picture: Picture) -> np.ndarray:
    pixels = picture.pixels if picture.pixels.dtype == np.uint8 else (picture.pixels >> 8).astype(np.uint8)
    scale = CUT_THUMBNAIL_SIDE / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    grey = Image.fromarray(pixels, "RGB").convert("L").resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)
    return np.asarray(grey, dtype=np.float32) / 255


class ShotSampler(Generic[FrameName]):
    """Keeps every ``stride``-th frame of a shot (its index, and its thumbnail when there is a
    ``thumbnail`` to make), and halves them (doubling the stride) whenever they exceed twice the
    samples wanted: an even spread over a shot of any length, in bounded memory, without knowing
    the length in advance. The frames chosen depend on the shot alone, so a studio that keeps
    only what names them (``frame``: the finder gives a frame's index and time) picks the frames
    an export picks."""

    def __init__(self, thumbnail: Callable[[Picture], Picture] | None = None):
        self._thumbnail = thumbnail
        self._kept: list[tuple[FrameName, Picture | None]] = []
        self._stride, self._seen = 1, 0

    def add(self, frame: FrameName, picture: Picture | None = None) -> None:
        if self._seen % self._stride == 0:
            kept = None if self._thumbnail is None or picture is None else self._thumbnail(picture)
            self._kept.append((frame, kept))
            if len(self._kept) > 2 * SHOT_SAMPLES:
                self._kept, self._stride = self._kept[::2], self._stride * 2
        self._seen += 1

    def chosen(self) -> list[tuple[FrameName, Picture | None]]:
        # Each sample costs about one render: a short shot gets fewer, at most a quarter of its frames.
        count = min(SHOT_SAMPLES, len(self._kept), -(-self._seen // FRAMES_PER_SAMPLE))
        if count <= 1:
            return self._kept[:count]
        return [self._kept[round(i * (len(self._kept) - 1) / (count - 1))] for i in range(count)]

    def samples(self) -> list[Picture | None]:
        """The chosen frames' thumbnails (None without a ``thumbnail``)."""
        return [picture for _, picture in self.chosen()]


@dataclass(frozen=True)
class ShotFrames:
    """Where a shot lies, and the frames its statistics are pooled from: their indices, counted
    in decoding order as an export counts them, and their times (where a seek lands is checked
    by time: in a clip of varying frame rate, index / fps is not the frame's time)."""

    start: int
    frames: int
    samples: tuple[int, ...]
    sample_times: tuple[float, ...] = ()

    def holds(self, index: int) -> bool:
        return self.start <= index < self.start + self.frames


class ShotFinder:
    """The first pass over a clip, one frame per ``step``: cuts found and each shot's samples
    chosen as the frames pass, so the pass can pause between any two frames (the studio runs
    it in short background jobs). ``on_shot`` is told each shot as it ends, with the chosen
    frames' thumbnails (None without a ``thumbnail``); ``shots`` lists them."""

    def __init__(self, source: ClipSource, thumbnail: Callable[[Picture], Picture] | None = None,
                 on_shot: Callable[[ShotFrames, list[Picture | None]], None] | None = None):
        self._frames = source.frames()
        self._thumbnail, self._on_shot = thumbnail, on_shot
        self._detector = CutDetector()
        self._sampler: ShotSampler[tuple[int, float]] = ShotSampler(thumbnail)  # each frame's index and time
        self._start, self._count = 0, 0
        self.shots: list[ShotFrames] = []
        self.done = False

    def step(self) -> int | None:
        """Reads one frame; its index, or None when the clip has ended (then ``done``). Raises
        the source's error where it cannot be read on; the finder is then done, without shots."""
        if self.done:
            return None
        try:
            frame = next(self._frames, None)
        except BaseException:
            self.done, self.shots = True, []
            raise
        if frame is None:
            if self._count:
                self._end_shot(self._count)
            self.done = True
            return None
        if self._detector.is_cut(frame.picture):
            self._end_shot(frame.index)
            self._sampler, self._start = ShotSampler(self._thumbnail), frame.index
        self._sampler.add((frame.index, frame.time), frame.picture)
        self._count = frame.index + 1
        return frame.index

    def close(self) -> None:
        self._frames.close()

    def _end_shot(self, end: int) -> None:
        chosen = self._sampler.chosen()
        shot = ShotFrames(self._start, end - self._start, tuple(index for (index, _), _ in chosen),
                          tuple(time for (_, time), _ in chosen))
        self.shots.append(shot)
        if self._on_shot is not None:
            self._on_shot(shot, [picture for _, picture in chosen])


def find_shots(source: ClipSource, thumbnail: Callable[[Picture], Picture],
               statistics_of: Callable[[list[Picture]], FixedStatistics], token: CancelToken) -> list[Shot]:
    """The clip's shots, each with the statistics of its sampled frames (a first pass)."""
    shots: list[Shot] = []

    def ended(found: ShotFrames, samples: list[Picture | None]) -> None:
        pictures = [picture for picture in samples if picture is not None]
        assert len(pictures) == len(samples)  # with a thumbnail to make, every sample has one
        shots.append(Shot(found.start, found.frames, statistics_of(pictures)))

    finder = ShotFinder(source, thumbnail, ended)
    expected = max(1, source.info.frame_count)
    try:
        while (index := finder.step()) is not None:
            token.progress(min(index / expected, 1.0))
    finally:
        finder.close()
    token.progress(1.0)
    return shots


def shot_at(shots: Sequence[ShotFrames], index: int) -> ShotFrames:
    """The shot that holds frame ``index`` (the last one for an index past the end)."""
    return next((shot for shot in shots if shot.holds(index)), shots[-1])
