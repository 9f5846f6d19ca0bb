"""The exported picture's size as an artist thinks of it: the original, a long side in pixels, a
percentage of the photo, or centimetres or inches at a print resolution; the result in pixels
is shown beside it. The studio keeps one number, the long side in pixels (or none: the original)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from engine import output_size

UNITS = (("original", "Original size"), ("px", "px"), ("%", "%"), ("cm", "cm"), ("in", "in"))
CM_PER_INCH = 2.54
MAX_SIDE = 30000  # px, as the engine allows


class ExportSize(QWidget):
    edited = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._photo_size: tuple[int, int] | None = None
        self._long_side: int | None = None
        self.unit = QComboBox()
        for unit, text in UNITS:
            self.unit.addItem(text, unit)
        self.unit.setToolTip("How the export's long side is given: pixels, a percentage of the photo, or a print "
                             "size at the resolution beside it")
        self.amount = QDoubleSpinBox()
        self.amount.setKeyboardTracking(False)
        self.dpi = QSpinBox()
        self.dpi.setRange(30, 2400)
        self.dpi.setValue(300)
        self.dpi.setSuffix(" dpi")
        self.dpi.setKeyboardTracking(False)
        self.dpi.setToolTip("The print's resolution: dots per inch")
        self.result = QLabel()
        self.result.setToolTip("The exported picture's size in pixels")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.amount, self.unit, self.dpi, self.result):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.unit.currentIndexChanged.connect(self._unit_chosen)
        self.amount.valueChanged.connect(self._typed)
        self.dpi.valueChanged.connect(self._typed)
        self._show_unit()

    def long_side(self) -> int | None:
        return self._long_side

    def show_long_side(self, long_side: int | None) -> None:
        """What the studio holds (undo, a session): shown in the unit chosen, without ``edited``."""
        self._long_side = long_side
        if long_side is None:
            self._quietly(self.unit, "original")
        elif self.unit.currentData() == "original":
            self._quietly(self.unit, "px")
        self._show_unit()

    def set_photo_size(self, size: tuple[int, int] | None) -> None:
        self._photo_size = size
        self._show_unit()

    def _unit_chosen(self, _index: int) -> None:
        if self.unit.currentData() == "original":
            self._long_side = None
        elif self._long_side is None:
            self._long_side = max(self._photo_size) if self._photo_size else 2048
        self._show_unit()
        self.edited.emit()

    def _typed(self, _value) -> None:
        unit, amount, photo_side = self.unit.currentData(), self.amount.value(), self._photo_side()
        pixels = {"px": amount, "%": amount / 100 * photo_side, "cm": amount / CM_PER_INCH * self.dpi.value(),
                  "in": amount * self.dpi.value()}.get(unit)
        self._long_side = None if pixels is None else max(1, min(MAX_SIDE, round(pixels)))
        self._show_result()
        self.edited.emit()

    def _photo_side(self) -> int:
        return max(self._photo_size) if self._photo_size else MAX_SIDE

    def _show_unit(self) -> None:
        """The amount in the unit chosen, its range and steps, and the print resolution where it counts."""
        unit, side = self.unit.currentData(), self._long_side
        self.amount.setVisible(unit != "original")
        self.dpi.setVisible(unit in ("cm", "in"))
        ranges = {"px": (1, MAX_SIDE, 0, 256, " px"), "%": (1, 1000, 0, 10, " %"),
                  "cm": (0.1, MAX_SIDE / self.dpi.value() * CM_PER_INCH, 1, 1, " cm"),
                  "in": (0.1, MAX_SIDE / self.dpi.value(), 2, 0.5, " in")}
        if unit in ranges and side is not None:
            low, high, decimals, step, suffix = ranges[unit]
            value = {"px": side, "%": 100 * side / self._photo_side(), "cm": side / self.dpi.value() * CM_PER_INCH,
                     "in": side / self.dpi.value()}[unit]
            self.amount.blockSignals(True)
            self.amount.setDecimals(decimals)
            self.amount.setRange(low, high)
            self.amount.setSingleStep(step)
            self.amount.setSuffix(suffix)
            self.amount.setValue(value)
            self.amount.blockSignals(False)
        self._show_result()

    def _show_result(self) -> None:
        if self._photo_size is None:
            self.result.setText("")
            return
        width, height = output_size(self._photo_size, self._long_side)
        self.result.setText(f"= {width} × {height} px")

    @staticmethod
    def _quietly(box: QComboBox, unit: str) -> None:
        box.blockSignals(True)
        box.setCurrentIndex(box.findData(unit))
        box.blockSignals(False)
