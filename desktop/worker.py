"""One long-lived render thread with a one-slot mailbox: the newest request wins.

The GUI thread only builds requests and calls ``submit``; the engine lives in this thread and
is created here. A request submitted while another waits replaces it; a running preview is
left to finish (cheaper than killing it for these fast networks) and the GUI drops its result
if a newer request exists. Exports can be cancelled through their token. Work queued with
``queue_background`` (gallery thumbnails) runs only when no request is waiting.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QThread, Signal

from engine import Cancelled, CancelToken, ImpastoError, Picture, RenderRequest

log = logging.getLogger(__name__)

PREVIEW, EXPORT = "preview", "export"


@dataclass(frozen=True)
class Job:
    request: RenderRequest
    purpose: str


class RenderWorker(QThread):
    rendered = Signal(object, str)  # RenderResult, purpose
    failed = Signal(int, str, str)  # request id, purpose, message for the user
    cancelled = Signal(int, str)  # request id, purpose
    progressed = Signal(int, float)  # request id, 0..1
    intermediate = Signal(int, object)  # request id, Picture: the current state of a long optimisation
    background_done = Signal(object, object)  # key, value
    engine_ready = Signal(str)  # device description, for the status bar

    def __init__(self, engine_factory: Callable[[], Any], parent=None):
        super().__init__(parent)
        self._engine_factory = engine_factory
        self._mailbox = threading.Condition()
        self._pending: Job | None = None
        self._background: deque[tuple[object, Callable[[Any], object]]] = deque()
        self._token: CancelToken | None = None
        self._stopping = False

    # -- called from the GUI thread -------------------------------------------------------

    def submit(self, request: RenderRequest, purpose: str = PREVIEW) -> None:
        with self._mailbox:
            self._pending = Job(request, purpose)
            self._mailbox.notify()

    def queue_background(self, key: object, work: Callable[[Any], object]) -> None:
        with self._mailbox:
            self._background.append((key, work))
            self._mailbox.notify()

    def cancel_current(self) -> None:
        """Cancel the running job and drop the waiting one."""
        with self._mailbox:
            self._pending = None
            if self._token is not None:
                self._token.cancel()

    def stop(self) -> None:
        """Cancel everything and join the thread."""
        with self._mailbox:
            self._stopping = True
            self._pending = None
            self._background.clear()
            if self._token is not None:
                self._token.cancel()
            self._mailbox.notify()
        self.wait()

    # -- the render thread ----------------------------------------------------------------

    def run(self) -> None:
        try:
            engine = self._engine_factory()
            self.engine_ready.emit(engine.device.description)
        except ImpastoError as exc:
            log.error("the engine could not start: %s", exc)
            self.failed.emit(0, "engine", str(exc))
            return
        while True:
            with self._mailbox:
                while self._pending is None and not self._background and not self._stopping:
                    self._mailbox.wait()
                if self._stopping:
                    return
                job, self._pending = self._pending, None
                background = self._background.popleft() if job is None else None
                if job is not None:
                    request_id = job.request.request_id
                    self._token = CancelToken(
                        lambda f, rid=request_id: self.progressed.emit(rid, f),
                        lambda image, rid=request_id: self.intermediate.emit(rid, Picture.from_tensor(image.cpu())))
            if job is not None:
                self._run_job(engine, job)
            else:
                self._run_background(engine, *background)

    def _run_job(self, engine, job: Job) -> None:
        request_id = job.request.request_id
        try:
            result = engine.render(job.request, self._token)
        except Cancelled:
            self.cancelled.emit(request_id, job.purpose)
        except ImpastoError as exc:
            self.failed.emit(request_id, job.purpose, str(exc))
        except Exception as exc:
            log.exception("render %s failed", request_id)
            self.failed.emit(request_id, job.purpose, f"Unexpected problem while rendering: {exc}")
        else:
            self.rendered.emit(result, job.purpose)
        finally:
            with self._mailbox:
                self._token = None

    def _run_background(self, engine, key, work) -> None:
        try:
            self.background_done.emit(key, work(engine))
        except Exception:
            log.exception("background task %r failed", key)
