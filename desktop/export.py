"""Export: a full-resolution render with progress and Cancel, then an atomic save.

The picture is written only once the render has finished, through a temporary file and a
rename, so a cancelled or failed export leaves no partial file behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog

from engine import ImpastoError, RenderRequest, save_picture

from .worker import EXPORT, RenderWorker

EXPORT_FILTERS = "PNG (*.png);;JPEG (*.jpg *.jpeg);;WebP (*.webp);;TIFF (*.tif *.tiff)"


@dataclass(frozen=True)
class ExportJob:
    request: RenderRequest
    target: Path
    overwrite: bool


class Exporter(QObject):
    """Runs export jobs one after another on the render worker; a batch is a list of jobs."""

    finished = Signal(list, list, list)  # [written Path], [error message], [engine note, e.g. a fallback]
    cancelled = Signal()

    def __init__(self, worker: RenderWorker, parent_widget=None):
        super().__init__(parent_widget)
        self._worker = worker
        self._parent_widget = parent_widget
        self._jobs: list[ExportJob] = []
        self._current: ExportJob | None = None
        self._written: list[Path] = []
        self._errors: list[str] = []
        self._notes: list[str] = []
        self.dialog: QProgressDialog | None = None
        worker.rendered.connect(self._on_rendered)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        worker.progressed.connect(self._on_progress)

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def current_request_id(self) -> int | None:
        return self._current.request.request_id if self._current is not None else None

    def start(self, jobs: list[ExportJob]) -> None:
        self._jobs, self._written, self._errors, self._notes = list(jobs), [], [], []
        self.dialog = QProgressDialog("Rendering at full resolution…", "Cancel", 0, 1000, self._parent_widget)
        self.dialog.setWindowTitle("Export")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoReset(False)  # stay open across the jobs of a batch
        self.dialog.setAutoClose(False)
        self.dialog.canceled.connect(self.cancel)
        self.dialog.show()
        self._next()

    def cancel(self) -> None:
        if self._current is not None:
            self._jobs.clear()
            self._worker.cancel_current()

    def _next(self) -> None:
        if not self._jobs:
            self._current = None
            self._close_dialog()
            self.finished.emit(self._written, self._errors, self._notes)
            return
        self._current = self._jobs.pop(0)
        if self.dialog is not None:
            self.dialog.setLabelText(f"Rendering {self._current.target.name} at full resolution…")
            self.dialog.setValue(0)
        self._worker.submit(self._current.request, EXPORT)

    def _mine(self, request_id: int, purpose: str) -> bool:
        return purpose == EXPORT and self._current is not None and self._current.request.request_id == request_id

    def _on_progress(self, request_id: int, fraction: float) -> None:
        if self._current is not None and self._current.request.request_id == request_id and self.dialog:
            self.dialog.setValue(int(fraction * 1000))

    def _on_rendered(self, result, purpose: str) -> None:
        if not self._mine(result.request_id, purpose):
            return
        try:
            self._written.append(save_picture(result.picture, self._current.target, overwrite=self._current.overwrite))
            self._notes += [f"{self._current.target.name}: {note}" for note in result.notes]
        except ImpastoError as exc:
            self._errors.append(str(exc))
        self._next()

    def _on_failed(self, request_id: int, purpose: str, message: str) -> None:
        if self._mine(request_id, purpose):
            self._errors.append(f"{self._current.target.name}: {message}")
            self._next()

    def _on_cancelled(self, request_id: int, purpose: str) -> None:
        if self._mine(request_id, purpose):
            self._current = None
            self._jobs.clear()
            self._close_dialog()
            self.cancelled.emit()

    def _close_dialog(self) -> None:
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
