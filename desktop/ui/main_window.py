"""The studio window: layout, and the wiring between the widgets and the ``Studio``.

The window holds no state of its own: it sends the studio what the artist did and shows the
studio's changes, updating only what changed and never writing a value back into the control
that sent it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from desktop.studio import (
    Message,
    PhotoView,
    PreviewFrame,
    RegionTool,
    Studio,
    StudioState,
    picture_to_qimage,
    qimage_to_picture,
    save_settings,
)

from . import file_dialogs
from .docks import BOTTOM, LEFT, RIGHT, DockLayout
from .menus import build_menus
from .widgets.drop_zone import PHOTO_OR_CLIP_FILTER, DropZone
from .widgets.panels import LookPanel, StylesPanel
from .widgets.region_canvas import RegionCanvas
from .widgets.region_panel import RegionPanel
from .widgets.status import Banner, ExportStatus
from .widgets.timeline import Timeline
from .widgets.zoom import zoom_button

log = logging.getLogger(__name__)
STATUS_MS = 10000
PAINTING_WELL_SIDE = 300  # the painting well's copy of a painting, long side in px
FIRST_SIZE = (1280, 800)  # at least, on a screen that has the room
FIRST_SHARE = 0.85  # of a larger screen: the preview gets the room
WINDOW_FRAME = (8, 36)  # px the window manager adds around a window, about: its title bar and borders


class MainWindow(QMainWindow):
    # left on the window by ``build_menus``
    compare_action: QAction
    regions_action: QAction
    tints_action: QAction
    region_actions: list[QAction]
    recent_menu: QMenu

    def __init__(self, studio: Studio):
        super().__init__()
        self.setWindowTitle("Impasto")
        self.studio = studio
        self._build()
        build_menus(self)
        self._connect()
        geometry = studio.core.app_settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
        else:
            self._fit_screen()
        self.layout_docks.restore(studio.core.app_settings.window_state)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.content_zone = DropZone("Photo", "Drop a photo, a clip, or a folder of either", PHOTO_OR_CLIP_FILTER)
        self.style_zone = DropZone("Painting", "Drop a painting (or a folder of them) to use as the style")
        self.styles_panel, self.look_panel = StylesPanel(), LookPanel()
        self.gallery, self.style_search = self.styles_panel.gallery, self.styles_panel.search
        self.favourites_only, self.cell_size = self.styles_panel.favourites_only, self.styles_panel.cell_size
        self.controls, self.blend_panel = self.look_panel.controls, self.look_panel.blend_panel
        self.compare_button, self.export_button = self.look_panel.compare_button, self.look_panel.export_button
        self.canvas = RegionCanvas()
        self.region_panel = RegionPanel()
        self.banner = Banner()
        self.timeline = Timeline()
        self.history = QUndoView(self.studio.core.undo_stack)
        self.history.setEmptyLabel("Start")
        self.history.setToolTip("Every step of the work: click one to go back to it (Ctrl+Z / Ctrl+Shift+Z)")
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.canvas, 1)
        self.setCentralWidget(central)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks
                            | QMainWindow.DockOption.AllowNestedDocks)
        self.layout_docks = DockLayout(self)
        docks = self.layout_docks
        docks.add("wells", "Photo and painting", self._wells(), LEFT)
        docks.add("styles", "Styles (Ctrl-click several to blend)", self.styles_panel, LEFT)
        docks.add("look", "Look", self.look_panel, LEFT)
        docks.add("regions", "Regions", self.region_panel, RIGHT)
        docks.add("history", "History", self.history, RIGHT)
        self.tabifyDockWidget(docks.docks["regions"], docks.docks["history"])
        docks.docks["regions"].raise_()
        self.timeline_dock = docks.add("timeline", "Timeline", self.timeline, BOTTOM, follows_the_work=True)
        self.timeline_dock.setFeatures(self.timeline_dock.features()
                                       & ~QDockWidget.DockWidgetFeature.DockWidgetClosable)  # shown with a clip
        self.export_status = ExportStatus()
        self.device_label = QLabel("Device: starting…")
        self.timing_label = QLabel("")
        self.statusBar().addWidget(self.export_status, 1)  # all the room there is: the progress is read whole
        self.zoom_button = zoom_button(self.canvas)
        self.statusBar().addPermanentWidget(self.zoom_button)
        self.statusBar().addPermanentWidget(self.timing_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self.resize(*FIRST_SIZE)
        self.timeline_dock.setVisible(False)  # until a clip is open
        docks.settle(["wells"], ["regions"])

    def _fit_screen(self) -> None:
        """The first start: most of a large screen, all of a small one (frame and title bar included)."""
        room = self.screen().availableGeometry()
        width, height = (max(first, round(FIRST_SHARE * side)) for first, side in zip(FIRST_SIZE, room.size().toTuple()))
        self.resize(min(width, room.width() - WINDOW_FRAME[0]), min(height, room.height() - WINDOW_FRAME[1]))

    def _wells(self) -> QWidget:
        wells = QWidget()
        layout = QHBoxLayout(wells)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.content_zone)
        layout.addWidget(self.style_zone)
        wells.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        return wells

    def _connect(self) -> None:
        studio, core, content, live = self.studio, self.studio.core, self.studio.content, self.studio.live_preview
        self.content_zone.paths_chosen.connect(self.open_photos)
        self.content_zone.start_folder = lambda: self.studio.core.app_settings.photo_dir
        self.canvas.paths_dropped.connect(self.open_photos)
        self.canvas.detail_wanted.connect(live.request_detail)
        self.style_zone.paths_chosen.connect(studio.add_paintings)
        self.gallery.paintings_dropped.connect(studio.add_paintings)
        self.gallery.itemSelectionChanged.connect(self._gallery_picked)
        self.gallery.rename_requested.connect(self.rename_painting)
        self.gallery.remove_requested.connect(studio.remove_painting)
        self.gallery.order_changed.connect(studio.reorder_paintings)
        self.controls.edited.connect(core.edit_settings)
        self.blend_panel.weights_edited.connect(studio.edit_weights)
        self.export_button.clicked.connect(self.export_dialog)
        self.compare_button.toggled.connect(self.compare_action.setChecked)
        self.export_status.cancel_requested.connect(studio.exports.cancel)
        core.state_changed.connect(self.show_change)
        content.photo_changed.connect(self.show_photo)
        live.preview_ready.connect(self.show_preview)
        live.detail_ready.connect(self.canvas.set_detail)
        live.rendering_changed.connect(self.canvas.set_busy)
        live.rendering_changed.connect(self._show_rendering)
        studio.exports.export_changed.connect(self.export_status.show_progress)
        # an export's progress needs the room more than the last preview's timing does
        studio.exports.export_changed.connect(lambda progress: self.timing_label.setVisible(progress is None))
        studio.exports.picture_developing.connect(self._show_export_picture)
        core.message.connect(self.show_message)
        core.device_changed.connect(lambda device: self.device_label.setText(f"Device: {device}"))
        studio.paintings_changed.connect(self.gallery.set_paintings)
        studio.favourites_changed.connect(self.gallery.set_favourites)
        self.gallery.favourite_toggled.connect(studio.set_favourite)
        self.gallery.learn_requested.connect(studio.learning.learn)
        self.gallery.forget_learned_requested.connect(studio.learning.forget)
        studio.learning.progress_changed.connect(self.export_status.show_progress)
        self.export_status.cancel_requested.connect(studio.learning.cancel)
        studio.paintings_changed.connect(lambda _entries: self._show_style_well(self.studio.state))  # a new name
        studio.thumbnail_ready.connect(self.gallery.set_preset_thumbnail)
        self._connect_regions()
        self.timeline.scrubbed.connect(studio.clips.scrub)
        self.timeline.steadiness_chosen.connect(studio.clips.set_temporal)
        studio.clips.steadiness_changed.connect(self.timeline.show_steadiness)
        self.timeline.show_steadiness(core.app_settings.video_temporal)
        content.clip_changed.connect(self.timeline.show_clip)
        content.clip_changed.connect(lambda view: self.timeline_dock.setVisible(view is not None))

    def _connect_regions(self) -> None:
        regions, canvas, panel = self.studio.region_editor, self.canvas, self.region_panel
        canvas.stroke_started.connect(regions.begin_stroke)
        canvas.stroke_moved.connect(regions.continue_stroke)
        canvas.stroke_ended.connect(regions.end_stroke)
        panel.style_picked.connect(regions.choose_style)
        panel.brush_edited.connect(regions.set_brush)
        panel.invert_requested.connect(regions.invert)
        panel.clear_requested.connect(regions.clear)
        panel.clear_all_requested.connect(regions.clear_all)
        panel.snap_toggled.connect(regions.set_snap)
        panel.feather_edited.connect(regions.set_feather)
        panel.strength_edited.connect(regions.set_strength)
        panel.hidden_changed.connect(canvas.set_hidden_styles)
        panel.overlay_toggled.connect(self.tints_action.setChecked)
        panel.mode_toggled.connect(self.regions_action.setChecked)
        regions.tool_changed.connect(self.show_tool)

    # -- showing the studio ---------------------------------------------------------------

    def show_change(self, old: StudioState | None, new: StudioState) -> None:
        """Update only what changed between ``old`` and ``new``."""
        if old is None or old.settings != new.settings:
            self.controls.show_settings(new.settings)  # a no-op for the control that sent it
            self.region_panel.show_settings(new.settings)
        if old is None or old.style_keys != new.style_keys:
            if not self.studio.region_editor.tool.on:  # in Regions, the gallery shows the brush's style
                self.gallery.select_keys(new.style_keys)
            self._show_style_well(new)
        if old is None or old.regions is not new.regions:
            self.canvas.show_regions(new.regions)
            self.region_panel.show_regions(new.regions, [self.studio.library.name_of(r.style) for r in new.regions.items])
        if old is None or old.style_keys != new.style_keys or old.weights != new.weights:
            self.blend_panel.show_blend([(k, self.gallery.label_of(k), w)
                                         for k, w in zip(new.style_keys, new.weights)])

    def show_tool(self, tool: RegionTool) -> None:
        """The Regions mode and its brush: the panel, the canvas, and what the gallery picks."""
        switched = tool.on != self.canvas.painting
        self.region_panel.show_tool(tool, self.studio.library.name_of(tool.style) if tool.style else "")
        if tool.on:  # the panel comes to the front; leaving Regions leaves the layout as it is
            regions_dock = self.layout_docks.docks["regions"]
            regions_dock.show()
            regions_dock.raise_()
        self.canvas.set_painting(tool.on)
        self.canvas.set_brush_size(tool.brush.size)
        self.regions_action.setChecked(tool.on)
        for action in self.region_actions:
            action.setEnabled(tool.on)
        if switched:
            self.gallery.set_single_selection(tool.on)
        if tool.on:
            self.gallery.select_keys([tool.style] if tool.style else [])
        elif switched:
            self.gallery.select_keys(self.studio.state.style_keys)

    def _gallery_picked(self) -> None:
        keys = self.gallery.selected_keys()
        if not self.studio.region_editor.tool.on:
            self.studio.choose_styles(keys)
        elif keys:
            self.studio.region_editor.choose_style(keys[0])

    def _show_style_well(self, state: StudioState) -> None:
        paintings = state.paintings()
        if not paintings:
            names = ", ".join(self.gallery.label_of(k) for k in state.style_keys)
            self.style_zone.show_prompt(f"Using {'presets' if len(state.style_keys) > 1 else 'a preset'}: {names}")
            return
        try:
            small = self.studio.content.pictures.painting_shrunk(paintings[0], PAINTING_WELL_SIDE)
        except Exception:  # noqa: BLE001 - the preview says why a painting cannot be read
            self.style_zone.show_prompt()
            return
        labels = [self.gallery.label_of(key) for key in state.style_keys if key.kind == "painting"]
        self.style_zone.show_image(picture_to_qimage(small),
                                   labels[0] if len(labels) == 1 else f"blend of {len(labels)} paintings", file_name=False)

    def show_photo(self, view: PhotoView) -> None:
        before = None if view.before is None else picture_to_qimage(view.before)  # None: a clip's frame is coming
        self.canvas.set_photo(before, view.full_size)
        self.controls.output_size.set_photo_size(view.full_size)
        if before is None:
            self.content_zone.show_prompt(view.caption)
        else:
            self.content_zone.show_image(before, view.caption)
        self.setWindowTitle(f"{view.name} — Impasto")

    def show_preview(self, frame: PreviewFrame) -> None:
        self.canvas.set_after(frame.image)
        if frame.seconds:
            self.timing_label.setText(f"preview {frame.image.width()}×{frame.image.height()} in {frame.seconds:.2f} s")

    def _show_rendering(self, busy: bool) -> None:
        if busy:  # the last preview's size and time no longer describe what is shown
            self.timing_label.setText("preview: painting…")

    def _show_export_picture(self, frame: PreviewFrame | None) -> None:
        """A high-quality export's painting as it develops; None: back to the last preview."""
        frame = frame or self.studio.live_preview.frame
        if frame is not None:
            self.show_preview(frame)

    def show_message(self, message: Message) -> None:
        """Errors go to a banner above the preview (no dialog, no traceback); notes to the status bar."""
        if message.settles:
            self.banner.clear()
        if message.error:
            self.banner.show_error(message.text)
        elif message.folder is not None:
            self.export_status.show_written(message.text, message.folder)
        else:
            self.statusBar().showMessage(message.text, STATUS_MS)

    # -- dialogs --------------------------------------------------------------------------

    def export_dialog(self) -> None:
        file_dialogs.export(self, self.studio)

    def paste(self) -> None:
        clipboard = QGuiApplication.clipboard()
        mime = clipboard.mimeData()
        if mime.hasUrls():
            self.open_photos([Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()])
        elif mime.hasImage() and self.may_replace_work("opening another photo", regions_only=True):
            self.studio.paste_photo(qimage_to_picture(clipboard.image()))
        else:
            self.banner.show_error("The clipboard holds no image.")

    def rename_painting(self, style_id: str) -> None:
        name, ok = QInputDialog.getText(self, "Rename style", "Name:", text=self.studio.library.get(style_id).name)
        if ok:
            self.studio.rename_painting(style_id, name)

    def open_photos(self, paths: list[Path]) -> None:
        if self.may_replace_work("opening another photo", regions_only=True):
            self.studio.open_photos(paths)

    def open_session(self, path: Path | None = None) -> None:
        """Open the session in ``path`` (None: ask which), once unsaved work is saved or let go."""
        if not self.may_replace_work("opening another session"):
            return
        if path is None:
            file_dialogs.open_session(self, self.studio)
        else:
            self.studio.sessions.open(path)

    def start(self) -> None:
        """Show the studio's first state, then render the thumbnails most visible first, and offer
        back the work a crash or a kill left behind."""
        self.studio.start()
        # Once the window is laid out and scrolled to the chosen style: then "visible" means something.
        QTimer.singleShot(0, self, lambda: self.studio.start_thumbnails(self.gallery.presets_most_visible_first()))
        QTimer.singleShot(0, self, self._offer_recovery)
        self.canvas.setFocus()  # the keys (R, C, B, E, [ ]) reach the picture, not a text field

    def _offer_recovery(self) -> None:
        left = self.studio.work_left_behind()
        if left is not None:
            self.studio.recover_work(self.ask_about_recovery(left))

    def ask_about_recovery(self, autosave: Path) -> bool:
        """Whether to bring back the work of a studio that stopped without closing."""
        try:
            when = time.strftime("%d %B at %H:%M", time.localtime(autosave.stat().st_mtime))
        except OSError:
            when = "recently"
        box = QMessageBox(QMessageBox.Icon.Question, "Impasto",
                          "Impasto stopped without closing last time. Bring back the work you had not saved?",
                          QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(f"It was autosaved on {when}. Discard lets it go for good.")
        recover = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(recover)
        box.setEscapeButton(recover)  # closing the question never loses the work
        box.exec()
        return box.clickedButton() is recover

    def ask_about_unsaved_work(self, before: str = "quitting") -> str:
        """"save", "discard" or "cancel": what the artist wants done with work not saved in a session."""
        box = QMessageBox(QMessageBox.Icon.Question, "Impasto", f"Save your work as a session before {before}?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setInformativeText("The look and the photo come back at the next start either way; the regions and "
                               "the undo history are kept only in a session.")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return "save"
        return "discard" if answer == QMessageBox.StandardButton.Discard else "cancel"

    def may_replace_work(self, before: str, regions_only: bool = False) -> bool:
        """Whether to go on with something that replaces the work: yes when it is saved, or when the
        artist saved it or let it go. ``regions_only``: it keeps the look (a new photo), so only
        painted regions count."""
        if self.studio.core.undo_stack.isClean() or (regions_only and not self.studio.state.regions.items):
            return True
        choice = self.ask_about_unsaved_work(before)
        if choice == "save":
            return file_dialogs.save_session(self, self.studio)
        return choice == "discard"

    def closeEvent(self, event):
        if not self.may_replace_work("quitting"):
            event.ignore()
            return
        kept = self.studio.settings_to_keep(bytes(self.saveGeometry().toBase64()).decode(), self.layout_docks.saved())
        try:
            save_settings(kept, self.studio.paths.settings_file)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)
        self.studio.close()
        super().closeEvent(event)
