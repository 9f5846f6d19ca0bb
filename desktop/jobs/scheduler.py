"""What the render thread runs next, and how every job ended: a plain class, no Qt.

Previews sit in a one-job slot where the newest wins: a waiting preview that is replaced ends
as cancelled, and a running one is cancelled through its token (a drag's draft lets a running
preview finish instead, so a drag shows something on a slow machine). Exports wait in a FIFO
that previews never touch; one that runs for minutes (a clip) lets the waiting preview run
between two of its frames (``run_waiting_previews``), so the preview keeps following the
artist. Background work (gallery thumbnails) runs only when nothing else waits. Every job ends
with exactly one event saying how (done, failed, cancelled), so nothing that watches a job can
be left busy.

Jobs run in whichever thread calls ``serve`` (the Qt adapter's QThread) or ``run_until_idle``
(tests, synchronously). Events are emitted from that thread, in order; a job cancelled while it
waits is reported from there too, so a caller never receives an event in the middle of its
own ``submit`` or ``cancel``.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from engine import Cancelled, CancelToken, ImpastoError, Picture

log = logging.getLogger(__name__)
_job_ids = itertools.count(1)
PROGRESS_STEP = 0.005  # smaller steps of an export's progress are not worth a cross-thread event

Work = Callable[[Any, CancelToken], Any]  # (engine, token) -> value, run on the render thread


class JobKind(Enum):
    PREVIEW = "preview"  # newest wins
    EXPORT = "export"  # first in, first out; never displaced
    BACKGROUND = "background"  # when nothing else waits


class Stage(Enum):
    PROGRESS = "progress"
    INTERMEDIATE = "intermediate"  # a long optimisation's current picture
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


ENDINGS = frozenset({Stage.DONE, Stage.FAILED, Stage.CANCELLED})


@dataclass(frozen=True, eq=False)
class Job:
    kind: JobKind
    work: Work
    label: str = ""  # what the job is about, for messages: usually a file name
    on_event: Callable[[JobEvent], None] | None = None  # called with each event, in the thread that receives them
    interrupts: bool = True  # a preview that cancels the running preview it supersedes
    job_id: int = field(default_factory=lambda: next(_job_ids))


@dataclass(frozen=True)
class JobEvent:
    job: Job
    stage: Stage
    fraction: float = 0.0  # PROGRESS
    value: Any = None  # DONE: what the work returned; INTERMEDIATE: a Picture
    message: str = ""  # FAILED: in words for the artist
    error: BaseException | None = None  # FAILED: the exception, for the submitter to add advice

    @property
    def ended(self) -> bool:
        return self.stage in ENDINGS


@dataclass(frozen=True)
class EngineStatus:
    """The engine started on ``device``, or could not start (``error``): every job then fails with it."""

    device: str = ""
    error: str = ""


Event = JobEvent | EngineStatus


def failure_message(exc: BaseException) -> str:
    """An exception from a job, in words for the artist (the engine's own errors already are)."""
    if isinstance(exc, ImpastoError):
        return str(exc)
    if isinstance(exc, MemoryError) or "allocate memory" in str(exc) or type(exc).__name__ == "OutOfMemoryError":
        return "not enough memory; choose a larger stroke size or a smaller export size, or close other programs"
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror or exc}{where}"
    return f"unexpected problem: {exc}"


def _cancel(token: CancelToken | None) -> None:
    """Cancel the token of a running job (it is set whenever the job is)."""
    assert token is not None
    token.cancel()


