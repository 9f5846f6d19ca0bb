"""What a preview job computes on the render thread: the render, and for a clip the frame under
the timeline, decoded there too. The picture is converted for the window there as well
(``to_image``, the studio's Qt conversion), so the GUI thread only makes a pixmap of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from engine import Picture, RenderRequest, RenderResult

from .region_sources import RegionSource, with_regions

ToImage = Callable[[Picture], Any]  # a Picture as the window shows it (a QImage)


class Frames(Protocol):
    def frame(self, index: int) -> Picture: ...


class Shots(Protocol):
    def statistics(self, engine: Any, request: RenderRequest, position: int, look: tuple, token: Any,
                   measure: bool) -> Any: ...

    def waits_for_measuring(self) -> bool: ...


@dataclass(frozen=True, eq=False)
class PreviewOutput:
    result: RenderResult
    image: Any  # ``to_image`` of the result
    before: Picture | None = None  # a clip's frame at the preview's size, 8-bit: to show and to fade against
    unmatched: bool = False  # a clip's frame painted with its own statistics, its shot's not yet measured


def preview_work(request: RenderRequest, regions: tuple[RegionSource, ...], to_image: ToImage):
    """The job: add the regions, render, and convert for the window."""

    def work(engine: Any, token) -> PreviewOutput:
        result = engine.render(with_regions(request, regions), token)
        return PreviewOutput(result, to_image(result.picture))

    return work


def clip_frame_work(frames: Frames, position: int, style, settings, regions: tuple[RegionSource, ...],
                    to_image: ToImage, shrink: Callable[[Picture, tuple[int, int]], Picture],
                    shots: Shots | None = None, look: tuple = (), measure: bool = True):
    """The job for a clip: decode the frame under the timeline (or take it from the last few),
    render it as ``preview_work`` does, with its shot's statistics where ``shots`` has them (so
    it looks as the exported frame will; ``look`` keys them; ``measure``: measure them now if
    they are not known), and ``shrink`` the frame for the window."""

    def work(engine: Any, token) -> PreviewOutput:
        photo = frames.frame(position)
        token.check()  # a newer scrub may have come while it was decoded
        request = with_regions(RenderRequest(photo, style, settings), regions)
        statistics = None if shots is None else shots.statistics(engine, request, position, look, token, measure)
        if statistics is not None:
            request = replace(request, statistics=statistics)
        result = engine.render(request, token)
        before = shrink(photo, result.picture.size)
        unmatched = statistics is None and shots is not None and shots.waits_for_measuring()
        return PreviewOutput(result, to_image(result.picture), before, unmatched)

    return work
