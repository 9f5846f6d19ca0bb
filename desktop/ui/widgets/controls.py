"""The sliders and switches that shape a render, and the weights of a blend."""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.studio import StyleKey
from engine import STROKE_RANGE, RenderSettings

_LOW, _HIGH = STROKE_RANGE
STROKE_HELP = ("How big the brush strokes are, whatever the size of the photo: 1× paints them as the style\n"
               "was made to look; 2× twice as broad, 0.5× finer.")
NATIVE_HELP = ("Paint at the photo's own resolution: on a large photo the strokes become tiny and read as\n"
               "texture; on a small one they stay bold. Slower on large photos.")
STRENGTH_HELP = ("How much of the style is laid over the photo.\n"
                 "With \"Palette only\", how far the photo's colours move to the painting's palette.")
COLOUR_MODES = (  # (setting, what the menu says, what its tooltip says)
    ("painting", "The painting's colours", "The picture takes the style's colours and its brushwork."),
    ("photo", "The photo's colours", "The style's brushwork and light, in the photo's own colours."),
    ("palette", "Palette only (no strokes)",
     "The photo itself, recoloured with the style's palette: no brushwork. Strength sets how far."),
)


def stroke_to_position(stroke: float) -> int:
    return round(100 * math.log(stroke / _LOW) / math.log(_HIGH / _LOW))


def position_to_stroke(position: int) -> float:
    return round(_LOW * (_HIGH / _LOW) ** (position / 100), 3)


def labelled_slider(maximum: int) -> tuple[QSlider, QLabel, QWidget]:
    slider = QSlider(Qt.Orientation.Horizontal)
    slider.setRange(0, maximum)
    value = QLabel()
    value.setMinimumWidth(44)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(slider, 1)
    layout.addWidget(value)
    return slider, value, row


class ControlsPanel(QGroupBox):
    """Emits ``edited(settings, final)``: ``final`` is False while a slider is being dragged."""

    edited = Signal(object, bool)

    def __init__(self, parent=None):
        super().__init__("Look", parent)
        self.strength, self._strength_label, strength_row = labelled_slider(100)
        self.stroke, self._stroke_label, stroke_row = labelled_slider(100)
        self.native = QCheckBox("Full-resolution strokes (native)")
        self.stroke.setToolTip(STROKE_HELP)
        self.native.setToolTip(NATIVE_HELP)
        self.strength.setToolTip(STRENGTH_HELP)
        self.colour = QComboBox()
        for index, (mode, text, help_text) in enumerate(COLOUR_MODES):
            self.colour.addItem(text, mode)
            self.colour.setItemData(index, help_text, Qt.ItemDataRole.ToolTipRole)
        self.colour.setToolTip("Whose colours the picture has. " + STRENGTH_HELP.splitlines()[1])
        self.output_size = QSpinBox()
        self.output_size.setRange(0, 30000)
        self.output_size.setSingleStep(256)
        self.output_size.setSpecialValueText("original size")
        self.output_size.setSuffix(" px")
        self.output_size.setToolTip("Long side of the exported picture")
        self.high_quality = QCheckBox("High quality export (slower)")
        self.high_quality.setToolTip("Export with an optimisation on EfficientNet features: richer strokes and\n"
                                     "colours; seconds on a GPU, about a minute on a CPU. The preview stays fast.")
        form = QFormLayout(self)
        form.addRow("Strength", strength_row)
        form.addRow("Stroke size", stroke_row)
        form.addRow("", self.native)
        form.addRow("Colours", self.colour)
        form.addRow("Export size", self.output_size)
        form.addRow("", self.high_quality)
        self._settings = None
        self.show_settings(RenderSettings())
        for slider in (self.strength, self.stroke):
            slider.valueChanged.connect(lambda _v, s=slider: self._changed(final=not s.isSliderDown()))
            slider.sliderReleased.connect(lambda: self._changed(final=True))
        self.native.toggled.connect(lambda _c: self._changed(final=True))
        self.colour.currentIndexChanged.connect(lambda _i: self._changed(final=True))
        self.high_quality.toggled.connect(lambda _c: self._changed(final=True))
        self.output_size.editingFinished.connect(lambda: self._changed(final=True))

    def show_settings(self, settings: RenderSettings) -> None:
        """Show ``settings`` without emitting ``edited`` (undo/redo, restoring). What the panel sent
        itself is already shown: it is not written back into the slider being dragged."""
        if settings == self._settings:
            return
        self._settings = settings
        widgets = (self.strength, self.stroke, self.native, self.colour, self.output_size, self.high_quality)
        for widget in widgets:
            widget.blockSignals(True)
        self.strength.setValue(round(settings.strength * 100))
        self.native.setChecked(settings.stroke is None)
        self.stroke.setEnabled(settings.stroke is not None)
        if settings.stroke is not None:
            self.stroke.setValue(stroke_to_position(settings.stroke))
        self.colour.setCurrentIndex(self.colour.findData(settings.colour))
        self.output_size.setValue(settings.output_long_side or 0)
        self.high_quality.setChecked(settings.quality == "high")
        for widget in widgets:
            widget.blockSignals(False)
        self._update_labels()

    def _update_labels(self) -> None:
        self._strength_label.setText(f"{self.strength.value()}%")
        self._stroke_label.setText("native" if self.native.isChecked() else
                                   f"{position_to_stroke(self.stroke.value()):.2g}×")

    def _changed(self, final: bool) -> None:
        self.stroke.setEnabled(not self.native.isChecked())
        self._update_labels()
        new = self._settings.with_changes(
            strength=self.strength.value() / 100,
            stroke=None if self.native.isChecked() else position_to_stroke(self.stroke.value()),
            colour=self.colour.currentData(),
            output_long_side=self.output_size.value() or None,
            quality="high" if self.high_quality.isChecked() else "fast",
        )
        if new != self._settings or final:
            self._settings = new
            self.edited.emit(new, final)


