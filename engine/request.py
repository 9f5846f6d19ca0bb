"""The immutable values that go into and come out of ``Engine.render``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from .errors import InvalidRequestError
from .limits import output_size_problem, proportions_problem
from .networks.layers import FixedStatistics
from .picture import Picture
from .regions import StyleRegion
from .settings import DEFAULT_RENDER_SETTINGS, RenderSettings
from .styles import StyleSpec

_request_ids = itertools.count(1)


@dataclass(frozen=True)
class RenderRequest:
    content: Picture
    style: StyleSpec
    settings: RenderSettings = DEFAULT_RENDER_SETTINGS
    # Where other styles go (pixels no region covers take ``style``), in order: later regions on top.
    regions: tuple[StyleRegion, ...] = ()
    # Norm statistics to use instead of the picture's own (a video shot's: ``Engine.shot_statistics``).
    statistics: FixedStatistics | None = None
    request_id: int = field(default_factory=lambda: next(_request_ids))

    def __post_init__(self):
        problem = proportions_problem(*self.content.size) or output_size_problem(
            self.content.size, self.settings.output_long_side)
        if problem is not None:
            raise InvalidRequestError(f"{self.content.name}: {problem}")
        if self.regions and self.settings.quality == "high":
            raise InvalidRequestError("high quality paints one style over the whole picture; "
                                      "render a picture with regions at the fast quality")
        object.__setattr__(self, "regions", tuple(self.regions))


@dataclass(frozen=True)
class RenderResult:
    picture: Picture
    request_id: int
    device: str  # what actually ran it, e.g. "CPU (2 threads)"
    seconds: float
    peak_memory_bytes: int  # GPU memory on CUDA, resident memory growth of the process elsewhere
    working_size: tuple[int, int]  # where the network ran, before bringing the result to full size
    tiles: int
    notes: tuple[str, ...] = ()  # what the engine had to do on its own: "GPU out of memory: ..."


@dataclass(frozen=True)
class Layer:
    name: str
    picture: Picture  # 8-bit, with alpha where the layer is partly transparent


@dataclass(frozen=True)
class LayeredResult:
    merged: RenderResult
    layers: tuple[Layer, ...]  # bottom first
