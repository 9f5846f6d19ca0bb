"""The sliders and switches that shape a render, and the weights of a blend."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSlider,
    QWidget,
)

from desktop.studio import StyleKey
from engine import DEFAULT_RENDER_SETTINGS, STROKE_RANGE, RenderSettings

from .export_size import ExportSize
from .number_slider import NumberSlider, Scale

_LOW, _HIGH = STROKE_RANGE
STROKE_HELP = ("How big the brush strokes are, whatever the size of the photo: 1× paints them as the style\n"
               "was made to look; 2× twice as broad, 0.5× finer.")
NATIVE_HELP = ("Paint at the photo's own resolution: on a large photo the strokes become tiny and read as\n"
               "texture; on a small one they stay bold. Slower on large photos.")
STRENGTH_HELP = ("How much of the style is laid over the photo.\n"
                 "With \"Palette only\", how far the photo's colours move to the painting's palette.")
BLEND_NAME_WIDTH = 130  # px: a long name is cut (its tooltip has it), the weight keeps its room
BLEND_HINT = "Ctrl-click two or more styles in the gallery to blend them: their weights are set here."
COLOUR_MODES = (  # (setting, what the menu says, what its tooltip says)
    ("painting", "The painting's colours", "The picture takes the style's colours and its brushwork."),
    ("photo", "The photo's colours", "The style's brushwork and light, in the photo's own colours."),
    ("palette", "Palette only (no strokes)",
     "The photo itself, recoloured with the style's palette: no brushwork. Strength sets how far."),
)


STRENGTH_SCALE = Scale(0, 100)  # percent
STROKE_SCALE = Scale(_LOW, _HIGH, 100, "log")
WEIGHT_SCALE = Scale(0, 100)


def position_to_stroke(position: int) -> float:
    """The stroke size a position of the slider stands for (as the panel rounds it)."""
    return round(STROKE_SCALE.to_number(position), 2)


def _beside(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if index == 0 else 0)
    return row


class ControlsPanel(QGroupBox):
    """Emits ``edited(settings, final)``: ``final`` is False while a slider is being dragged."""

    edited = Signal(object, bool)

    def __init__(self, parent=None):
        super().__init__("", parent)  # the dock around it says "Look"
        self.setFlat(True)
        self.strength_input = NumberSlider(STRENGTH_SCALE, DEFAULT_RENDER_SETTINGS.strength * 100, suffix=" %")
        self.stroke_input = NumberSlider(STROKE_SCALE, 1.0, decimals=2, suffix=" ×", step=0.05)
        self.strength, self.stroke = self.strength_input.slider, self.stroke_input.slider  # the keyboard's way in
        self.native = QCheckBox("Native")
        self.stroke_input.setToolTip(STROKE_HELP)
        self.native.setToolTip(NATIVE_HELP)
        self.strength_input.setToolTip(STRENGTH_HELP)
        self.colour = QComboBox()
        for index, (mode, text, help_text) in enumerate(COLOUR_MODES):
            self.colour.addItem(text, mode)
            self.colour.setItemData(index, help_text, Qt.ItemDataRole.ToolTipRole)
        self.colour.setToolTip("Whose colours the picture has. " + STRENGTH_HELP.splitlines()[1])
        self.output_size = ExportSize()
        self.high_quality = QCheckBox("High quality")
        self.high_quality.setToolTip("Export with an optimisation on EfficientNet features: richer strokes and\n"
                                     "colours; seconds on a GPU, about a minute on a CPU. The preview stays fast.")
        form = QFormLayout(self)
        form.addRow("Strength", self.strength_input)
        form.addRow("Stroke size", _beside(self.stroke_input, self.native))
        form.addRow("Colours", self.colour)
        form.addRow("Export size", self.output_size)  # High quality sits by the Export button
        self._settings = None
        self.show_settings(RenderSettings())
        for number in (self.strength_input, self.stroke_input):
            number.edited.connect(lambda final: self._changed(final))
        self.native.toggled.connect(lambda _c: self._changed(final=True))
        self.colour.currentIndexChanged.connect(lambda _i: self._changed(final=True))
        self.high_quality.toggled.connect(lambda _c: self._changed(final=True))
        self.output_size.edited.connect(lambda: self._changed(final=True))

    def show_settings(self, settings: RenderSettings) -> None:
        """Show ``settings`` without emitting ``edited`` (undo/redo, restoring). What the panel sent
        itself is already shown: it is not written back into the slider being dragged."""
        if settings == self._settings:
            return
        self._settings = settings
        widgets = (self.native, self.colour, self.high_quality)
        for widget in widgets:
            widget.blockSignals(True)
        self.strength_input.show_value(settings.strength * 100)
        self.native.setChecked(settings.stroke is None)
        self.stroke_input.setEnabled(settings.stroke is not None)
        if settings.stroke is not None:
            self.stroke_input.show_value(settings.stroke)
        self.colour.setCurrentIndex(self.colour.findData(settings.colour))
        self.output_size.show_long_side(settings.output_long_side)
        self.high_quality.setChecked(settings.quality == "high")
        for widget in widgets:
            widget.blockSignals(False)

    def _changed(self, final: bool) -> None:
        self.stroke_input.setEnabled(not self.native.isChecked())
        new = self._settings.with_changes(
            strength=round(self.strength_input.value() / 100, 4),
            stroke=None if self.native.isChecked() else self.stroke_input.value(),
            colour=self.colour.currentData(),
            output_long_side=self.output_size.long_side(),
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
        self._layout = QGridLayout(self)
        self._layout.setColumnStretch(1, 1)
        self._inputs: dict[StyleKey, NumberSlider] = {}
        self._sliders: dict[StyleKey, QSlider] = {}  # each input's slider
        self._shown: list[tuple[StyleKey, str]] = []
        self.builds = 0  # how often the sliders were made anew (a drag must not rebuild them)
        self._build([])

    def show_blend(self, items: list[tuple[StyleKey, str, float]]) -> None:
        """(key, label, weight 0..1) for each selected style. The same styles keep their sliders:
        only a weight that differs from what a slider shows is set (undo, redo)."""
        if [(key, label) for key, label, _ in items] != self._shown:
            self._build(items)
        for key, _, weight in items:
            if key in self._inputs and self._inputs[key].value() != round(weight * 100):
                self._inputs[key].show_value(weight * 100)

    def _build(self, items) -> None:
        self.builds += 1
        while self._layout.count():
            self._layout.takeAt(0).widget().deleteLater()
        self._inputs, self._sliders = {}, {}
        self._shown = [(key, label) for key, label, _ in items]
        if len(items) < 2:
            items = []  # one style: nothing to weigh
        for key, label, weight in items:
            number = NumberSlider(WEIGHT_SCALE, 100 / len(items))
            number.show_value(weight * 100)
            number.setToolTip(f"How much of {label} is in the blend")
            number.edited.connect(self._emit)
            name = QLabel(self.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, BLEND_NAME_WIDTH))
            name.setToolTip(label)
            name.setFixedWidth(BLEND_NAME_WIDTH)
            row = self._layout.rowCount()
            self._layout.addWidget(name, row, 0)
            self._layout.addWidget(number, row, 1)
            self._inputs[key], self._sliders[key] = number, number.slider
        if len(items) < 2:
            hint = QLabel(BLEND_HINT)
            hint.setWordWrap(True)
            self._layout.addWidget(hint, 0, 0, 1, 2)

    def _emit(self, final: bool) -> None:
        self.weights_edited.emit({key: n.value() / 100 for key, n in self._inputs.items()}, final)
