"""``stylise_clip``: a clip in, a stylised clip out, one frame in memory at a time.

The story: check the clip and the target (before any work); with temporal stability on, a
first pass finds the shots and their statistics (``shots.find_shots``); then every frame is
rendered by ``Engine.render`` with its shot's statistics, blended with the previous result
along the optical flow (``flow.FlowBlender``, reset at each cut) and written; the output is
published only when the last frame is in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from .. import planning
from ..engine import Engine
from ..errors import InvalidRequestError
from ..picture import Picture
from ..progress import CancelToken
from ..regions import StyleRegion
from ..rendering.resizing import resized
from ..rendering.tiles import THUMBNAIL_LONG_SIDE
from ..request import RenderRequest
from ..settings import DEFAULT_VIDEO_SETTINGS, RenderSettings, VideoSettings
from ..styles import StyleSpec
from .clip import ClipSource, check_length
from .codecs import fitting_codec
from .flow import FlowBlender
from .shots import Shot, find_shots
from .writers import ClipTarget, check_target, open_writer

ANALYSIS_SHARE = 0.1  # of the progress bar, for the first pass (decoding plus a few renders per shot)

FrameCallback = Callable[[int, int], None]
"""Told (frames written, frames expected) after each frame: for frames/s and ETA."""


@dataclass(frozen=True)
class ClipResult:
    target: Path
    frames: int
    shots: int
    seconds: float
    size: tuple[int, int]  # of the frames written
    working_size: tuple[int, int]
    device: str
    codec: str | None  # the encoder; None for a folder of frames
    temporal: str
    audio: bool  # the source's sound was copied
    notes: tuple[str, ...] = ()


def stylise_clip(engine: Engine, source: ClipSource, style: StyleSpec, settings: RenderSettings, target: ClipTarget,
                 video: VideoSettings = DEFAULT_VIDEO_SETTINGS, token: CancelToken | None = None,
                 on_frame: FrameCallback | None = None, regions: tuple[StyleRegion, ...] = ()) -> ClipResult:
    """Stylise every frame of ``source`` with ``style`` and ``settings`` (the look of a still)
    into ``target``; ``video`` says how (temporal stability, codec, sound, length limit).
    ``regions`` go where their masks say in every frame."""
    token, started = token or CancelToken(), time.perf_counter()
    info = source.info
    check_length(info, video.allow_long)
    if settings.quality != "fast":
        raise InvalidRequestError("video is rendered with the fast networks; high quality is for still pictures")
    codec = check_target(target)
    template = RenderRequest(first_frame(source), style, settings, regions=regions)  # one size: one plan for all
    plan = engine.plan(template)
    codec_note = None
    if codec is not None:
        codec, codec_note = fitting_codec(codec, target.path.suffix, target.codec, plan.output_size, float(info.fps))
    token.progress(0.0)
    with open_writer(target, info, plan.output_size, codec) as writer:
        shots = _shots(engine, source, template, video, token.subrange(0.0, ANALYSIS_SHARE))
        render = _FrameRenderer(engine, template, video, shots)
        if codec_note is not None:
            render.notes.append(codec_note)
        frames = render.all(source, writer, token.subrange(ANALYSIS_SHARE if shots[0].statistics else 0.0, 1.0),
                            on_frame)
    return ClipResult(target.path, frames, len(shots), time.perf_counter() - started, writer.size, plan.working_size, render.device, codec.encoder if codec else None, video.temporal,
                      bool(codec and target.keep_audio and info.has_audio), tuple(render.notes))


def first_frame(source: ClipSource) -> Picture:
    with closing(source.frames()) as frames:
        return next(frames).picture


def _shots(engine: Engine, source: ClipSource, template: RenderRequest, video: VideoSettings,
           token: CancelToken) -> list[Shot]:
    if video.temporal == "off":
        return [Shot(0, source.info.frame_count, None)]
    size = statistics_size(engine, template)
    return find_shots(source, lambda picture: resized(picture, *size),
                      lambda samples: engine.shot_statistics(template, samples), token)


def statistics_size(engine: Engine, template: RenderRequest) -> tuple[int, int]:
    """The size ``Engine.shot_statistics`` measures frames at: thumbnails kept at this size are
    not resized again."""
    return planning.statistics_size(engine.plan(template).working_size, THUMBNAIL_LONG_SIDE)


class _FrameRenderer:
    """The second pass: each frame rendered with its shot's statistics, blended, written."""

    def __init__(self, engine: Engine, template: RenderRequest, video: VideoSettings, shots: list[Shot]):
        self.engine, self.template, self.shots = engine, template, shots
        self.blender = FlowBlender(video.blend) if video.temporal == "full" else None
        self.notes: list[str] = []
        self.device = engine.device.description

    def all(self, source: ClipSource, writer, token: CancelToken, on_frame: FrameCallback | None) -> int:
        expected = max(1, sum(shot.frames for shot in self.shots))
        shot_index, written = 0, 0
        for frame in source.frames():
            while shot_index + 1 < len(self.shots) and frame.index >= self.shots[shot_index + 1].start:
                shot_index += 1
            if self.blender is not None and frame.index == self.shots[shot_index].start:
                self.blender.reset()
            share = token.subrange(min(written / expected, 1.0), min((written + 1) / expected, 1.0))
            writer.write(frame, self.one(frame.picture, self.shots[shot_index], share))
            written += 1
            if on_frame is not None:
                on_frame(written, max(expected, written))
        token.progress(1.0)
        return written

    def one(self, photo: Picture, shot: Shot, token: CancelToken) -> Picture:
        request = RenderRequest(photo, self.template.style, self.template.settings, regions=self.template.regions,
                                statistics=shot.statistics)
        result = self.engine.render(request, token)
        self.device = result.device
        self.notes.extend(note for note in result.notes if note not in self.notes)
        return result.picture if self.blender is None else self.blender.blended(photo, result.picture)
