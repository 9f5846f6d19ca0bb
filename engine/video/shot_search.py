"""``ShotSearch``: a clip's shots found a little at a time, for a studio whose preview of one
frame should look as that frame will in the exported clip.

An export renders every frame with its shot's pooled norm statistics (``shots``); a frame
rendered alone with its own statistics differs from that by 3-10 levels on average on a gentle
pan (measured, 640x360, painting and preset 7: docs/benchmarks.md), more where the shot's
content changes. The search reads the clip as the export's first pass does, without keeping
thumbnails (only the indices of each shot's sample frames), in steps short enough to run
between previews, and gives the statistics of the shot under any frame: its sample frames
decoded again (a seek each) and measured with the look of the request.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from contextlib import closing

from ..errors import VideoReadError
from ..networks.layers import FixedStatistics
from ..progress import CancelToken
from ..request import RenderRequest
from .clip import ClipSource
from .seeking import frame_at
from .shots import ShotFinder, ShotFrames, shot_at


class ShotSearch:
    def __init__(self, source: ClipSource):
        self._source = source
        self._finder: ShotFinder | None = None
        self._error: str | None = None  # why the clip cannot be read to its end
        self.shots: Sequence[ShotFrames] | None = None  # all of them, once found

    @property
    def found(self) -> bool:
        return self.shots is not None

    def search(self, seconds: float) -> bool:
        """Read on for about ``seconds`` (at least one frame); True once every shot is found.
        Raises the source's ``VideoReadError`` where the clip cannot be read on, then and after."""
        if self.shots is not None:
            return True
        if self._error is not None:  # raised afresh: the first one's traceback keeps its frames
            raise VideoReadError(self._error) from None
        if self._finder is None:
            self._finder = ShotFinder(self._source)
        deadline = time.monotonic() + seconds
        try:
            while self._finder.step() is not None:
                if time.monotonic() >= deadline:
                    return False
        except Exception as exc:
            self._error = str(exc) or type(exc).__name__
            self.close()
            raise
        self.shots, self._finder = tuple(self._finder.shots), None
        return True

    def shot_of(self, index: int) -> ShotFrames | None:
        """The shot that holds frame ``index``, once every shot is found."""
        return None if not self.shots else shot_at(self.shots, index)

    def statistics(self, engine, template: RenderRequest, shot: ShotFrames, token: CancelToken) -> FixedStatistics:
        """The statistics ``stylise_clip`` renders the frames of ``shot`` with, for the look of
        ``template`` (any frame of the clip with the style, settings and regions)."""
        decoding, measuring = token.subrange(0.0, 0.2), token.subrange(0.2, 1.0)
        half_frame = 0.5 / float(self._source.info.fps)
        samples = {}
        for done, (index, at) in enumerate(zip(shot.samples, shot.sample_times, strict=True)):
            decoding.progress(done / len(shot.samples))
            frame = frame_at(self._source, index)
            if abs(frame.time - at) < half_frame:  # a seek lands by time: elsewhere where the rate varies
                samples[index] = frame.picture
        missing = set(shot.samples) - set(samples)
        if missing:  # then counted as the export counts them: decoded from the start
            with closing(self._source.frames()) as frames:
                for frame in frames:
                    decoding.check()
                    if frame.index in missing:
                        samples[frame.index] = frame.picture
                    if frame.index >= max(missing):
                        break
        if len(samples) < len(shot.samples):
            raise VideoReadError(f"{self._source.info.path.name}: frame {max(missing) + 1} cannot be read again")
        return engine.shot_statistics(template, [samples[index] for index in shot.samples], measuring)

    def close(self) -> None:
        """Let the clip's file go; a later ``search`` starts again from the first frame."""
        if self._finder is not None:
            self._finder.close()
            self._finder = None
