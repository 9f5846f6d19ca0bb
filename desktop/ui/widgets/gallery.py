"""The style gallery: the 26 presets, then the artist's own paintings.

Select one style, or several (Ctrl/Shift-click) to blend them. Drop painting files on the
gallery to add them; drag a painting to reorder; right-click to rename or remove.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QMenu

from desktop.studio import THUMB_SIZE, StyleKey
from engine import PRESET_COUNT, PRESET_NAMES

from .drop_zone import dropped_paths

KEY_ROLE = Qt.ItemDataRole.UserRole
CELL = QSize(THUMB_SIZE[0] + 16, THUMB_SIZE[1] + 36)  # the thumbnail and two short lines of its name


def placeholder_icon() -> QIcon:
    pixmap = QPixmap(*THUMB_SIZE)
    pixmap.fill(QColor(70, 70, 76))
    return QIcon(pixmap)


class Gallery(QListWidget):
    paintings_dropped = Signal(list)  # [Path]
    rename_requested = Signal(str)  # style id
    remove_requested = Signal(str)
    order_changed = Signal(list)  # [style id] of the user's paintings, in their new order

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(*THUMB_SIZE))
        self.setGridSize(CELL)
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)  # a drop reorders rows (Snap would only move icons)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAcceptDrops(True)
        self.setWordWrap(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        for index in range(PRESET_COUNT):
            item = QListWidgetItem(placeholder_icon(), PRESET_NAMES[index])
            item.setData(KEY_ROLE, StyleKey.preset(index))
            item.setToolTip(f"Preset {index}: {PRESET_NAMES[index]}")
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            self.addItem(item)

    # -- contents -------------------------------------------------------------------------

    def set_preset_thumbnail(self, index: int, image: QImage) -> None:
        self.item(index).setIcon(QIcon(QPixmap.fromImage(image)))

    def presets_most_visible_first(self) -> list[int]:
        """Preset numbers, those in view first (the first launch scrolls to its preset)."""
        viewport = self.viewport().rect()
        visible = [i for i in range(PRESET_COUNT) if viewport.intersects(self.visualItemRect(self.item(i)))]
        return visible + [i for i in range(PRESET_COUNT) if i not in visible]

    def set_paintings(self, paintings: list[tuple[str, str, Path]]) -> None:
        """(style id, name, file) of every user painting, in order; keeps the selection."""
        selected = set(self.selected_keys())
        self.blockSignals(True)
        while self.count() > PRESET_COUNT:
            self.takeItem(PRESET_COUNT)
        for style_id, name, path in paintings:
            item = QListWidgetItem(_painting_icon(path), name)
            item.setData(KEY_ROLE, StyleKey.painting(style_id))
            item.setToolTip(f"{name}\nright-click to rename or remove; drag to reorder")
            self.addItem(item)
        for i in range(self.count()):
            self.item(i).setSelected(self.item(i).data(KEY_ROLE) in selected)
        self.blockSignals(False)
        self.itemSelectionChanged.emit()

    def selected_keys(self) -> list[StyleKey]:
        return [item.data(KEY_ROLE) for item in self.selectedItems()]

    def select_keys(self, keys) -> None:
        """Select ``keys``; when that changes the selection, bring the first selected into view
        (the first-launch preset or an undone choice may be far down the gallery)."""
        keys = set(keys)
        changed = keys != set(self.selected_keys())
        self.blockSignals(True)
        first = None
        for i in range(self.count()):
            item = self.item(i)
            item.setSelected(item.data(KEY_ROLE) in keys)
            if first is None and item.isSelected():
                first = item
        if changed and first is not None:
            self.setCurrentItem(first, QItemSelectionModel.SelectionFlag.NoUpdate)
            if not self.viewport().rect().contains(self.visualItemRect(first)):  # what is in sight stays put
                self.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtCenter)
        self.blockSignals(False)

    def set_single_selection(self, single: bool) -> None:
        """One style at a time (the Regions brush), or several to blend."""
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection if single
                              else QAbstractItemView.SelectionMode.ExtendedSelection)

    def label_of(self, key) -> str:
        for i in range(self.count()):
            if self.item(i).data(KEY_ROLE) == key:
                return self.item(i).text()
        return str(key)

    # -- drops, reordering, menu ----------------------------------------------------------

    def dragEnterEvent(self, event):
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):
        if dropped_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event):
        paths = dropped_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.paintings_dropped.emit(paths)
            return
        # An internal drag reorders the selected paintings; the library, not the view, owns the order.
        position = event.position().toPoint()
        target = self.itemAt(position)
        after = target is not None and position.x() > self.visualItemRect(target).center().x()
        self.order_changed.emit(self.reordered(target.data(KEY_ROLE) if target else None, after))
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()

    def reordered(self, target_key, after: bool) -> list[str]:
        """The paintings' order once the selected ones are dropped before (or after) ``target_key``."""
        order = [self.item(i).data(KEY_ROLE).painting_id for i in range(self.count())
                 if self.item(i).data(KEY_ROLE).kind == "painting"]
        moving = [key.painting_id for key in self.selected_keys() if key.kind == "painting"]
        rest = [style_id for style_id in order if style_id not in moving]
        if target_key is None or target_key.kind != "painting" or target_key.ident in moving:
            return rest + moving if target_key is None or target_key.kind == "painting" else moving + rest
        index = rest.index(target_key.ident) + (1 if after else 0)
        return rest[:index] + moving + rest[index:]

    def _context_menu(self, position):
        item = self.itemAt(position)
        if item is None or item.data(KEY_ROLE).kind != "painting":
            return
        style_id = item.data(KEY_ROLE).ident
        menu = QMenu(self)
        rename, remove = QAction("Rename…", menu), QAction("Remove from gallery", menu)
        rename.triggered.connect(lambda: self.rename_requested.emit(style_id))
        remove.triggered.connect(lambda: self.remove_requested.emit(style_id))
        menu.addActions([rename, remove])
        menu.exec(self.viewport().mapToGlobal(position))


def _painting_icon(path: Path) -> QIcon:
    image = QImage(str(path))
    if image.isNull():
        return placeholder_icon()
    # Read once when the library changes, never on a slider tick.
    return QIcon(QPixmap.fromImage(image.scaled(QSize(*THUMB_SIZE), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                                Qt.TransformationMode.SmoothTransformation)))
