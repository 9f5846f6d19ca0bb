"""One small token carries progress and cancellation through every long loop.

Long work calls ``token.progress(fraction)``; once someone has called ``cancel()``, that call
raises ``Cancelled``. A sub-task gets ``token.subrange(start, end)``, which maps its own 0..1
onto a slice of the parent's range, so nested loops need no extra plumbing.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable

from .errors import Cancelled

ProgressCallback = Callable[[float], None]


class CancelToken:
    """A cancellation flag shared with every sub-range, and optional callbacks called from the
    render thread: ``on_progress(fraction)``, and ``on_intermediate(image)`` with the current
    (1, 3, H, W) picture of a long optimisation, for a live preview."""

    def __init__(self, on_progress: ProgressCallback | None = None, on_intermediate: Callable | None = None):
        self._cancelled = threading.Event()
        self._on_progress = on_progress
        self._on_intermediate = on_intermediate
        self._start, self._end = 0.0, 1.0  # this token's slice of the whole job

    @property
    def wants_intermediate(self) -> bool:
        return self._on_intermediate is not None

    def intermediate(self, image) -> None:
        if self._on_intermediate is not None:
            self._on_intermediate(image)

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        if self._cancelled.is_set():
            raise Cancelled()

    def progress(self, fraction: float) -> None:
        """Report progress in 0..1 of this token's range, then raise ``Cancelled`` if the work should stop."""
        self.check()
        if self._on_progress is not None:
            fraction = min(max(fraction, 0.0), 1.0)
            self._on_progress(self._start + (self._end - self._start) * fraction)

    def subrange(self, start: float, end: float) -> CancelToken:
        """A token for a sub-task whose 0..1 is ``start``..``end`` of this one; cancelling either cancels both."""
        child = copy.copy(self)  # shares the flag and the callbacks
        width = self._end - self._start
        child._start, child._end = self._start + width * start, self._start + width * end
        return child
