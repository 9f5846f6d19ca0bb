"""The zoom in the status bar: how large the preview is shown, and a menu of sizes to pick."""

from __future__ import annotations

import functools

from PySide6.QtWidgets import QMenu, QToolButton

from .canvas import PreviewCanvas

ZOOMS = (0.25, 0.5, 1.0, 2.0, 4.0)


def zoom_text(scale: float, fitting: bool) -> str:
    percent = f"{scale * 100:.0f}%" if scale >= 0.1 else f"{scale * 100:.1f}%"
    return f"Fit ({percent})" if fitting else percent


def zoom_button(canvas: PreviewCanvas) -> QToolButton:
    button = QToolButton()
    button.setToolTip("How large the preview is shown: 100% is the export's real pixels (Ctrl+1); "
                      "Ctrl+0 fits the window")
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    button.setAutoRaise(True)
    menu = QMenu(button)
    menu.addAction("Fit to the window", canvas.fit)
    for zoom in ZOOMS:
        if zoom == 1.0:
            menu.addAction("100% (actual size)", canvas.actual_size)
        else:
            menu.addAction(f"{zoom * 100:.0f}%", functools.partial(canvas.set_zoom, zoom))
    button.setMenu(menu)
    button.setText(zoom_text(canvas.scale(), canvas.fitting))
    canvas.zoom_changed.connect(lambda scale, fitting: button.setText(zoom_text(scale, fitting)))
    return button
