"""The Regions panel beside the preview: the brush (its style, size, softness, or the eraser),
the regions with their tints (click one to paint it again, untick to hide its overlay), invert,
clear, and how regions meet (snap to edges, feather)."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.studio import BRUSH_SIZE_RANGE, PHOTO_STYLE, Brush, Regions, RegionTool
from engine import PHOTO, RenderSettings, default_region_strength

from .controls import labelled_slider
from .region_canvas import tint

KEY_ROLE = Qt.ItemDataRole.UserRole
FEATHER_MAX = 500  # photo pixels, the engine's limit
STRENGTH_HELP = ("How much of the style to keep in the brush's region: 0% is the photo itself.\n"
                 "For \"Paint the photo back\", how much of the style beneath shows through.")
HINT = ("Pick a style in the gallery, then paint where it goes on the preview. Unpainted parts keep "
        "the style chosen outside Regions. The middle button pans; the [ and ] keys size the brush.")


def size_to_position(size: float) -> int:
    low, high = BRUSH_SIZE_RANGE
    return round(1000 * math.log(size / low) / math.log(high / low))


def position_to_size(position: int) -> float:
    low, high = BRUSH_SIZE_RANGE
    return round(low * (high / low) ** (position / 1000))


def feather_to_position(pixels: float) -> int:
    return round(100 * math.sqrt(pixels / FEATHER_MAX))  # fine steps where feathers are usually set


def position_to_feather(position: int) -> float:
    return float(round(FEATHER_MAX * (position / 100) ** 2))


def swatch(colour: QColor) -> QIcon:
    pixmap = QPixmap(14, 14)
    pixmap.fill(colour)
    return QIcon(pixmap)


class RegionPanel(QWidget):
    style_picked = Signal(object)  # StyleKey: a region of the list, or the photo itself
    brush_edited = Signal(object)  # Brush
    invert_requested = Signal()
    clear_requested = Signal()
    clear_all_requested = Signal()
    hidden_changed = Signal(object)  # frozenset of the StyleKeys whose overlay is hidden
    overlay_toggled = Signal(bool)
    snap_toggled = Signal(bool)
    feather_edited = Signal(float, bool)  # photo pixels, final
    strength_edited = Signal(object, float, bool)  # StyleKey, strength 0..1, final

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFixedWidth(250)
        self._tool = RegionTool()
        self._shown: list = []  # (style, name) of each region listed
        self._regions = Regions()
        self._build()
        self._connect()
        self.show_tool(RegionTool(), "")
        self.show_settings(RenderSettings())

    def _build(self) -> None:
        hint = QLabel(HINT)
        hint.setWordWrap(True)
        self.brush_label = QLabel()
        self.brush_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for widget in (QLabel("<b>Regions</b>"), hint, self.brush_label):
            layout.addWidget(widget)
        self._build_brush(layout)
        self.region_list = QListWidget()
        self.region_list.setToolTip("Click a region to paint it again; untick it to hide its tint")
        self.clear_all_button = QPushButton("Clear all")
        self.overlay = QCheckBox("Show the regions' tints (O)")
        self.overlay.setChecked(True)
        self.snap = QCheckBox("Snap to edges")
        self.snap.setToolTip("Each region follows the photo's edges near its border: a rough stroke keeps to the sky line")
        self.feather, self._feather_label, feather_row = labelled_slider(100)
        self.feather.setToolTip("Soften where regions meet, in photo pixels")
        self.strength, self._strength_label, strength_row = labelled_slider(100)
        self.strength.setToolTip(STRENGTH_HELP)
        self._strength_label.setToolTip(STRENGTH_HELP)
        meet = QFormLayout()
        meet.addRow("Region strength", strength_row)
        meet.addRow("Feather", feather_row)
        for control in (self.region_list, self.clear_all_button, self.overlay, self.snap):
            layout.addWidget(control, 1 if control is self.region_list else 0)
        layout.addLayout(meet)

    def _build_brush(self, layout: QVBoxLayout) -> None:
        self.paint_button, self.erase_button = QPushButton("Brush (B)"), QPushButton("Eraser (E)")
        self._modes = QButtonGroup(self)
        for button in (self.paint_button, self.erase_button):
            button.setCheckable(True)
            self._modes.addButton(button)
        self.invert_button, self.clear_button = QPushButton("Invert"), QPushButton("Clear")
        self.invert_button.setToolTip("The brush's style everywhere it is not, and nowhere it is")
        self.clear_button.setToolTip("Take away the brush's region")
        grid = QGridLayout()
        for index, button in enumerate((self.paint_button, self.erase_button, self.invert_button, self.clear_button)):
            grid.addWidget(button, index // 2, index % 2)
        self.brush_size, self._size_label, size_row = labelled_slider(1000)
        self.softness, self._softness_label, softness_row = labelled_slider(100)
        form = QFormLayout()
        form.addRow("Size", size_row)
        form.addRow("Softness", softness_row)
        self.photo_button = QPushButton("Paint the photo back")
        self.photo_button.setToolTip("The brush paints the photo itself: your photo's own pixels where it goes")
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(self.photo_button)

    def _connect(self) -> None:
        self.paint_button.clicked.connect(lambda: self._edit_brush(erasing=False))
        self.erase_button.clicked.connect(lambda: self._edit_brush(erasing=True))
        self.brush_size.valueChanged.connect(lambda v: self._edit_brush(size=position_to_size(v)))
        self.softness.valueChanged.connect(lambda v: self._edit_brush(softness=v / 100))
        self.photo_button.clicked.connect(lambda: self.style_picked.emit(PHOTO_STYLE))
        self.region_list.itemClicked.connect(lambda item: self.style_picked.emit(item.data(KEY_ROLE)))
        self.region_list.itemChanged.connect(lambda _item: self.hidden_changed.emit(self.hidden_styles()))
        self.invert_button.clicked.connect(self.invert_requested)
        self.clear_button.clicked.connect(self.clear_requested)
        self.clear_all_button.clicked.connect(self.clear_all_requested)
        self.overlay.toggled.connect(self.overlay_toggled)
        self.snap.toggled.connect(self.snap_toggled)
        self.feather.valueChanged.connect(lambda v: self._feather_edited(v, not self.feather.isSliderDown()))
        self.feather.sliderReleased.connect(lambda: self._feather_edited(self.feather.value(), True))
        self.strength.valueChanged.connect(lambda v: self._strength_edited(v, not self.strength.isSliderDown()))
        self.strength.sliderReleased.connect(lambda: self._strength_edited(self.strength.value(), True))

    # -- showing the studio ---------------------------------------------------------------

    def show_tool(self, tool: RegionTool, style_name: str) -> None:
        self._tool = tool
        brush = tool.brush
        for widget, value in ((self.brush_size, size_to_position(brush.size)), (self.softness, round(brush.softness * 100))):
            if widget.value() != value:
                widget.blockSignals(True)
                widget.setValue(value)
                widget.blockSignals(False)
        self._size_label.setText(f"{brush.size:.0f} px")
        self._softness_label.setText(f"{brush.softness:.0%}")
        (self.erase_button if brush.erasing else self.paint_button).setChecked(True)
        if brush.erasing:
            self.brush_label.setText("The eraser gives pixels back to the style chosen outside Regions.")
        else:
            self.brush_label.setText(f"The brush paints: <b>{style_name}</b>" if tool.style else
                                     "The brush paints: <i>pick a style in the gallery</i>")
        has_style = tool.style is not None
        self.invert_button.setEnabled(has_style)
        self.clear_button.setEnabled(has_style)
        self._show_strength()

    def show_regions(self, regions: Regions, names: list[str]) -> None:
        """The regions, bottom first, each with its tint; the hidden ones stay hidden."""
        self._regions = regions
        self._show_strength()
        shown = [(region.style, name) for region, name in zip(regions.items, names)]
        if shown == self._shown:
            return  # a stroke changed a mask, not the list
        self._shown = shown
        hidden = self.hidden_styles()
        self.region_list.blockSignals(True)
        self.region_list.clear()
        for index, (region, name) in enumerate(zip(regions.items, names)):
            item = QListWidgetItem(swatch(tint(index)), name)
            item.setData(KEY_ROLE, region.style)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if region.style in hidden else Qt.CheckState.Checked)
            self.region_list.addItem(item)
        self.region_list.blockSignals(False)
        self.clear_all_button.setEnabled(bool(shown))

    def show_settings(self, settings: RenderSettings) -> None:
        for widget in (self.snap, self.feather):
            widget.blockSignals(True)
        self.snap.setChecked(settings.snap_to_edges)
        if position_to_feather(self.feather.value()) != settings.feather:  # not what the slider sent itself
            self.feather.setValue(feather_to_position(settings.feather))
        for widget in (self.snap, self.feather):
            widget.blockSignals(False)
        self._feather_label.setText(f"{settings.feather:.0f} px")

    def _show_strength(self) -> None:
        """The strength of the brush's region; disabled until the brush's style has a region."""
        style = self._tool.style
        has_region = style is not None and self._regions.mask_of(style) is not None
        strength = self._regions.strength_of(style) if has_region else None
        if strength is None:
            strength = default_region_strength(PHOTO if style == PHOTO_STYLE else None)
        self.strength.setEnabled(has_region)
        if round(strength * 100) != self.strength.value():
            self.strength.blockSignals(True)
            self.strength.setValue(round(strength * 100))
            self.strength.blockSignals(False)
        self._strength_label.setText(f"{strength:.0%}")

    def hidden_styles(self) -> frozenset:
        items = (self.region_list.item(i) for i in range(self.region_list.count()))
        return frozenset(item.data(KEY_ROLE) for item in items if item.checkState() == Qt.CheckState.Unchecked)

    # -- edits ----------------------------------------------------------------------------

    def _edit_brush(self, **changes) -> None:
        brush = self._tool.brush
        self.brush_edited.emit(Brush(changes.get("size", brush.size), changes.get("softness", brush.softness),
                                     changes.get("erasing", brush.erasing)))

    def _strength_edited(self, position: int, final: bool) -> None:
        self._strength_label.setText(f"{position}%")
        if self._tool.style is not None:
            self.strength_edited.emit(self._tool.style, position / 100, final)

    def _feather_edited(self, position: int, final: bool) -> None:
        pixels = position_to_feather(position)
        self._feather_label.setText(f"{pixels:.0f} px")
        self.feather_edited.emit(pixels, final)
