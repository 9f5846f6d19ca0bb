"""A slider paired with a box to type its number in: one value, two ways to set it.

Dragging the slider fills the box; typing a number (Enter), the box's arrows or its wheel move
the slider to it, and the value is the number typed, not the nearest slider step. A double-click
on the slider puts back the default. ``edited(final)``: ``final`` is False while the slider is
dragged, so a drag is one undo step.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QHBoxLayout, QSlider, QWidget


@dataclass(frozen=True)
class Scale:
    """How slider positions (0..positions) map to numbers in [low, high]."""

    low: float
    high: float
    positions: int = 100
    shape: str = "linear"  # "log": equal steps are equal ratios; "square": fine steps near low

    def to_number(self, position: int) -> float:
        t = position / self.positions
        if self.shape == "log":
            return self.low * (self.high / self.low) ** t
        if self.shape == "square":
            t = t * t
        return self.low + (self.high - self.low) * t

    def to_position(self, number: float) -> int:
        number = min(max(number, self.low), self.high)
        if self.shape == "log":
            t = math.log(number / self.low) / math.log(self.high / self.low)
        else:
            t = (number - self.low) / (self.high - self.low)
            if self.shape == "square":
                t = math.sqrt(t)
        return round(t * self.positions)


class NumberSlider(QWidget):
    edited = Signal(bool)  # final

    def __init__(self, scale: Scale, default: float | Callable[[], float], decimals: int = 0, suffix: str = "",
                 step: float = 1.0, parent=None):
        super().__init__(parent)
        self._scale, self._default, self._decimals = scale, default, decimals
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, scale.positions)
        self.slider.setToolTip("Double-click for the default")
        self.box = QDoubleSpinBox()
        self.box.setRange(scale.low, scale.high)
        self.box.setDecimals(decimals)
        self.box.setSingleStep(step)
        self.box.setSuffix(suffix)
        self.box.setKeyboardTracking(False)  # a number counts once typed (Enter, or leaving the box)
        self.box.setAccelerated(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.box)
        self._value = scale.low
        self.slider.valueChanged.connect(self._slid)
        self.slider.sliderReleased.connect(lambda: self.edited.emit(True))
        self.box.valueChanged.connect(self._typed)
        self.slider.installEventFilter(self)

    def value(self) -> float:
        return self._value

    def show_value(self, value: float) -> None:
        """Show ``value`` without emitting ``edited`` (undo, redo, what another control set)."""
        self._set(min(max(value, self._scale.low), self._scale.high))

    def setToolTip(self, text: str) -> None:
        super().setToolTip(text)
        self.box.setToolTip(text)
        self.slider.setToolTip(f"{text}\nDouble-click for the default")

    def _slid(self, position: int) -> None:
        self._set(self._scale.to_number(position), slider=False)
        self.edited.emit(not self.slider.isSliderDown())

    def _typed(self, value: float) -> None:
        self._set(value, box=False)
        self.edited.emit(True)

    def _set(self, value: float, slider: bool = True, box: bool = True) -> None:
        self._value = round(value, self._decimals)
        if slider:
            self.slider.blockSignals(True)
            self.slider.setValue(self._scale.to_position(self._value))
            self.slider.blockSignals(False)
        if box:
            self.box.blockSignals(True)
            self.box.setValue(self._value)
            self.box.blockSignals(False)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.slider and event.type() == QEvent.Type.MouseButtonDblClick and self.isEnabled():
            default = self._default() if callable(self._default) else self._default
            self._set(default)
            self.edited.emit(True)
            return True
        return super().eventFilter(watched, event)
