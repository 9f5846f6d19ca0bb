"""The preview: the stylised picture, a before/after split, zoom and pan, drops.

Geometry is in the photo's own pixels: a preview-sized picture is drawn over the whole photo,
and at "Actual size" (or any zoom that would enlarge the preview) the canvas asks, once the view
rests, for the real pixels of the visible area, which the studio renders and sends back.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from desktop.studio import DetailFrame

from .drop_zone import accept_files, dropped_paths

SPLIT_GRAB_PX = 8
DETAIL_AFTER_MS = 250  # the view rests this long before its real pixels are asked for
BACKGROUND = QColor(30, 30, 33)


class PreviewCanvas(QWidget):
    paths_dropped = Signal(list)  # [Path]
    detail_wanted = Signal(object)  # (left, top, width, height) in photo pixels, or None
    zoom_changed = Signal(float, bool)  # screen pixels per photo pixel, fitting the window

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(320, 240)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # where the window's keys go first
        self.setMouseTracking(True)
        self.setAcceptDrops(True)
        self.full_size: tuple[int, int] | None = None
        self.before: QPixmap | None = None
        self.after: QPixmap | None = None
        self.detail: tuple[QRectF, QPixmap] | None = None
        self.comparing = False
        self.busy = False
        self.split = 0.5  # fraction of the picture's width
        self._zoom: float | None = None  # screen pixels per photo pixel; None: fit to the window
        self._center = QPointF(0.5, 0.5)  # picture point shown at the widget's centre, in 0..1
        self._drag_start = None
        self._dragging_split = False
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_AFTER_MS)
        self._detail_timer.timeout.connect(self._ask_for_detail)

    # -- content --------------------------------------------------------------------------

    def set_photo(self, before: QImage | None, full_size: tuple[int, int]) -> None:
        """A new photo: its preview-sized copy stands in until the stylised picture arrives (a
        clip's frame, None, comes with its stylised picture)."""
        if full_size != self.full_size:
            self._zoom, self._center = None, QPointF(0.5, 0.5)
        self.full_size = full_size
        self.before = None if before is None else QPixmap.fromImage(before)
        self.after = None
        self._content_changed()

    def set_after(self, image: QImage) -> None:
        self.after = QPixmap.fromImage(image)
        self._content_changed()

    def set_detail(self, frame: DetailFrame) -> None:
        left, top, width, height = frame.region
        self.detail = (QRectF(left, top, width, height), QPixmap.fromImage(frame.image))
        self.update()

    def set_comparing(self, on: bool) -> None:
        self.comparing = on
        self.update()

    def set_busy(self, busy: bool) -> None:
        if busy != self.busy:
            self.busy = busy
            self.update()

    def _content_changed(self) -> None:
        self.detail = None  # it showed the previous look
        self._view_changed()

    # -- geometry -------------------------------------------------------------------------

    def _shown(self) -> QPixmap | None:
        return self.after or self.before

    def scale(self) -> float:
        if self.full_size is None:
            return 1.0
        if self._zoom is None:
            return min(self.width() / self.full_size[0], self.height() / self.full_size[1])
        return self._zoom

    def picture_rect(self) -> QRectF:
        s = self.scale()
        width, height = self.full_size or (1, 1)  # no photo yet: a point in the middle
        w, h = width * s, height * s
        if self._zoom is None:
            return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)
        return QRectF(self.width() / 2 - self._center.x() * w, self.height() / 2 - self._center.y() * h, w, h)

    def visible_region(self) -> tuple[int, int, int, int] | None:
        """The part of the photo on screen, in photo pixels."""
        if self.full_size is None:
            return None
        rect, s = self.picture_rect(), self.scale()
        shown = rect.intersected(QRectF(self.rect()))
        if shown.isEmpty():
            return None
        left, top = int((shown.left() - rect.left()) / s), int((shown.top() - rect.top()) / s)
        return left, top, int(shown.width() / s) + 1, int(shown.height() / s) + 1

    def fit(self) -> None:
        self._zoom = None
        self._view_changed()

    def actual_size(self) -> None:
        """The export's real pixels, the picture's middle in the middle."""
        self.set_zoom(1.0)
        self._center = QPointF(0.5, 0.5)
        self._view_changed()

    @property
    def fitting(self) -> bool:
        return self._zoom is None

    def set_zoom(self, zoom: float, anchor: QPointF | None = None) -> None:
        if self.full_size is None:
            return
        rect = self.picture_rect()
        anchor = anchor or QPointF(self.width() / 2, self.height() / 2)
        fx = (anchor.x() - rect.x()) / rect.width()
        fy = (anchor.y() - rect.y()) / rect.height()
        self._zoom = max(0.02, min(zoom, 16.0))
        w, h = self.full_size[0] * self._zoom, self.full_size[1] * self._zoom
        # keep the picture point under the anchor where it was
        self._center = QPointF(fx + (self.width() / 2 - anchor.x()) / w, fy + (self.height() / 2 - anchor.y()) / h)
        self._view_changed()

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.scale() * factor)

    def _view_changed(self) -> None:
        self.update()
        self._detail_timer.start()
        self.zoom_changed.emit(self.scale(), self._zoom is None)

    def _ask_for_detail(self) -> None:
        """Real pixels are wanted where a preview smaller than the photo would be shown enlarged."""
        shown = self._shown()
        resolution = shown.width() / self.full_size[0] if shown is not None and self.full_size else 1.0
        enlarged = resolution < 1.0 and self.scale() > resolution * 1.05
        self.detail_wanted.emit(self.visible_region() if enlarged else None)

    def resizeEvent(self, event):
        self._view_changed()
        super().resizeEvent(event)

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        shown = self._shown()
        if shown is None or self.full_size is None:
            painter.setPen(QColor(200, 200, 200))
            if self.full_size is None:
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                                 "Drop a photo or a clip here, or press Ctrl+O")
            elif self.busy:
                self._paint_busy(painter)
            return
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        rect = self.picture_rect()
        painter.drawPixmap(rect, shown, QRectF(shown.rect()))
        if self.detail is not None and shown is self.after:
            region, pixmap = self.detail
            s = self.scale()
            target = QRectF(rect.x() + region.x() * s, rect.y() + region.y() * s, region.width() * s,
                            region.height() * s)
            painter.drawPixmap(target, pixmap, QRectF(pixmap.rect()))
        if self.comparing and self.before is not None and self.after is not None:
            self._paint_split(painter, rect)
        if self.busy:
            self._paint_busy(painter)

    def _paint_split(self, painter: QPainter, rect: QRectF) -> None:
        assert self.before is not None  # painted only when comparing with both pictures at hand
        split_x = rect.x() + rect.width() * self.split
        painter.save()
        painter.setClipRect(QRectF(rect.x(), rect.y(), split_x - rect.x(), rect.height()))
        painter.drawPixmap(rect, self.before, QRectF(self.before.rect()))
        painter.restore()
        painter.setPen(QPen(QColor(255, 255, 255), 2))
        painter.drawLine(QPointF(split_x, rect.top()), QPointF(split_x, rect.bottom()))
        # the labels stay in sight however far the picture is zoomed or panned
        shown = rect.intersected(QRectF(self.rect()))
        top = shown.top() + 8
        self._paint_label(painter, "before", QPointF(min(shown.left() + 8, split_x - 64), top))
        self._paint_label(painter, "after", QPointF(max(split_x, shown.left()) + 8, top))

    def _paint_label(self, painter: QPainter, text: str, at: QPointF) -> None:
        width = painter.fontMetrics().horizontalAdvance(text) + 14
        pill = QRectF(at.x(), at.y(), width, 20)
        path = QPainterPath()
        path.addRoundedRect(pill, 10, 10)
        painter.fillPath(path, QColor(0, 0, 0, 150))
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_busy(self, painter: QPainter) -> None:
        """A quiet sign in the corner that a new preview is being painted."""
        text = "Painting the preview…"
        width = painter.fontMetrics().horizontalAdvance(text) + 24
        pill = QRectF(self.width() - width - 12, 12, width, 26)
        path = QPainterPath()
        path.addRoundedRect(pill, 13, 13)
        painter.fillPath(path, QColor(0, 0, 0, 160))
        painter.setPen(QColor(235, 235, 235))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    # -- mouse and drops ------------------------------------------------------------------

    def _near_split(self, x: float) -> bool:
        if not (self.comparing and self._shown() and self.full_size):
            return False
        rect = self.picture_rect()
        return abs(x - (rect.x() + rect.width() * self.split)) <= SPLIT_GRAB_PX

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.LeftButton:
            self.begin_drag(event.position())

    def begin_drag(self, position: QPointF) -> None:
        """A drag from ``position`` moves the compare line when it starts on it, else pans."""
        self._dragging_split = self._near_split(position.x())
        self._drag_start = (position, QPointF(self._center))

    def mouseMoveEvent(self, event):
        position = event.position()
        self.setCursor(Qt.CursorShape.SplitHCursor if self._near_split(position.x()) else Qt.CursorShape.ArrowCursor)
        if self._drag_start is None or self._shown() is None or self.full_size is None:
            return
        rect = self.picture_rect()
        if self._dragging_split:
            self.split = min(1.0, max(0.0, (position.x() - rect.x()) / rect.width()))
            self.update()
        elif self._zoom is not None:
            start, center = self._drag_start
            delta = position - start
            self._center = QPointF(center.x() - delta.x() / rect.width(), center.y() - delta.y() / rect.height())
            self._view_changed()

    def mouseReleaseEvent(self, event):
        self._drag_start = None
        self._dragging_split = False

    def wheelEvent(self, event):
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.set_zoom(self.scale() * factor, event.position())

    def dragEnterEvent(self, event):
        accept_files(event)

    def dropEvent(self, event):
        if accept_files(event):
            self.paths_dropped.emit(dropped_paths(event.mimeData()))
