"""The window's menus and shortcuts, and the Help text that lists them."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, cast

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMainWindow, QMenu, QPushButton, QTextBrowser, QVBoxLayout

from desktop.studio import Brush, Studio

from . import file_dialogs
from .docks import DockLayout
from .preferences import edit_preferences
from .widgets.drop_zone import DropZone
from .widgets.region_canvas import RegionCanvas
from .widgets.region_panel import RegionPanel

HELP_TEXT = """<h3>Impasto</h3>
<p><b>Photo</b>: drop a photo (or a folder, for a batch) on the Photo well or on the preview, or
press Ctrl+O. <b>Style</b>: pick a preset, or drop a painting on the Painting well; Ctrl-click
several styles to blend them.</p>
<p><b>Strength</b>: how much of the style is laid over the photo.<br>
<b>Stroke size</b>: how big the brush strokes are, whatever the size of the photo: 1× paints them
as the style was made to look, 2× twice as broad, 0.5× finer.<br>
<b>Native</b>: paints at the photo's own resolution instead; on a large photo the strokes become
tiny and read as texture, on a small one they stay bold.<br>
<b>Colours</b>: the painting's; the photo's own (the style's brushwork and light in the photo's
colours); or palette only (the photo recoloured with the style's palette, no brushwork; strength
sets how far).</p>
<p><b>Clips</b>: drop a video (MP4, MOV, MKV, WebM, AVI, an animated GIF or WebP) or a folder of
numbered frames (shot_0001.png, shot_0002.png…) on the Photo well or the preview, or press Ctrl+O.
A folder of other photos opens as a batch. The timeline under the preview scrubs the clip: the
preview paints the frame under the slider. Every look, style, blend and region applies to every
frame (a region's mask to all of them). Export (Ctrl+E) writes a video (.mp4, .mkv or .webm;
.mov for editing programs) with the clip's sound, or PNG frames into a new folder.<br>
<b>Steadiness</b> (beside the timeline) says how the exported frames hold together:
<i>Smooth: follows the motion</i> (the default) keeps colours and strokes from flickering, each
frame taking on the last one's painting carried along the motion; <i>Steady colours</i> fixes
the colours for each shot and paints the strokes afresh; <i>Each frame on its own</i> paints
every frame like a still, and flickers. The preview paints each frame on its own.</p>
<p><b>Regions</b> (R): pick a style in the gallery and paint where it goes on the preview; the
rest keeps the style chosen outside Regions. Each stroke is one undo step. <b>Paint the photo
back</b> paints your photo itself. <b>Region strength</b> is how much of the brush's region's
style to keep there (0%: the photo). <b>Snap to edges</b> makes a rough stroke follow the photo's
edges; <b>feather</b> softens where regions meet.</p>
<table>
<tr><td>Ctrl+O</td><td>Open a photo or a clip</td></tr>
<tr><td>Ctrl+V</td><td>Paste a photo</td></tr>
<tr><td>Ctrl+E</td><td>Export at full resolution (a clip: as a video or frames)</td></tr>
<tr><td>, / .</td><td>Previous / next frame of a clip</td></tr>
<tr><td>Ctrl+Shift+E</td><td>Export as layers (.ora, for Krita, GIMP, MyPaint)</td></tr>
<tr><td>Ctrl+S / Ctrl+Shift+O</td><td>Save / open a session</td></tr>
<tr><td>R</td><td>Regions: paint where each style goes</td></tr>
<tr><td>B / E</td><td>Brush / eraser (in Regions)</td></tr>
<tr><td>[ / ]</td><td>Smaller / larger brush</td></tr>
<tr><td>Ctrl+I</td><td>Invert the brush's region</td></tr>
<tr><td>O</td><td>Show or hide the regions' tints</td></tr>
<tr><td>Ctrl+Z / Ctrl+Shift+Z</td><td>Undo / redo</td></tr>
<tr><td>C</td><td>Compare before and after (drag the line)</td></tr>
<tr><td>Ctrl+plus / Ctrl+minus, wheel</td><td>Zoom in / out</td></tr>
<tr><td>Ctrl+0</td><td>Fit to the window</td></tr>
<tr><td>Ctrl+1</td><td>Actual size: the real pixels of the export</td></tr>
</table>"""


HELP_SIZE = (720, 900)  # at most; a smaller screen gets a smaller window, and the text scrolls


class MenuHost(Protocol):
    """The window the menus are built for: what they drive, and the actions they leave on it."""

    studio: Studio
    canvas: RegionCanvas
    content_zone: DropZone
    region_panel: RegionPanel
    compare_button: QPushButton
    compare_action: QAction
    regions_action: QAction
    tints_action: QAction
    region_actions: list[QAction]
    recent_menu: QMenu
    layout_docks: DockLayout

    def paste(self) -> None: ...
    def open_session(self, path: Path | None = None) -> None: ...
    def export_dialog(self) -> None: ...


def build_menus(window: QMainWindow) -> None:
    """The menus of ``window``, which is a ``MenuHost``: the actions they make are left on it."""
    host = cast(MenuHost, window)
    menu = window.menuBar()
    file_menu, edit_menu = menu.addMenu("&File"), menu.addMenu("&Edit")
    view_menu, window_menu, help_menu = menu.addMenu("&View"), menu.addMenu("&Window"), menu.addMenu("&Help")
    canvas, studio = host.canvas, host.studio

    def action(menu_, text, shortcut, slot):
        act = QAction(text, window)
        act.setShortcut(QKeySequence(shortcut))
        act.triggered.connect(slot)
        menu_.addAction(act)
        return act

    _file_actions(window, host, file_menu, action)
    undo = studio.core.undo_stack.createUndoAction(window, "&Undo")
    redo = studio.core.undo_stack.createRedoAction(window, "&Redo")
    undo.setShortcut(QKeySequence.StandardKey.Undo)
    redo.setShortcut(QKeySequence.StandardKey.Redo)
    edit_menu.addActions([undo, redo])
    action(edit_menu, "&Paste photo", QKeySequence.StandardKey.Paste, host.paste)
    edit_menu.addSeparator()
    action(edit_menu, "Pr&eferences…", "Ctrl+,", lambda: edit_preferences(window, studio))
    # toggled (not triggered): the Compare button and the C key both drive this one action
    host.compare_action = QAction("&Compare before/after", window, checkable=True)
    host.compare_action.setShortcut(QKeySequence("C"))
    host.compare_action.toggled.connect(canvas.set_comparing)
    host.compare_action.toggled.connect(host.compare_button.setChecked)
    view_menu.addAction(host.compare_action)
    host.regions_action = QAction("&Regions: paint where each style goes", window, checkable=True)
    host.regions_action.setShortcut(QKeySequence("R"))
    host.regions_action.toggled.connect(studio.region_editor.set_mode)
    view_menu.addAction(host.regions_action)
    action(view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: canvas.zoom_by(1.25))
    action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: canvas.zoom_by(0.8))
    action(view_menu, "&Fit to window", "Ctrl+0", canvas.fit)
    action(view_menu, "&Actual size (100%)", "Ctrl+1", canvas.actual_size)
    view_menu.addSeparator()
    action(view_menu, "&Previous frame (a clip)", ",", lambda: studio.clips.step(-1))
    action(view_menu, "&Next frame (a clip)", ".", lambda: studio.clips.step(1))
    _region_actions(window, host, view_menu.addMenu("Region &tools"), action)
    host.layout_docks.fill_menu(window_menu, ["wells", "styles", "look", "regions", "history"])
    action(help_menu, "&Shortcuts and controls", "F1", lambda: show_help(window))


def _file_actions(window: QMainWindow, host: MenuHost, menu, action) -> None:
    studio = host.studio
    action(menu, "&Open photo or clip…", QKeySequence.StandardKey.Open, host.content_zone.choose_file)
    action(menu, "Open &session…", "Ctrl+Shift+O", lambda: host.open_session())
    host.recent_menu = menu.addMenu("Open &recent session")
    show_recent_sessions(host, studio.sessions.recent)
    studio.sessions.recent_changed.connect(lambda recent: show_recent_sessions(host, recent))
    action(menu, "&Save session…", QKeySequence.StandardKey.Save, lambda: file_dialogs.save_session(window, studio))
    menu.addSeparator()
    action(menu, "&Export…", "Ctrl+E", host.export_dialog)
    action(menu, "Export &layers…", "Ctrl+Shift+E", lambda: file_dialogs.export_layers(window, studio))
    menu.addSeparator()
    action(menu, "&Quit", QKeySequence.StandardKey.Quit, window.close)


def _region_actions(window: QMainWindow, host: MenuHost, menu, action) -> None:
    """The brush's shortcuts, enabled in the Regions mode only."""
    regions, canvas = host.studio.region_editor, host.canvas

    def brush(**changes) -> None:
        old = regions.tool.brush
        regions.set_brush(Brush(changes.get("size", old.size), old.softness, changes.get("erasing", old.erasing)))

    host.region_actions = [
        action(menu, "&Brush", "B", lambda: brush(erasing=False)),
        action(menu, "&Eraser", "E", lambda: brush(erasing=True)),
        action(menu, "S&maller brush", "[", lambda: brush(size=regions.tool.brush.size / 1.25)),
        action(menu, "&Larger brush", "]", lambda: brush(size=regions.tool.brush.size * 1.25)),
        action(menu, "&Invert region", "Ctrl+I", regions.invert),
    ]
    host.tints_action = QAction("Show the regions' &tints", window, checkable=True, checked=True)
    host.tints_action.setShortcut(QKeySequence("O"))
    host.tints_action.toggled.connect(canvas.set_overlay_visible)
    host.tints_action.toggled.connect(host.region_panel.overlay.setChecked)
    menu.addAction(host.tints_action)
    host.region_actions.append(host.tints_action)
    for act in host.region_actions:
        act.setEnabled(False)


def show_recent_sessions(host: MenuHost, recent: list[str]) -> None:
    menu = host.recent_menu
    menu.clear()
    for entry in recent:
        act = menu.addAction(Path(entry).name)
        act.setToolTip(entry)
        act.triggered.connect(lambda _checked=False, p=entry: host.open_session(Path(p)))
    menu.setEnabled(bool(recent))


def show_help(window: QMainWindow) -> QDialog:
    """The Help text in a window of its own that scrolls and fits the screen, left open beside
    the studio while the artist tries what it says."""
    dialog = window.findChild(QDialog, "help")
    if dialog is None:
        dialog = QDialog(window)
        dialog.setObjectName("help")
        dialog.setWindowTitle("Impasto — shortcuts and controls")
        text = QTextBrowser()
        text.setHtml(HELP_TEXT)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.close)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        room = window.screen().availableGeometry()
        dialog.resize(min(HELP_SIZE[0], int(room.width() * 0.9)), min(HELP_SIZE[1], int(room.height() * 0.85)))
    dialog.show()
    dialog.raise_()
    return dialog
