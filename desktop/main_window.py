"""The studio window: drop zones, gallery, controls, live preview, compare, export, undo.

It builds immutable requests from the current ``StudioState`` and hands them to the render
worker; it never touches tensors and never waits on a render.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from engine import ImpastoError, PaintingBlend, Picture, PresetBlend, RenderRequest, expand_inputs, load_picture

from .app_settings import AppSettings, save_settings
from .export import EXPORT_FILTERS, Exporter, ExportJob
from .loaded_pictures import PASTED_PREFIX, SAMPLE_KEY, LoadedPictures, sample_photo
from .paths import AppPaths
from .qt_images import picture_to_pixmap, qimage_to_picture
from .studio_state import StudioState
from .style_library import StyleLibrary
from .thumbnails import PresetThumbnails
from .widgets.controls import BlendPanel, ControlsPanel
from .widgets.drop_zone import DropZone
from .widgets.gallery import Gallery
from .widgets.preview import PreviewCanvas
from .worker import PREVIEW, RenderWorker

log = logging.getLogger(__name__)
REFINE_AFTER_MS = 250  # a slider that rests this long gets a full-quality preview
BANNER_MS = 12000  # how long an error message stays above the preview


class StateChange(QUndoCommand):
    def __init__(self, window: MainWindow, before: StudioState, after: StudioState, text: str):
        super().__init__(text)
        self._window, self._before, self._after = window, before, after

    def redo(self):
        self._window.show_state(self._after)

    def undo(self):
        self._window.show_state(self._before)


class MainWindow(QMainWindow):
    def __init__(self, worker: RenderWorker, paths: AppPaths, settings: AppSettings):
        super().__init__()
        self.setWindowTitle("Impasto")
        self.worker, self.paths, self.app_settings = worker, paths, settings
        self.library = StyleLibrary(paths.styles_dir)
        self.undo_stack = QUndoStack(self)
        self.state = StudioState(content=settings.last_content, settings=settings.render)
        self._committed = self.state  # the last state on the undo stack (a drag starts from it)
        self.pictures = LoadedPictures(self.library, settings.max_input_megapixels * 1_000_000)
        self.batch: list[Path] = []
        self.latest_preview_id = 0
        self.last_preview = None
        self._refine_timer = QTimer(self, singleShot=True, interval=REFINE_AFTER_MS)
        self._refine_timer.timeout.connect(lambda: self.request_preview(draft=False))
        self._banner_timer = QTimer(self, singleShot=True, interval=BANNER_MS)
        self._build()
        self.exporter = Exporter(worker, self)
        self.exporter.finished.connect(self._export_finished)
        self.exporter.cancelled.connect(lambda: self.show_message("Export cancelled; nothing was written."))
        worker.rendered.connect(self._on_rendered)
        worker.failed.connect(self._on_failed)
        worker.engine_ready.connect(lambda device: self.device_label.setText(f"Device: {device}"))
        worker.intermediate.connect(self._on_intermediate)
        self.thumbnails = PresetThumbnails(worker, paths.thumbnails_dir, self.gallery, sample_photo)
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode()))
        self.refresh_paintings()
        if self._photo(self.state.content) is None:
            self.state = self.state.with_changes(content=SAMPLE_KEY)
        self.show_state(self.state)

    # -- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        self.content_zone = DropZone("Photo", "Drop a photo or a folder of photos")
        self.style_zone = DropZone("Painting", "Drop a painting to use as the style")
        self.gallery = Gallery()
        self.controls = ControlsPanel()
        self.blend_panel = BlendPanel()
        self.canvas = PreviewCanvas()
        self.banner = QLabel("")
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel#banner { background: #5a2b2b; color: white; padding: 6px; }")
        self.banner.setVisible(False)
        self._banner_timer.timeout.connect(lambda: self.banner.setVisible(False))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        zones = QHBoxLayout()
        zones.addWidget(self.content_zone)
        zones.addWidget(self.style_zone)
        left_layout.addLayout(zones)
        left_layout.addWidget(QLabel("<b>Styles</b> — select several to blend; drop paintings here to keep them"))
        left_layout.addWidget(self.gallery, 1)
        left_layout.addWidget(self.blend_panel)
        left_layout.addWidget(self.controls)
        buttons = QHBoxLayout()
        self.compare_button = QPushButton("Compare before/after")
        self.compare_button.setCheckable(True)
        self.export_button = QPushButton("Export…")
        self.export_button.setDefault(True)
        self.export_button.setToolTip("Render at full resolution and save (Ctrl+E)")
        buttons.addWidget(self.compare_button)
        buttons.addWidget(self.export_button, 1)
        left_layout.addLayout(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.canvas, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([420, 820])
        self.setCentralWidget(splitter)
        self.device_label = QLabel("Device: starting…")
        self.timing_label = QLabel("")
        self.statusBar().addPermanentWidget(self.timing_label)
        self.statusBar().addPermanentWidget(self.device_label)
        self._build_actions()
        self.content_zone.paths_chosen.connect(self.open_content)
        self.style_zone.paths_chosen.connect(self.add_paintings)
        self.gallery.paintings_dropped.connect(self.add_paintings)
        self.gallery.itemSelectionChanged.connect(self._selection_changed)
        self.gallery.rename_requested.connect(self.rename_painting)
        self.gallery.remove_requested.connect(self.remove_painting)
        self.gallery.order_changed.connect(self._order_changed)
        self.export_button.clicked.connect(self.export_dialog)
        self.compare_button.toggled.connect(self.compare_action.setChecked)
        self.controls.edited.connect(lambda settings, final: self.change(
            self.state.with_changes(settings=settings), final, "Change look"))
        self.blend_panel.weights_edited.connect(lambda weights, final: self.change(
            self.state.with_weights(weights), final, "Change blend"))
        self.resize(1280, 800)

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu, edit_menu, view_menu = menu.addMenu("&File"), menu.addMenu("&Edit"), menu.addMenu("&View")

        def action(menu_, text, shortcut, slot, checkable=False):
            act = QAction(text, self, checkable=checkable)
            act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu_.addAction(act)
            return act

        action(file_menu, "&Open photo…", QKeySequence.StandardKey.Open, self.content_zone.choose_file)
        action(file_menu, "&Export…", "Ctrl+E", lambda: self.export_dialog())
        action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        undo, redo = self.undo_stack.createUndoAction(self, "&Undo"), self.undo_stack.createRedoAction(self, "&Redo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        edit_menu.addActions([undo, redo])
        action(edit_menu, "&Paste photo", QKeySequence.StandardKey.Paste, self.paste)
        # toggled (not triggered): the Compare button and the C key both drive this one action
        self.compare_action = QAction("&Compare before/after", self, checkable=True)
        self.compare_action.setShortcut(QKeySequence("C"))
        self.compare_action.toggled.connect(self.canvas.set_comparing)
        self.compare_action.toggled.connect(self.compare_button.setChecked)
        view_menu.addAction(self.compare_action)
        action(view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: self.canvas.zoom_by(1.25))
        action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: self.canvas.zoom_by(0.8))
        action(view_menu, "&Fit to window", "Ctrl+0", self.canvas.fit)
        action(view_menu, "&Actual size (100%)", "Ctrl+1", self.canvas.actual_size)

    # -- messages -------------------------------------------------------------------------

    def show_message(self, text: str, error: bool = False) -> None:
        """Errors go to a banner above the preview (no dialog, no traceback); notes to the status bar."""
        if error:
            self.banner.setText(text)
            self.banner.setVisible(True)
            self._banner_timer.start()
        else:
            self.statusBar().showMessage(text, 8000)

    # -- content and styles ---------------------------------------------------------------

    def _photo(self, key: str) -> Picture | None:
        """The photo ``key``, or None with the reason in the banner (a file gone since, say)."""
        try:
            return self.pictures.photo(key)
        except ImpastoError as exc:
            self.show_message(str(exc), error=True)
        except KeyError:
            self.show_message("That pasted photo is no longer kept; paste it again.", error=True)
        return None

    def open_content(self, paths: list[Path]) -> None:
        files, _skipped = expand_inputs(paths)
        if not files:
            self.show_message("No images found in what was dropped.", error=True)
            return
        for candidate in files:  # a folder may hold a few unreadable files: open the first good one
            if self._photo(str(candidate)) is not None:
                break
        else:
            return  # the banner says why; the previous photo stays
        self.batch = files if len(files) > 1 else []
        if self.batch:
            self.show_message(f"Batch of {len(files)} images: Export renders them all into a folder.")
        self.change(self.state.with_changes(content=str(candidate)), True, "Open photo")

    def paste(self) -> None:
        mime = QGuiApplication.clipboard().mimeData()
        if mime.hasUrls():
            self.open_content([Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()])
        elif mime.hasImage():
            key = self.pictures.add_pasted(qimage_to_picture(QGuiApplication.clipboard().image()))
            self.change(self.state.with_changes(content=key), True, "Paste photo")
        else:
            self.show_message("The clipboard holds no image.", error=True)

    def add_paintings(self, paths: list[Path]) -> None:
        added = []
        for path in expand_inputs(paths)[0]:
            try:
                added.append(self.library.add(path))
            except ImpastoError as exc:
                self.show_message(str(exc), error=True)
        if added:
            self.refresh_paintings()
            self.change(self.state.with_styles([("painting", s.style_id) for s in added]), True, "Add painting")

    def refresh_paintings(self) -> None:
        self.gallery.set_paintings([(s.style_id, s.name, self.library.path(s)) for s in self.library.styles])

    def rename_painting(self, style_id: str) -> None:
        name, ok = QInputDialog.getText(self, "Rename style", "Name:", text=self.library.get(style_id).name)
        if ok:
            self.library.rename(style_id, name)
            self.refresh_paintings()

    def remove_painting(self, style_id: str) -> None:
        self.library.remove(style_id)
        keys = [k for k in self.state.style_keys if k != ("painting", style_id)]
        self.refresh_paintings()
        self.undo_stack.clear()  # older states may name the removed painting
        self.show_state(self.state.with_styles(keys or [("preset", 0)]))

    def _order_changed(self, order: list[str]) -> None:
        for position, style_id in enumerate(order):
            self.library.move(style_id, position)
        self.refresh_paintings()

    def _selection_changed(self) -> None:
        keys = self.gallery.selected_keys()
        if keys and keys != list(self.state.style_keys):
            self.change(self.state.with_styles(keys), True, "Choose style")

    # -- state, undo and preview ----------------------------------------------------------

    def change(self, new: StudioState, final: bool, text: str) -> None:
        """A user edit. While a slider moves (not final), preview a draft; on release, one undo step."""
        if new == self.state and not final:
            return
        if final and new != self._committed:
            self.undo_stack.push(StateChange(self, self._committed, new, text))  # shows ``new``
        else:
            self.show_state(new, draft=not final)

    def show_state(self, state: StudioState, draft: bool = False) -> None:
        """Display ``state`` and preview it. A draft (mid-drag) state is not yet an undo step."""
        self.state = state
        if not draft:
            self._committed = state
        self.controls.set_settings(state.settings)
        self.gallery.select_keys(state.style_keys)
        self.blend_panel.set_items([(k, self.gallery.label_of(k), w) for k, w in zip(state.style_keys, state.weights)])
        picture = self._photo(state.content)
        if picture is not None:
            self.content_zone.show_image(self.pictures.photo_pixmap(state.content),
                                         f"{picture.name} — {picture.width}×{picture.height}")
        self._show_style_zone(state)
        self.request_preview(draft=draft)

    def _show_style_zone(self, state: StudioState) -> None:
        paintings = [sid for kind, sid in state.style_keys if kind == "painting"]
        if not paintings:
            return
        try:
            first = self.pictures.painting_pixmap(paintings[0])
        except (ImpastoError, KeyError):
            return
        names = [self.gallery.label_of(("painting", sid)) for sid in paintings]
        self.style_zone.show_image(first, names[0] if len(names) == 1 else f"blend of {len(names)} paintings")

    def build_request(self, preview: bool, draft: bool = False) -> RenderRequest | None:
        state = self.state
        content = self._photo(state.content)
        if content is None or state.style_kind is None:
            if state.style_kind is None and state.style_keys:
                self.show_message("Blend presets with presets, or paintings with paintings.", error=True)
            return None
        if state.style_kind == "preset":
            style = PresetBlend(tuple(i for _, i in state.style_keys), state.weights)
        else:
            try:
                paintings = tuple(self.pictures.painting(sid) for _, sid in state.style_keys)
            except (ImpastoError, KeyError) as exc:
                self.show_message(f"A painting could not be read: {exc}", error=True)
                return None
            style = PaintingBlend(paintings, state.weights)
        settings = state.settings
        if preview:
            cpu = "CPU" in self.device_label.text()
            settings = settings.with_changes(
                quality="fast",  # high quality is for export; its progress shows as it runs
                output_long_side=min(self.app_settings.preview_long_side, max(content.size)),
                max_working_side=self.app_settings.draft_long_side if draft and cpu else None)
        return RenderRequest(content, style, settings)

    def request_preview(self, draft: bool = False) -> None:
        request = self.build_request(preview=True, draft=draft)
        if request is None:
            return
        self.latest_preview_id = request.request_id
        self.worker.submit(request, PREVIEW)
        if draft:
            self._refine_timer.start()

    def _on_rendered(self, result, purpose: str) -> None:
        if purpose != PREVIEW or result.request_id != self.latest_preview_id:
            return  # stale: a newer request exists
        self.last_preview = result
        try:
            before = self.pictures.photo_pixmap(self.state.content)
        except (ImpastoError, KeyError):
            before = None
        self.canvas.set_pictures(before, picture_to_pixmap(result.picture))
        self.timing_label.setText(f"preview {result.picture.width}×{result.picture.height} in {result.seconds:.2f} s")
        self.banner.setVisible(False)

    def _on_intermediate(self, request_id: int, picture: Picture) -> None:
        """A high-quality export in progress: show how the painting develops."""
        if self.exporter.busy and self.exporter.current_request_id == request_id:
            self.canvas.set_pictures(self.canvas.before, picture_to_pixmap(picture))

    def _on_failed(self, request_id: int, purpose: str, message: str) -> None:
        if purpose == "engine" or (purpose == PREVIEW and request_id == self.latest_preview_id):
            self.show_message(message, error=True)

    # -- export ---------------------------------------------------------------------------

    def export_dialog(self) -> None:
        if self.exporter.busy:
            return
        start = self.app_settings.last_export_dir or str(Path.home())
        if self.batch:
            folder = QFileDialog.getExistingDirectory(self, "Export all images into…", start)
            if folder:
                self.export_batch(Path(folder))
            return
        photo = self._photo(self.state.content)
        stem = Path(photo.name).stem if photo is not None else "art"
        suggestion = str(Path(start) / f"{stem}_impasto.{self.app_settings.export_format}")
        name, _ = QFileDialog.getSaveFileName(self, "Export picture", suggestion, EXPORT_FILTERS)
        if name:
            # The save dialog has already asked before replacing an existing file.
            self.export_to(Path(name), overwrite=True)

    def export_to(self, target: Path, overwrite: bool = False) -> bool:
        request = self.build_request(preview=False)
        if request is None:
            return False
        if target.exists() and not overwrite:
            self.show_message(f"{target} already exists; choose another name.", error=True)
            return False
        self.app_settings = self.app_settings.with_changes(last_export_dir=str(target.parent))
        self.exporter.start([ExportJob(request, target, overwrite)])
        return True

    def export_batch(self, folder: Path) -> None:
        jobs = []
        for path in self.batch:
            try:
                picture = load_picture(path, self.app_settings.max_input_megapixels * 1_000_000)
            except ImpastoError as exc:
                self.show_message(str(exc), error=True)
                continue
            request = self.build_request(preview=False)
            if request is None:
                return
            target = folder / f"{path.stem}_impasto.{self.app_settings.export_format}"
            jobs.append(ExportJob(RenderRequest(picture, request.style, request.settings), target, False))
        self.app_settings = self.app_settings.with_changes(last_export_dir=str(folder))
        if jobs:
            self.exporter.start(jobs)

    def _export_finished(self, written: list, errors: list, notes: list) -> None:
        if errors:
            self.show_message("Some exports failed: " + "; ".join(errors), error=True)
        if written:
            text = f"Exported {len(written)} picture(s): {', '.join(p.name for p in written)}"
            self.show_message(text + (" — " + "; ".join(notes) if notes else ""))

    # -- closing --------------------------------------------------------------------------

    def closeEvent(self, event):
        content = self.state.content if not self.state.content.startswith(PASTED_PREFIX) else SAMPLE_KEY
        self.app_settings = self.app_settings.with_changes(
            render=self.state.settings, last_content=content,
            window_geometry=bytes(self.saveGeometry().toBase64()).decode())
        try:
            save_settings(self.app_settings, self.paths.settings_file)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)
        self.worker.stop()
        super().closeEvent(event)
