"""The contents of two docks: Styles (a search, favourites, the thumbnails' size and the
gallery) and Look (the blend's weights, the look's controls, Compare and Export)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .controls import BlendPanel, ControlsPanel
from .gallery import Gallery

BLEND_HEIGHT = 88  # the blend's weights scroll in this: the docks around them never move


class StylesPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.gallery = Gallery()
        self.gallery.setToolTip("Click a style to use it; Ctrl-click several to blend them. Drop paintings here "
                                "to keep them; right-click one to rename, move or remove it. Ctrl+wheel: size")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a style by name")
        self.search.setClearButtonEnabled(True)
        self.search.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # never takes the keys the single-letter shortcuts use
        self.search.textChanged.connect(self.gallery.show_matching)
        self.favourites_only = QToolButton()
        self.favourites_only.setText("★")
        self.favourites_only.setCheckable(True)
        self.favourites_only.setToolTip("Show only your favourites (right-click a style to add it)")
        self.favourites_only.toggled.connect(lambda on: self.gallery.show_matching(favourites_only=on))
        self.cell_size = QSlider(Qt.Orientation.Horizontal)
        self.cell_size.setRange(60, 100)
        self.cell_size.setValue(100)
        self.cell_size.setFixedWidth(90)
        self.cell_size.setToolTip("The thumbnails' size (Ctrl+wheel on the gallery)")
        self.cell_size.valueChanged.connect(lambda value: self.gallery.set_cell_scale(value / 100))
        self.gallery.cell_scale_changed.connect(self._show_cell_scale)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(3)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.favourites_only)
        top.addWidget(self.cell_size)
        layout.addLayout(top)
        layout.addWidget(self.gallery, 1)

    def _show_cell_scale(self, scale: float) -> None:
        self.cell_size.blockSignals(True)
        self.cell_size.setValue(round(scale * 100))
        self.cell_size.blockSignals(False)


class LookPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.blend_panel = BlendPanel()
        self.controls = ControlsPanel()
        blend = QScrollArea()
        blend.setWidget(self.blend_panel)
        blend.setWidgetResizable(True)
        blend.setFrameShape(QFrame.Shape.NoFrame)
        blend.setFixedHeight(BLEND_HEIGHT)
        self.compare_button = QPushButton("Compare before/after")
        self.compare_button.setCheckable(True)
        self.export_button = QPushButton("Export…")
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Render at full resolution and save (Ctrl+E)")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(blend)
        layout.addWidget(self.controls)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.controls.high_quality)
        buttons.addWidget(self.export_button, 1)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # the gallery takes the room
