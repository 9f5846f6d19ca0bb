"""The window's menus and shortcuts, and the Help text that lists them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from .main_window import MainWindow

HELP_TEXT = """<h3>Impasto</h3>
<p><b>Photo</b>: drop a photo (or a folder, for a batch) on the Photo well or on the preview, or
press Ctrl+O. <b>Style</b>: pick a preset, or drop a painting on the Painting well; Ctrl-click
several styles to blend them.</p>
<p><b>Strength</b>: how much of the style is laid over the photo.<br>
<b>Stroke size</b>: how big the brush strokes are, whatever the size of the photo: 1× paints them
as the style was made to look, 2× twice as broad, 0.5× finer.<br>
<b>Native</b>: paints at the photo's own resolution instead; on a large photo the strokes become
tiny and read as texture, on a small one they stay bold.<br>
<b>Keep the photo's colours</b>: the style's brushwork and light, in the photo's own colours.</p>
<table>
<tr><td>Ctrl+O</td><td>Open a photo</td></tr>
<tr><td>Ctrl+V</td><td>Paste a photo</td></tr>
<tr><td>Ctrl+E</td><td>Export at full resolution</td></tr>
<tr><td>Ctrl+Z / Ctrl+Shift+Z</td><td>Undo / redo</td></tr>
<tr><td>C</td><td>Compare before and after (drag the line)</td></tr>
<tr><td>Ctrl+plus / Ctrl+minus, wheel</td><td>Zoom in / out</td></tr>
<tr><td>Ctrl+0</td><td>Fit to the window</td></tr>
<tr><td>Ctrl+1</td><td>Actual size: the real pixels of the export</td></tr>
</table>"""


def build_menus(window: MainWindow) -> None:
    menu = window.menuBar()
    file_menu, edit_menu = menu.addMenu("&File"), menu.addMenu("&Edit")
    view_menu, help_menu = menu.addMenu("&View"), menu.addMenu("&Help")
    canvas, studio = window.canvas, window.studio

    def action(menu_, text, shortcut, slot):
        act = QAction(text, window)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu_.addAction(act)
        return act

    action(file_menu, "&Open photo…", QKeySequence.StandardKey.Open, window.content_zone.choose_file)
    action(file_menu, "&Export…", "Ctrl+E", window.export_dialog)
    action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, window.close)
    undo = studio.undo_stack.createUndoAction(window, "&Undo")
    redo = studio.undo_stack.createRedoAction(window, "&Redo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    edit_menu.addActions([undo, redo])
    action(edit_menu, "&Paste photo", QKeySequence.StandardKey.Paste, window.paste)
    # toggled (not triggered): the Compare button and the C key both drive this one action
    window.compare_action = QAction("&Compare before/after", window, checkable=True)
    window.compare_action.setShortcut(QKeySequence("C"))
    window.compare_action.toggled.connect(canvas.set_comparing)
    window.compare_action.toggled.connect(window.compare_button.setChecked)
    view_menu.addAction(window.compare_action)
    action(view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: canvas.zoom_by(1.25))
    action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: canvas.zoom_by(0.8))
    action(view_menu, "&Fit to window", "Ctrl+0", canvas.fit)
    action(view_menu, "&Actual size (100%)", "Ctrl+1", canvas.actual_size)
    action(help_menu, "&Shortcuts and controls", "F1", lambda: QMessageBox.about(window, "Impasto", HELP_TEXT))