class Scheduler:
    def __init__(self, engine_factory: Callable[[], Any], emit: Callable[[Event], None]):
        self._engine_factory = engine_factory
        self._emit = emit
        self._lock = threading.Condition()
        self._preview: Job | None = None
        self._exports: deque[Job] = deque()
        self._background: deque[Job] = deque()
        self._reports: deque[Event] = deque()  # emitted by the running thread, before the next job
        self._running: Job | None = None
        self._token: CancelToken | None = None
        self._inner: Job | None = None  # a preview running between two steps of the running export
        self._inner_token: CancelToken | None = None
        self._stopping = False
        self._engine: Any = None
        self._engine_error = ""

    # -- any thread -----------------------------------------------------------------------

    def submit(self, job: Job) -> Job:
        with self._lock:
            if self._stopping:
                self._reports.append(JobEvent(job, Stage.CANCELLED))
            elif job.kind is JobKind.PREVIEW:
                if self._preview is not None:
                    self._reports.append(JobEvent(self._preview, Stage.CANCELLED))
                self._preview = job
                running = self._running
                if job.interrupts and running is not None and running.kind is JobKind.PREVIEW:
                    _cancel(self._token)
                if job.interrupts and self._inner is not None:
                    _cancel(self._inner_token)
            elif job.kind is JobKind.EXPORT:
                self._exports.append(job)
            else:
                self._background.append(job)
            self._lock.notify_all()
        return job

    def cancel(self, job_id: int) -> bool:
        """Cancel one job, waiting or running; it reports how it ended. False if it is not known
        (it has ended already)."""
        with self._lock:
            if self._running is not None and self._running.job_id == job_id:
                _cancel(self._token)
                return True
            if self._inner is not None and self._inner.job_id == job_id:
                _cancel(self._inner_token)
                return True
            if self._preview is not None and self._preview.job_id == job_id:
                self._reports.append(JobEvent(self._preview, Stage.CANCELLED))
                self._preview = None
                self._lock.notify_all()
                return True
            for queue in (self._exports, self._background):
                for job in queue:
                    if job.job_id == job_id:
                        queue.remove(job)
                        self._reports.append(JobEvent(job, Stage.CANCELLED))
                        self._lock.notify_all()
                        return True
        return False

    def stop(self) -> None:
        """Cancel everything; ``serve`` returns once the running job has ended."""
        with self._lock:
            self._stopping = True
            for job in self._waiting():
                self._reports.append(JobEvent(job, Stage.CANCELLED))
            self._preview = None
            self._exports.clear()
            self._background.clear()
            for token in (self._token, self._inner_token):
                if token is not None:
                    token.cancel()
            self._lock.notify_all()

    def flush_reports(self) -> None:
        """Emit what is left to report in the calling thread (after the render thread has ended)."""
        self._emit_reports()

    @property
    def idle(self) -> bool:
        with self._lock:
            return self._running is None and not self._reports and not list(self._waiting())

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """For tests: block until every job has run and every event was emitted."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self._running is None and not self._reports and not list(self._waiting()), timeout)

    # -- the thread that runs the jobs ----------------------------------------------------

    def serve(self) -> None:
        """Start the engine, then run jobs until ``stop``."""
        self._start_engine()
        while self.run_next(block=True):
            pass
        self._emit_reports()

    def run_until_idle(self) -> None:
        """Run every waiting job in the calling thread (synchronous tests)."""
        if self._engine is None and not self._engine_error:
            self._start_engine()
        while self.run_next(block=False):
            pass
        self._emit_reports()

    def run_next(self, block: bool) -> bool:
        """Run the most urgent job; False once stopping (or, not blocking, when none waits)."""
        self._emit_reports()
        with self._lock:
            while True:
                job = self._take()
                if job is not None or self._stopping or not block:
                    break
                if self._reports:
                    break
                self._lock.wait()
            if job is None:
                return not self._stopping and block
            self._running = job
            self._token = self._token_for(job)
        self._run(job)
        return True

    def _start_engine(self) -> None:
        try:
            self._engine = self._engine_factory()
            status = EngineStatus(device=self._engine.device.description)
        except Exception as exc:  # noqa: BLE001 - an engine that cannot start is reported, never raised
            log.error("the engine could not start: %s", exc)
            self._engine_error = failure_message(exc)
            status = EngineStatus(error=self._engine_error)
        self._emit(status)

    def _take(self) -> Job | None:
        if self._preview is not None:
            job, self._preview = self._preview, None
            return job
        for queue in (self._exports, self._background):
            if queue:
                return queue.popleft()
        return None

    def _waiting(self):
        if self._preview is not None:
            yield self._preview
        yield from self._exports
        yield from self._background

    def _token_for(self, job: Job) -> CancelToken:
        if job.kind is not JobKind.EXPORT:
            return CancelToken()  # a preview shows a busy sign, not a percentage
        reported = [-1.0]

        def progress(fraction: float) -> None:
            if fraction - reported[0] >= PROGRESS_STEP or fraction >= 1.0:  # a tile loop reports often
                reported[0] = fraction
                self._emit(JobEvent(job, Stage.PROGRESS, fraction))

        return CancelToken(progress, lambda image: self._emit(
            JobEvent(job, Stage.INTERMEDIATE, value=Picture.from_tensor(image.cpu()))))

    def run_waiting_previews(self) -> None:
        """Run the waiting preview now, nested in the running export (from its work, between two
        of its steps: a clip's frames). The export keeps its place and its token; a newer
        preview cancels this one as it would a running one."""
        while True:
            with self._lock:
                job = self._preview
                if job is None or self._stopping or self._running is None or self._running.kind is not JobKind.EXPORT:
                    return
                self._preview, self._inner, self._inner_token = None, job, CancelToken()
                token = self._inner_token
            ending = self._ending(job, token)
            with self._lock:
                self._inner, self._inner_token = None, None
                self._reports.append(ending)
            self._emit_reports()

    def _run(self, job: Job) -> None:
        token = self._token
        assert token is not None  # set with ``_running`` in ``run_next``
        ending = self._ending(job, token)
        with self._lock:
            self._running, self._token = None, None
            self._reports.append(ending)
        self._emit_reports()

    def _ending(self, job: Job, token: CancelToken) -> JobEvent:
        """Run ``job``; how it ended (every failure is reported, none ends the thread)."""
        try:
            if self._engine_error:
                raise ImpastoError(f"the engine could not start: {self._engine_error}")
            return JobEvent(job, Stage.DONE, 1.0, value=job.work(self._engine, token))
        except Cancelled:
            return JobEvent(job, Stage.CANCELLED)
        except Exception as exc:
            if not isinstance(exc, (ImpastoError, OSError, MemoryError)) and "allocate memory" not in str(exc):
                log.exception("job %s (%s) failed", job.job_id, job.label)
            return JobEvent(job, Stage.FAILED, message=failure_message(exc), error=exc)

    def _emit_reports(self) -> None:
        while True:
            with self._lock:
                if not self._reports:
                    self._lock.notify_all()
                    return
                event = self._reports[0]
            try:
                self._emit(event)
            finally:
                with self._lock:
                    self._reports.popleft()
