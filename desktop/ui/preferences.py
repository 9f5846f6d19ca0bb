"""Preferences: the device, how large a picture may be opened, where files go, the preview's
quality and how often unsaved work is autosaved. Chosen in a dialog, kept in the settings."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from desktop.studio import AppSettings

DEVICES = (("auto", "The GPU when there is one, else the CPU"), ("cuda", "An NVIDIA GPU (CUDA)"),
           ("mps", "Apple's GPU (Metal)"), ("cpu", "The CPU"))
PREVIEW_SIDES = ((600, "Fast (600 px)"), (900, "Balanced (900 px)"), (1400, "Sharp (1400 px)"),
                 (2000, "Sharpest (2000 px)"))


class PreferencesDialog(QDialog):
    def __init__(self, settings: AppSettings, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self.device = _choice(DEVICES, settings.device)
        self.device.setToolTip("Used from the next start: the renderer keeps the device it started on")
        self.preview = _choice(PREVIEW_SIDES, settings.preview_long_side)
        self.preview.setToolTip("The live preview's long side: larger is sharper, and slower on the CPU")
        self.max_megapixels = QSpinBox()
        self.max_megapixels.setRange(1, 1000)
        self.max_megapixels.setSuffix(" megapixels")
        self.max_megapixels.setValue(settings.max_input_megapixels)
        self.max_megapixels.setToolTip("Larger pictures are refused when opened (each takes memory as it is read)")
        self.autosave = QSpinBox()
        self.autosave.setRange(0, 3600)
        self.autosave.setSuffix(" s")
        self.autosave.setSpecialValueText("never")
        self.autosave.setValue(settings.autosave_seconds)
        self.autosave.setToolTip("Unsaved work is kept this long after each change, to come back after a crash")
        self.photo_dir, photo_row = _folder_row(settings.photo_dir, "Where Open starts")
        self.export_dir, export_row = _folder_row(settings.export_dir, "Where exports go (empty: the last export's folder)")
        form = QFormLayout(self)
        form.addRow("Device", self.device)
        form.addRow("Preview", self.preview)
        form.addRow("Largest picture", self.max_megapixels)
        form.addRow("Autosave after", self.autosave)
        form.addRow("Photos from", photo_row)
        form.addRow("Exports to", export_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen(self) -> AppSettings:
        return self._settings.with_changes(
            device=self.device.currentData(), preview_long_side=self.preview.currentData(),
            max_input_megapixels=self.max_megapixels.value(), autosave_seconds=self.autosave.value(),
            photo_dir=self.photo_dir.text().strip(), export_dir=self.export_dir.text().strip())


def _choice(options, current) -> QComboBox:
    box = QComboBox()
    for value, text in options:
        box.addItem(text, value)
    if box.findData(current) < 0:  # a value set by hand in the settings file is kept, and shown
        box.addItem(str(current), current)
    box.setCurrentIndex(box.findData(current))
    return box


def _folder_row(folder: str, tip: str) -> tuple[QLineEdit, QWidget]:
    field = QLineEdit(folder)
    field.setPlaceholderText("as last time")
    field.setToolTip(tip)
    choose = QPushButton("Choose…")
    choose.clicked.connect(lambda: _choose_folder(field))
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(field, 1)
    layout.addWidget(choose)
    return field, row


def _choose_folder(field: QLineEdit) -> None:
    folder = QFileDialog.getExistingDirectory(field, "Choose a folder", field.text() or str(Path.home()))
    if folder:
        field.setText(folder)


def edit_preferences(window: QWidget, studio) -> bool:
    """The dialog; what the artist chose is used at once. Whether anything was chosen."""
    dialog = PreferencesDialog(studio.core.app_settings, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    studio.apply_preferences(dialog.chosen())
    return True
