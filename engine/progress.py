"""One small token carries progress and cancellation through every long loop.

Long work calls ``token.progress(fraction)``; once someone has called ``cancel()``, that call
raises ``Cancelled``. A sub-task gets ``token.subrange(start, end)``, which maps its own 0..1
onto a slice of the parent's range, so nested loops need no extra plumbing.
"""

from __future__ import annotations

import threading
from typing import Callable

from .errors import Cancelled

ProgressCallback = Callable[[float], None]


class CancelToken:
    """Shared cancellation flag plus an optional progress callback (called from the render thread)."""

    def __init__(self, on_progress: ProgressCallback | None = None):
        self._cancelled = threading.Event()
        self._on_progress = on_progress

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

    def subrange(self, start: float, end: float) -> "CancelToken":
        return _SubToken(self, start, end)


class _SubToken(CancelToken):
    def __init__(self, parent: CancelToken, start: float, end: float):
        self._parent, self._start, self._end = parent, start, end

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
