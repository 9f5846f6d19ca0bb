"""One dark look for the whole window, as painting programs have: the colours of a picture are
judged against a neutral dark surround, and a light panel beside the preview skews them."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

WINDOW, BASE, TEXT, ACCENT = QColor(45, 45, 48), QColor(34, 34, 37), QColor(225, 225, 225), QColor(206, 140, 60)
BANNER_STYLE = "QLabel#banner { background: #6b2f2f; color: white; padding: 6px; border-radius: 3px; }"
STYLE_SHEET = """
QFrame#dropZone { border: 1px dashed #6a6a70; border-radius: 6px; background: #2a2a2d; }
QFrame#dropZone:hover { border-color: #ce8c3c; }
QGroupBox { border: 1px solid #3c3c40; border-radius: 4px; margin-top: 14px; padding-top: 4px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
QPushButton { background: #3a3a3e; border: 1px solid #55555a; border-radius: 3px; padding: 4px 10px; }
QPushButton:hover { background: #46464b; }
QPushButton:default { border-color: #ce8c3c; }
QPushButton:pressed, QPushButton:checked { background: #6e4a22; border-color: #ce8c3c; color: #ffffff; }
QPushButton:disabled { color: #78787c; background: #333336; border-color: #444448; }
QPushButton:focus { border: 2px solid #7fb0ff; padding: 3px 9px; }
QAbstractSpinBox:focus, QComboBox:focus, QListView:focus, QUndoView:focus { border: 1px solid #7fb0ff; }
QSlider:focus { background: #34343a; }
"""
# Pressed toggles (Compare, Brush/Eraser, Regions) read as pressed at a glance; the keyboard's
# focus is a blue ring of its own, so the Export button's accent border never hides it.


def apply_dark_theme(app) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    disabled = QPalette.ColorGroup.Disabled
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: BASE,
        QPalette.ColorRole.AlternateBase: WINDOW,
        QPalette.ColorRole.ToolTipBase: QColor(20, 20, 22),
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: QColor(140, 140, 140),
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: QColor(58, 58, 62),
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: QColor(255, 120, 120),
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: QColor(20, 20, 20),
        QPalette.ColorRole.Link: ACCENT,
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(disabled, role, QColor(120, 120, 120))
    app.setPalette(palette)
    app.setStyleSheet(STYLE_SHEET)
