"""The preview: the stylised picture, a before/after split, zoom and pan."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QWidget

SPLIT_GRAB_PX = 8


class PreviewCanvas(QWidget):
    """Shows ``after`` (the render) and, left of the split line when comparing, ``before`` (the photo)."""

    zoom_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setMouseTracking(True)
        self.before: QPixmap | None = None
        self.after: QPixmap | None = None
        self.comparing = False
        self.split = 0.5  # fraction of the picture's width
        self.message = "Drop a photo here, or press Ctrl+O"
        self._zoom: float | None = None  # None: fit to the window
        self._center = QPointF(0.5, 0.5)  # picture point shown at the widget's centre, in 0..1
        self._drag_start = None
        self._dragging_split = False

    # -- content --------------------------------------------------------------------------

    def set_pictures(self, before: QPixmap | None, after: QPixmap | None) -> None:
        self.before, self.after = before, after
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def set_comparing(self, on: bool) -> None:
        self.comparing = on
        self.update()

    # -- geometry -------------------------------------------------------------------------

    def _shown(self) -> QPixmap | None:
        return self.after or self.before

    def scale(self) -> float:
        pixmap = self._shown()
        if pixmap is None or pixmap.isNull():
            return 1.0
        if self._zoom is None:
            return min(self.width() / pixmap.width(), self.height() / pixmap.height())
        return self._zoom

    def picture_rect(self) -> QRectF:
        pixmap = self._shown()
        s = self.scale()
        w, h = pixmap.width() * s, pixmap.height() * s
        if self._zoom is None:
            return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        return QRectF(self.width() / 2 - self._center.x() * w, self.height() / 2 - self._center.y() * h, w, h)

    def fit(self) -> None:
        self._zoom = None
        self.zoom_changed.emit(self.scale())
        self.update()

    def actual_size(self) -> None:
        self.set_zoom(1.0)

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        if self._shown() is None:
            return
        rect = self.picture_rect()
        anchor = anchor or QPointF(self.width() / 2, self.height() / 2)
        fx = (anchor.x() - rect.x()) / rect.width()
        fy = (anchor.y() - rect.y()) / rect.height()
        self._zoom = max(0.05, min(zoom, 16.0))
        w, h = self._shown().width() * self._zoom, self._shown().height() * self._zoom
        # keep the picture point under the anchor where it was
        self._center = QPointF(fx + (self.width() / 2 - anchor.x()) / w, fy + (self.height() / 2 - anchor.y()) / h)
        self.zoom_changed.emit(self._zoom)
        self.update()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.scale() * factor)

    # -- painting and mouse ---------------------------------------------------------------

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(38, 38, 40))
        shown = self._shown()
        if shown is None:
            painter.setPen(QColor(200, 200, 200))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 2)
        rect = self.picture_rect()
        painter.drawPixmap(rect, shown, QRectF(shown.rect()))
        if self.comparing and self.before is not None and self.after is not None:
            split_x = rect.x() + rect.width() * self.split
            painter.save()
            painter.setClipRect(QRectF(rect.x(), rect.y(), split_x - rect.x(), rect.height()))
            painter.drawPixmap(rect, self.before, QRectF(self.before.rect()))
            painter.restore()
            painter.setPen(QPen(QColor(255, 255, 255), 2))
            painter.drawLine(QPointF(split_x, rect.top()), QPointF(split_x, rect.bottom()))
            painter.setPen(QColor(255, 255, 255))
            painter.drawText(QPointF(rect.x() + 8, rect.y() + 18), "before")
            painter.drawText(QPointF(split_x + 8, rect.y() + 18), "after")

    def _near_split(self, x: float) -> bool:
        if not (self.comparing and self._shown()):
            return False
        rect = self.picture_rect()
        return abs(x - (rect.x() + rect.width() * self.split)) <= SPLIT_GRAB_PX

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self._dragging_split = self._near_split(event.position().x())
            self._drag_start = (event.position(), QPointF(self._center))

    def mouseMoveEvent(self, event):
        position = event.position()
        self.setCursor(Qt.CursorShape.SplitHCursor if self._near_split(position.x()) else Qt.CursorShape.ArrowCursor)
        if self._drag_start is None or self._shown() is None:
            return
        rect = self.picture_rect()
        if self._dragging_split:
            self.split = min(1.0, max(0.0, (position.x() - rect.x()) / rect.width()))
        elif self._zoom is not None:
            start, center = self._drag_start
            delta = position - start
            self._center = QPointF(center.x() - delta.x() / rect.width(), center.y() - delta.y() / rect.height())
        self.update()

    def mouseReleaseEvent(self, event):
        self._drag_start = None
        self._dragging_split = False

    def wheelEvent(self, event):
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.set_zoom(self.scale() * factor, event.position())
