"""How the gallery draws a style: its thumbnail, and its name on two lines, cut at its end and
never in the middle of a word when a word fits."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

NAME_LINES = 2
FAVOURITE_ROLE = Qt.ItemDataRole.UserRole + 1  # the gallery's: True for a favourite
LEARNED_ROLE = Qt.ItemDataRole.UserRole + 2  # True for a painting whose style was learned


def name_lines(name: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``name`` in at most two lines of ``width`` px: whole words where they fit, the rest of the
    name on the last line, cut at its end with an ellipsis."""
    words, line = name.split(), ""
    lines: list[str] = []
    while words and len(lines) < NAME_LINES - 1:
        candidate = f"{line} {words[0]}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not line:
            line, words = candidate, words[1:]
            if metrics.horizontalAdvance(line) > width:  # one word longer than the cell: cut it here
                lines.append(metrics.elidedText(line, Qt.TextElideMode.ElideRight, width))
                line = ""
        else:
            lines.append(line)
            line = ""
    rest = " ".join([line, *words]).strip() if line or words else ""
    if rest:
        lines.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return lines


class StyleCell(QStyledItemDelegate):
    def __init__(self, icon_size: QSize, parent=None):
        super().__init__(parent)
        self.icon_size = icon_size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        """The cell's panel (hover, focus), the thumbnail centred at its top framed in the accent
        when chosen, and the name under it."""
        name = index.data(Qt.ItemDataRole.DisplayRole) or ""
        panel = QStyleOptionViewItem(option)
        self.initStyleOption(panel, index)
        widget = panel.widget
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        panel.state &= ~QStyle.StateFlag.State_Selected  # the accent goes on the thumbnail and the name
        widget.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, panel, painter, widget)
        rect: QRect = option.rect
        icon_rect = QRect(rect.center().x() - self.icon_size.width() // 2, rect.top() + 4,
                          self.icon_size.width(), self.icon_size.height())
        painter.save()
        if selected:
            painter.fillRect(icon_rect.adjusted(-3, -3, 3, 3), option.palette.highlight())
        panel.icon.paint(painter, icon_rect, Qt.AlignmentFlag.AlignCenter)
        if index.data(FAVOURITE_ROLE):  # a favourite: a star in the thumbnail's corner
            star = QRect(icon_rect.right() - 17, icon_rect.top() + 1, 16, 16)
            painter.fillRect(star, QColor(0, 0, 0, 140))
            painter.setPen(QColor(255, 210, 90))
            painter.drawText(star, Qt.AlignmentFlag.AlignCenter, "★")
        if index.data(LEARNED_ROLE):  # a learned style: a mark in the other corner
            mark = QRect(icon_rect.left() + 1, icon_rect.top() + 1, 16, 16)
            painter.fillRect(mark, QColor(0, 0, 0, 140))
            painter.setPen(QColor(150, 220, 255))
            painter.drawText(mark, Qt.AlignmentFlag.AlignCenter, "✦")
        metrics = option.fontMetrics
        width = rect.width() - 6
        text_top = icon_rect.bottom() + 4
        lines = name_lines(name, metrics, width)
        if selected and lines:  # the name's band in the accent too
            band_width = max(metrics.horizontalAdvance(line) for line in lines) + 8
            band = QRect(rect.center().x() - band_width // 2, text_top - 1, band_width,
                         len(lines) * metrics.lineSpacing() + 2)
            painter.fillRect(band, option.palette.highlight())
        painter.setPen(option.palette.highlightedText().color() if selected else option.palette.text().color())
        for number, line in enumerate(lines):
            line_rect = QRect(rect.left() + 3, text_top + number * metrics.lineSpacing(), width, metrics.lineSpacing())
            painter.drawText(line_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, line)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        view = option.widget
        grid = view.gridSize() if isinstance(view, QListView) else QSize()
        return grid if grid.isValid() else QSize(100, 100)
