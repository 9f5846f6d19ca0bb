"""What the window says: the error banner above the preview, and the export line of the status
bar (progress with the time left and Cancel, then the file written with "Show in folder")."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QWidget

from desktop.ui.theme import BANNER_STYLE

BANNER_MS = 15000  # how long an error stays above the preview


class Banner(QLabel):
    def __init__(self, parent=None):
        super().__init__("", parent)
        self.setObjectName("banner")
        self.setWordWrap(True)
        self.setStyleSheet(BANNER_STYLE)
        self.setVisible(False)
        self._timer = QTimer(self, singleShot=True, interval=BANNER_MS)
        self._timer.timeout.connect(lambda: self.setVisible(False))

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(True)
        self._timer.start()

    def clear(self) -> None:
        self._timer.stop()
        self.setVisible(False)
        self.setText("")


class ExportStatus(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.label = QLabel("")
        # A long path must not widen the window: the label gives way (its tooltip has it all).
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(160)
        self.cancel_button = QPushButton("Cancel")
        self.folder_button = QPushButton("Show in folder")
        self.folder: Path | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel_button, self.folder_button):
            layout.addWidget(widget, 1 if widget is self.label else 0)  # the text takes the room
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.folder_button.clicked.connect(self.show_folder)
        self.folder_button.setVisible(False)
        self.show_progress(None)

    def show_progress(self, progress) -> None:
        """An ``ExportProgress``, or None once no export runs."""
        running = progress is not None
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        if not running and not self.folder_button.isVisibleTo(self):
            self.label.clear()  # the last percentage would stay there, stale, after a cancel
        if running:
            self.folder_button.setVisible(False)
            self.label.setText(progress.text)
            self.label.setToolTip(progress.text)
            self.bar.setValue(round(progress.fraction * 1000))

    def show_written(self, text: str, folder: Path) -> None:
        self.label.setText(text)
        self.label.setToolTip(text)
        self.folder = folder
        self.folder_button.setVisible(True)

    def show_folder(self) -> None:
        """The folder in the file manager; where none opens, where the file is, on the clipboard too."""
        if self.folder is None or QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))):
            return
        QGuiApplication.clipboard().setText(str(self.folder))
        self.label.setText(f"No file manager opened it: the file is in {self.folder} (that path is on the clipboard)")
        self.label.setToolTip(str(self.folder))
