"""A well to drop an image (or a folder) on, or click to choose one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFileDialog, QFrame, QLabel, QSizePolicy, QVBoxLayout

from engine import VIDEO_SUFFIXES

WELL_IMAGE = QSize(150, 84)
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.tif *.tiff *.bmp *.gif);;All files (*)"
CLIP_PATTERNS = " ".join(f"*{suffix}" for suffix in sorted(VIDEO_SUFFIXES))
PHOTO_OR_CLIP_FILTER = (f"Photos and clips (*.png *.jpg *.jpeg *.tif *.tiff *.bmp {CLIP_PATTERNS});;"
                        f"Clips ({CLIP_PATTERNS});;{IMAGE_FILTER}")


def dropped_paths(mime) -> list[Path]:
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] if mime.hasUrls() else []


def accept_files(event) -> bool:
    """Accept a drag or a drop that carries files; whether it did."""
    if dropped_paths(event.mimeData()):
        event.acceptProposedAction()
        return True
    return False


class ElidedLabel(QLabel):
    """A one-line caption shortened to fit: a file's name in its middle (``clip_and_co…ee.mp4``,
    its end says what it is), words at their end; the tooltip has it all. It never widens the well."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.full_text = ""
        self._mode = Qt.TextElideMode.ElideMiddle
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def show_text(self, text: str, file_name: bool = True) -> None:
        self.full_text = text
        self._mode = Qt.TextElideMode.ElideMiddle if file_name else Qt.TextElideMode.ElideRight
        self.setToolTip(text)
        self._fit()

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        self.setText(self.fontMetrics().elidedText(self.full_text, self._mode, self.width()))


class DropZone(QFrame):
    """Emits ``paths_chosen`` with the dropped or chosen files (a folder arrives as itself)."""

    paths_chosen = Signal(list)

    def __init__(self, title: str, prompt: str, file_filter: str = IMAGE_FILTER, parent=None):
        super().__init__(parent)
        self._filter = file_filter
        self.start_folder: Callable[[], str] = lambda: ""  # where the file dialog opens; "": Qt's last
        self.setObjectName("dropZone")
        self.setAcceptDrops(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(170, 110)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._title = QLabel(f"<b>{title}</b>")
        self._prompt = prompt
        self._image = QLabel(prompt)
        self._image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image.setWordWrap(True)
        self._caption = ElidedLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self._title)
        layout.addWidget(self._image, 1)
        layout.addWidget(self._caption)
        self.setToolTip(f"{prompt}\nor click to choose a file")

    def show_image(self, image: QImage, caption: str, file_name: bool = True) -> None:
        """``image`` is already small (a preview-sized copy): never a full-size photo. ``file_name``:
        the caption is one (shortened in its middle), not words (shortened at their end)."""
        self._image.setPixmap(QPixmap.fromImage(image.scaled(WELL_IMAGE, Qt.AspectRatioMode.KeepAspectRatio,
                                                             Qt.TransformationMode.SmoothTransformation)))
        self._caption.show_text(caption, file_name)

    def show_prompt(self, caption: str = "") -> None:
        self._image.clear()
        self._image.setText(self._prompt)
        self._caption.show_text(caption, file_name=False)

    def dragEnterEvent(self, event):
        accept_files(event)

    def dropEvent(self, event):
        if accept_files(event):
            self.paths_chosen.emit(dropped_paths(event.mimeData()))

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.choose_file()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Open", self.start_folder(), self._filter)
        if name:
            self.paths_chosen.emit([Path(name)])
