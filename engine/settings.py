"""Every default of the engine, in one typed place. The CLI and the desktop app read these."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .errors import InvalidRequestError
from .limits import MAX_OUTPUT_LONG_SIDE, MAX_OUTPUT_PIXELS, MIN_SIDE

DEVICES = ("auto", "cpu", "cuda", "mps")
PRECISIONS = ("auto", "fp32", "fp16")
QUALITIES = ("fast", "high")
# "painting": the painting's colours; "photo": the photo's colours with the stylised brightness;
# "palette": the photo itself recoloured with the painting's palette, no strokes.
COLOURS = ("painting", "photo", "palette")
FEATHER_RANGE = (0.0, 500.0)  # px of the photo

# Stroke size 1.0 paints the network's strokes as they look on a picture 1024 px on its long
# side, whatever the output size; 2.0 makes them twice as big, 0.5 half. See docs/cli.md, "Stroke size".
REFERENCE_LONG_SIDE = 1024
STROKE_RANGE = (0.25, 4.0)


@dataclass(frozen=True)
class RenderSettings:
    """How one picture is rendered. Immutable: change it with ``with_changes``."""

    strength: float = 1.0
    colour: str = "painting"  # one of COLOURS
    stroke: float | None = 1.0  # None: "native", the network at the output's own resolution
    output_long_side: int | None = None  # None: the content's own size
    max_working_side: int | None = None  # caps the working long side: a quick draft while a slider moves
    quality: str = "fast"  # "fast": the feed-forward networks; "high": optimisation on EfficientNet features
    feather: float = 0.0  # softens the edges of region masks by this many photo pixels
    snap_to_edges: bool = False  # region masks follow the photo's edges (a guided filter)

    def __post_init__(self):
        if not 0.0 <= self.strength <= 1.0:
            raise InvalidRequestError(f"strength must be between 0 and 1, got {self.strength}")
        if self.stroke is not None and not STROKE_RANGE[0] <= self.stroke <= STROKE_RANGE[1]:
            raise InvalidRequestError(
                f"stroke size must be between {STROKE_RANGE[0]} and {STROKE_RANGE[1]} (or native), got {self.stroke}"
            )
        if self.quality not in QUALITIES:
            raise InvalidRequestError(f"quality must be one of {', '.join(QUALITIES)}, got {self.quality!r}")
        if self.colour not in COLOURS:
            raise InvalidRequestError(f"colour must be one of {', '.join(COLOURS)}, got {self.colour!r}")
        if not (FEATHER_RANGE[0] <= self.feather <= FEATHER_RANGE[1]):  # also refuses nan
            raise InvalidRequestError(f"feather runs from {FEATHER_RANGE[0]:.0f} to {FEATHER_RANGE[1]:.0f} px, "
                                      f"got {self.feather}")
        if self.output_long_side is not None and not MIN_SIDE <= self.output_long_side <= MAX_OUTPUT_LONG_SIDE:
            raise InvalidRequestError(f"output size runs from {MIN_SIDE} to {MAX_OUTPUT_LONG_SIDE} px on the long side "
                                      f"(larger would be over {MAX_OUTPUT_PIXELS / 1e6:.0f} megapixels), "
                                      f"got {self.output_long_side}")

    def with_changes(self, **changes) -> RenderSettings:
        return replace(self, **changes)


@dataclass(frozen=True)
class EngineSettings:
    """Where and how the networks run; fixed for the life of an ``Engine``."""

    device: str = "auto"
    precision: str = "auto"  # auto: fp16 on CUDA, fp32 elsewhere
    cpu_threads: int | None = None  # None: one per physical core, at most 8
    tile_pixels: int | None = None  # None: chosen from free memory
    style_cache_dir: Path | None = None  # where paintings' style vectors persist (None: memory only)
    # Keep freed CPU memory in the process for the next render (glibc only; see engine/memory.py).
    # It changes how the whole process allocates: a program embedding the engine may say no.
    keep_freed_memory: bool = True

    def __post_init__(self):
        if self.device not in DEVICES:
            raise InvalidRequestError(f"unknown device {self.device!r}; use one of {', '.join(DEVICES)}")
        if self.precision not in PRECISIONS:
            raise InvalidRequestError(f"unknown precision {self.precision!r}; use one of {', '.join(PRECISIONS)}")


TEMPORAL_MODES = ("off", "stats", "full")
VIDEO_CODECS = ("auto", "av1", "vp9", "h264", "prores")
CODEC_CHOICE = ("by container unless --codec says otherwise: .mp4, .mkv, .webm: AV1 (SVT-AV1), else VP9; "
                ".mov: ProRes 422; h264 (x264, GPL) only when asked for")


@dataclass(frozen=True)
class VideoSettings:
    """How a clip is stylised and written, beyond the look of each frame (``RenderSettings``)."""

    # off: every frame on its own; stats: norm statistics fixed per shot; full: and the previous
    # frame's result carried along the optical flow (docs/cli.md, "Video"; docs/benchmarks.md).
    temporal: str = "full"
    # The share of the flow-warped previous result in each frame where the flow is trusted.
    # Measured (docs/benchmarks.md, "Video"): 0.5 left 51-52 % of the frame-to-frame flicker of
    # frames rendered alone, 0.6 leaves 43-44 % and keeps each frame within about half that
    # flicker of its own render; more smooths further but strays further from each frame.
    blend: float = 0.6
    codec: str = "auto"  # auto: by container (engine/video/codecs.py)
    keep_audio: bool = True
    sequence_fps: float = 24.0  # a folder of frames carries no frame rate
    allow_long: bool = False  # lift the length limit of engine/limits.py

    def __post_init__(self):
        if self.temporal not in TEMPORAL_MODES:
            raise InvalidRequestError(f"temporal must be one of {', '.join(TEMPORAL_MODES)}, got {self.temporal!r}")
        if self.codec not in VIDEO_CODECS:
            raise InvalidRequestError(f"codec must be one of {', '.join(VIDEO_CODECS)}, got {self.codec!r}")
        if not 0.0 <= self.blend < 1.0:
            raise InvalidRequestError(f"the temporal blend must be at least 0 and below 1, got {self.blend}")
        if not 0.1 <= self.sequence_fps <= 1000:
            raise InvalidRequestError(f"frame rate must be between 0.1 and 1000, got {self.sequence_fps}")

    def with_changes(self, **changes) -> VideoSettings:
        return replace(self, **changes)


DEFAULT_RENDER_SETTINGS = RenderSettings()
DEFAULT_ENGINE_SETTINGS = EngineSettings()
DEFAULT_VIDEO_SETTINGS = VideoSettings()
