"""One small token carries progress and cancellation through every long loop.

Long work calls ``token.progress(fraction)``; once someone has called ``cancel()``, that call
raises ``Cancelled``. A sub-task gets ``token.subrange(start, end)``, which maps its own 0..1
onto a slice of the parent's range, so nested loops need no extra plumbing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .errors import Cancelled

ProgressCallback = Callable[[float], None]


class CancelToken:
    """Shared cancellation flag plus optional callbacks, called from the render thread:
    ``on_progress(fraction)``, and ``on_intermediate(image)`` with the current (1, 3, H, W)
    picture of a long optimisation, for a live preview."""

    def __init__(self, on_progress: ProgressCallback | None = None, on_intermediate: Callable | None = None):
        self._cancelled = threading.Event()
        self._on_progress = on_progress
        self._on_intermediate = on_intermediate

    @property
    def wants_intermediate(self) -> bool:
        return self._on_intermediate is not None

    def intermediate(self, image) -> None:
        if self._on_intermediate is not None:
            self._on_intermediate(image)

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled()

    def progress(self, fraction: float) -> None:
        """Report progress in 0..1, then raise ``Cancelled`` if the work should stop."""
        self.check()
        if self._on_progress is not None:
            self._on_progress(min(max(fraction, 0.0), 1.0))

    def subrange(self, start: float, end: float) -> CancelToken:
        return _SubToken(self, start, end)


class _SubToken(CancelToken):
    def __init__(self, parent: CancelToken, start: float, end: float):
        self._parent, self._start, self._end = parent, start, end

    @property
    def wants_intermediate(self) -> bool:
        return self._parent.wants_intermediate

    def intermediate(self, image) -> None:
        self._parent.intermediate(image)

    def cancel(self) -> None:
        self._parent.cancel()

    @property
    def cancelled(self) -> bool:
        return self._parent.cancelled

    def check(self) -> None:
        self._parent.check()

    def progress(self, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        self._parent.progress(self._start + (self._end - self._start) * fraction)
