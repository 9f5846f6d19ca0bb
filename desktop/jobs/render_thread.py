"""The scheduler on a QThread: the engine is created and every job runs there; its events
reach the GUI thread through one queued signal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QThread, Signal

from .scheduler import Job, Scheduler


class RenderThread(QThread):
    reported = Signal(object)  # a scheduler Event: JobEvent or EngineStatus (not "event": QObject.event is a virtual)

    def __init__(self, engine_factory: Callable[[], Any], parent=None):
        super().__init__(parent)
        self.scheduler = Scheduler(engine_factory, self.reported.emit)

    def run(self) -> None:
        self.scheduler.serve()

    def submit(self, job: Job) -> Job:
        return self.scheduler.submit(job)

    def cancel(self, job_id: int) -> bool:
        return self.scheduler.cancel(job_id)

    def stop(self) -> None:
        """Cancel every job, join the thread, then report what it could not (in this thread)."""
        self.scheduler.stop()
        self.wait()
        self.scheduler.flush_reports()