class BlendPanel(QGroupBox):
    """One weight slider per selected style, shown when two or more are selected. Emits
    ``weights_edited({StyleKey: weight}, final)``: typed, through ``Signal(object, bool)`` (a
    ``Signal(dict)`` keyed by tuples reaches the slot empty)."""

    weights_edited = Signal(object, bool)

    def __init__(self, parent=None):
        super().__init__("Blend", parent)
        self._layout = QVBoxLayout(self)
        self._sliders: dict[StyleKey, QSlider] = {}
        self._labels: dict[StyleKey, QLabel] = {}
        self._shown: list[tuple[StyleKey, str]] = []
        self.builds = 0  # how often the sliders were made anew (a drag must not rebuild them)
        self.setVisible(False)

    def show_blend(self, items: list[tuple[StyleKey, str, float]]) -> None:
        """(key, label, weight 0..1) for each selected style. The same styles keep their sliders:
        only a weight that differs from what a slider shows is set (undo, redo)."""
        if [(key, label) for key, label, _ in items] != self._shown:
            self._build(items)
        for key, _, weight in items:
            slider = self._sliders[key]
            if slider.value() != round(weight * 100):
                slider.blockSignals(True)
                slider.setValue(round(weight * 100))
                slider.blockSignals(False)
                self._labels[key].setText(str(slider.value()))

    def _build(self, items) -> None:
        self.builds += 1
        while self._layout.count():
            self._layout.takeAt(0).widget().deleteLater()
        self._sliders, self._labels = {}, {}
        self._shown = [(key, label) for key, label, _ in items]
        for key, label, weight in items:
            slider, value, row = labelled_slider(100)
            slider.setValue(round(weight * 100))
            value.setText(f"{slider.value()}")
            slider.valueChanged.connect(functools.partial(self._moved, value, slider))
            slider.sliderReleased.connect(lambda: self._emit(True))
            self._layout.addWidget(QLabel(label))
            self._layout.addWidget(row)
            self._sliders[key], self._labels[key] = slider, value
        self.setVisible(len(items) > 1)

    def _moved(self, label: QLabel, slider: QSlider, value: int) -> None:
        label.setText(str(value))
        self._emit(not slider.isSliderDown())

    def _emit(self, final: bool) -> None:
        self.weights_edited.emit({key: s.value() / 100 for key, s in self._sliders.items()}, final)
