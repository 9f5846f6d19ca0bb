"""The preview in Regions mode: a tinted overlay per region over the picture, a circle showing
the brush at its size in photo pixels, and strokes sent to the studio as points in photo pixels.
The canvas paints nothing into the masks itself: the studio turns strokes into new regions and
the window shows them here."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen

from desktop.studio import Regions

from .canvas import PreviewCanvas
from .region_overlay import RegionOverlay

TINTS = (QColor(64, 156, 255), QColor(255, 140, 0), QColor(80, 200, 120), QColor(235, 70, 140),
         QColor(170, 110, 255), QColor(240, 220, 60))  # the n-th region's colour, in the panel too


def tint(index: int) -> QColor:
    return TINTS[index % len(TINTS)]


class RegionCanvas(PreviewCanvas):
    stroke_started = Signal(object)  # (x, y) in photo pixels
    stroke_moved = Signal(object)  # (x, y) in photo pixels
    stroke_ended = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.painting = False  # the Regions mode: the left button paints, the middle one pans
        self.overlay_visible = True
        self.hidden_styles: frozenset = frozenset()
        self.brush_size = 60.0  # photo pixels
        self._overlays: dict = {}  # (style, place in the list) -> RegionOverlay
        self._pointer: QPointF | None = None
        self._stroking = False

    # -- what it shows --------------------------------------------------------------------

    def set_painting(self, on: bool) -> None:
        self.painting = on
        self.setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.ArrowCursor)
        self.update()

    def set_brush_size(self, size: float) -> None:
        self.brush_size = size
        self.update()

    def set_overlay_visible(self, on: bool) -> None:
        self.overlay_visible = on
        self.update()

    def set_hidden_styles(self, styles) -> None:
        self.hidden_styles = frozenset(styles)
        self.update()

    def show_regions(self, regions: Regions) -> None:
        kept = {}
        for index, region in enumerate(regions.items):
            overlay = self._overlays.get((region.style, index))
            if overlay is not None and overlay.mask.shape == region.mask.shape:
                overlay.follow(region.mask)
            else:
                overlay = RegionOverlay(region.mask, tint(index))
            kept[region.style, index] = overlay
        self._overlays = kept
        self.update()

    def tinted_styles(self) -> list:
        """The regions' styles, bottom first, each with its tint ready."""
        return [style for style, _ in self._overlays]

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painting or self.full_size is None or self._shown() is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        rect = self.picture_rect()
        if self.overlay_visible:
            for (style, _), overlay in self._overlays.items():
                if style not in self.hidden_styles:
                    painter.drawPixmap(rect, overlay.pixmap, QRectF(overlay.pixmap.rect()))
        if self._pointer is not None:
            self._paint_brush(painter, self._pointer)

    def _paint_brush(self, painter: QPainter, pointer: QPointF) -> None:
        radius = max(1.0, self.brush_size * self.scale() / 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for colour, width in ((QColor(0, 0, 0, 160), 3.0), (QColor(255, 255, 255), 1.2)):
            painter.setPen(QPen(colour, width))
            painter.drawEllipse(pointer, radius, radius)

    # -- the mouse ------------------------------------------------------------------------

    def photo_point(self, position: QPointF) -> tuple[float, float]:
        rect, scale = self.picture_rect(), self.scale()
        return (position.x() - rect.x()) / scale, (position.y() - rect.y()) / scale

    def mousePressEvent(self, event):
        if not self.painting or self.full_size is None:
            return super().mousePressEvent(event)
        if event.button() == Qt.MouseButton.LeftButton:
            self._stroking = True
            self.stroke_started.emit(self.photo_point(event.position()))
        elif event.button() == Qt.MouseButton.MiddleButton:
            self.begin_drag(event.position())

    def mouseMoveEvent(self, event):
        if not self.painting:
            return super().mouseMoveEvent(event)
        self._move_pointer(event.position())
        if self._stroking:
            self.stroke_moved.emit(self.photo_point(event.position()))
        else:
            super().mouseMoveEvent(event)  # a pan with the middle button
            self.setCursor(Qt.CursorShape.CrossCursor)

    def mouseReleaseEvent(self, event):
        if self._stroking and event.button() == Qt.MouseButton.LeftButton:
            self._stroking = False
            self.stroke_ended.emit()
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event):
        self._move_pointer(None)
        super().leaveEvent(event)

    def _move_pointer(self, position: QPointF | None) -> None:
        """Repaint only around the old and the new brush circle."""
        radius = self.brush_size * self.scale() / 2 + 4
        for point in (self._pointer, position):
            if point is not None:
                self.update(QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius).toAlignedRect())
        self._pointer = position
