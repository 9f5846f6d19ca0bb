"""The Regions panel beside the preview: the brush (its style, size, softness, or the eraser),
the regions with their tints (click one to paint it again, untick to hide its overlay), invert,
clear, and how regions meet (snap to edges, feather)."""

from __future__ import annotations

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

from .number_slider import NumberSlider, Scale
from .region_canvas import tint

KEY_ROLE = Qt.ItemDataRole.UserRole
FEATHER_MAX = 500  # photo pixels, the engine's limit
STRENGTH_HELP = ("How much of the style to keep in the brush's region: 0% is the photo itself.\n"
                 "For \"Paint the photo back\", how much of the style beneath shows through.")
HINT = ("Pick a style in the gallery, then paint where it goes on the preview. Unpainted parts keep "
        "the style chosen outside Regions. The middle button pans; the [ and ] keys size the brush.")


BRUSH_SCALE = Scale(*BRUSH_SIZE_RANGE, 1000, "log")
FEATHER_SCALE = Scale(0, FEATHER_MAX, 100, "square")  # fine steps where feathers are usually set
PERCENT_SCALE = Scale(0, 100)


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
    mode_toggled = Signal(bool)  # the Regions mode, on or off
    snap_toggled = Signal(bool)
    feather_edited = Signal(float, bool)  # photo pixels, final
    strength_edited = Signal(object, float, bool)  # StyleKey, strength 0..1, final

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumWidth(230)
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
        self.mode_button = QPushButton("Paint regions (R)")
        self.mode_button.setCheckable(True)
        self.mode_button.setToolTip("Paint where each style goes; press again (or R) to leave")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(self.mode_button)
        self._body = QWidget()  # the brush and the regions: usable while painting regions
        outer.addWidget(self._body, 1)
        layout = QVBoxLayout(self._body)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (hint, self.brush_label):
            layout.addWidget(widget)
        self._build_brush(layout)
        self.region_list = QListWidget()
        self.region_list.setToolTip("Click a region to paint it again; untick it to hide its tint")
        self.clear_all_button = QPushButton("Clear all")
        self.overlay = QCheckBox("Show the regions' tints (O)")
        self.overlay.setChecked(True)
        self.snap = QCheckBox("Snap to edges")
        self.snap.setToolTip("Each region follows the photo's edges near its border: a rough stroke keeps to the sky line")
        self.feather_input = NumberSlider(FEATHER_SCALE, RenderSettings().feather, suffix=" px")
        self.feather_input.setToolTip("Soften where regions meet, in photo pixels")
        self.strength_input = NumberSlider(PERCENT_SCALE, self._default_strength, suffix=" %")
        self.strength_input.setToolTip(STRENGTH_HELP)
        self.feather, self.strength = self.feather_input.slider, self.strength_input.slider
        meet = QFormLayout()
        meet.addRow("Region strength", self.strength_input)
        meet.addRow("Feather", self.feather_input)
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
        self.brush_size_input = NumberSlider(BRUSH_SCALE, Brush().size, suffix=" px")
        self.brush_size_input.setToolTip("The brush's diameter, in photo pixels ([ and ] size it)")
        self.softness_input = NumberSlider(PERCENT_SCALE, Brush().softness * 100, suffix=" %")
        self.softness_input.setToolTip("0%: a hard edge; 100%: fades all the way from the centre")
        self.brush_size, self.softness = self.brush_size_input.slider, self.softness_input.slider
        form = QFormLayout()
        form.addRow("Size", self.brush_size_input)
        form.addRow("Softness", self.softness_input)
        self.photo_button = QPushButton("Paint the photo back")
        self.photo_button.setToolTip("The brush paints the photo itself: your photo's own pixels where it goes")
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addWidget(self.photo_button)

    def _connect(self) -> None:
        self.mode_button.toggled.connect(self.mode_toggled)
        self.paint_button.clicked.connect(lambda: self._edit_brush(erasing=False))
        self.erase_button.clicked.connect(lambda: self._edit_brush(erasing=True))
        self.brush_size_input.edited.connect(lambda _final: self._edit_brush(size=self.brush_size_input.value()))
        self.softness_input.edited.connect(lambda _final: self._edit_brush(softness=self.softness_input.value() / 100))
        self.photo_button.clicked.connect(lambda: self.style_picked.emit(PHOTO_STYLE))
        self.region_list.itemClicked.connect(lambda item: self.style_picked.emit(item.data(KEY_ROLE)))
        self.region_list.itemChanged.connect(lambda _item: self.hidden_changed.emit(self.hidden_styles()))
        self.invert_button.clicked.connect(self.invert_requested)
        self.clear_button.clicked.connect(self.clear_requested)
        self.clear_all_button.clicked.connect(self.clear_all_requested)
        self.overlay.toggled.connect(self.overlay_toggled)
        self.snap.toggled.connect(self.snap_toggled)
        self.feather_input.edited.connect(lambda final: self.feather_edited.emit(self.feather_input.value(), final))
        self.strength_input.edited.connect(self._strength_edited)

    # -- showing the studio ---------------------------------------------------------------

    def show_tool(self, tool: RegionTool, style_name: str) -> None:
        self._tool = tool
        brush = tool.brush
        self.mode_button.blockSignals(True)
        self.mode_button.setChecked(tool.on)
        self.mode_button.blockSignals(False)
        self._body.setEnabled(tool.on)
        if round(brush.size) != self.brush_size_input.value():  # not what the panel sent itself
            self.brush_size_input.show_value(brush.size)
        if round(brush.softness * 100) != self.softness_input.value():
            self.softness_input.show_value(brush.softness * 100)
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
        self.snap.blockSignals(True)
        self.snap.setChecked(settings.snap_to_edges)
        self.snap.blockSignals(False)
        if self.feather_input.value() != round(settings.feather):  # not what the panel sent itself
            self.feather_input.show_value(settings.feather)

    def _show_strength(self) -> None:
        """The strength of the brush's region; disabled until the brush's style has a region."""
        style = self._tool.style
        has_region = style is not None and self._regions.mask_of(style) is not None
        strength = self._regions.strength_of(style) if has_region else None
        if strength is None:
            strength = self._default_strength() / 100
        self.strength_input.setEnabled(has_region)
        if round(strength * 100) != self.strength_input.value():
            self.strength_input.show_value(strength * 100)

    def _default_strength(self) -> float:
        """In percent: the brush's region's strength until the artist sets one."""
        return 100 * default_region_strength(PHOTO if self._tool.style == PHOTO_STYLE else None)

    def hidden_styles(self) -> frozenset:
        items = (self.region_list.item(i) for i in range(self.region_list.count()))
        return frozenset(item.data(KEY_ROLE) for item in items if item.checkState() == Qt.CheckState.Unchecked)

    # -- edits ----------------------------------------------------------------------------

    def _edit_brush(self, **changes) -> None:
        brush = self._tool.brush
        self.brush_edited.emit(Brush(changes.get("size", brush.size), changes.get("softness", brush.softness),
                                     changes.get("erasing", brush.erasing)))

    def _strength_edited(self, final: bool) -> None:
        if self._tool.style is not None:
            self.strength_edited.emit(self._tool.style, self.strength_input.value() / 100, final)
