"""The style gallery: the 26 presets, then the artist's own paintings.

Select one style, or several (Ctrl/Shift-click) to blend them. Drop painting files on the
gallery to add them; drag a painting to reorder; right-click to rename or remove.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QImage, QImageReader, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QMenu

from desktop.studio import THUMB_SIZE, StyleKey
from engine import PRESET_COUNT, PRESET_NAMES

from .drop_zone import dropped_paths
from .style_cell import FAVOURITE_ROLE, LEARNED_ROLE, StyleCell

KEY_ROLE = Qt.ItemDataRole.UserRole
ITEMS_MIME = "application/x-qabstractitemmodeldatalist"  # what Qt's views drag among their items
MIN_CELL_SCALE = 0.6
MIN_CELL_WIDTH = 84  # px: two short lines of a name still fit
HOVER_SIDE = 320  # px: the painting shown when the pointer rests on it


def placeholder_icon() -> QIcon:
    pixmap = QPixmap(*THUMB_SIZE)
    pixmap.fill(QColor(70, 70, 76))
    return QIcon(pixmap)


class Gallery(QListWidget):
    paintings_dropped = Signal(list)  # [Path]
    rename_requested = Signal(str)  # style id
    remove_requested = Signal(str)
    order_changed = Signal(list)  # [style id] of the user's paintings, in their new order
    cell_scale_changed = Signal(float)
    favourite_toggled = Signal(object, bool)  # StyleKey, now a favourite
    learn_requested = Signal(str)  # style id
    forget_learned_requested = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        # A wrapping list, not Qt's icon mode: there a drag among the styles never reaches the drop
        # (seen with a real mouse); each cell draws its thumbnail above its name itself.
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(True)
        self._cell = StyleCell(QSize(*THUMB_SIZE), self)
        self.setItemDelegate(self._cell)
        self.cell_scale = 1.0
        self.set_cell_scale(1.0)
        self._search, self._favourites_only = "", False
        self._favourites: frozenset = frozenset()
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
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

    def set_cell_scale(self, scale: float) -> None:
        """Thumbnails smaller (to see more styles) or at their full size."""
        self.cell_scale = min(max(scale, MIN_CELL_SCALE), 1.0)
        icon = QSize(round(THUMB_SIZE[0] * self.cell_scale), round(THUMB_SIZE[1] * self.cell_scale))
        self._cell.icon_size = icon
        self.setIconSize(icon)
        self.setGridSize(QSize(max(icon.width() + 16, MIN_CELL_WIDTH), icon.height() + 34))  # two lines of the name
        self.cell_scale_changed.emit(self.cell_scale)

    def show_matching(self, text: str | None = None, favourites_only: bool | None = None) -> None:
        """Only the styles whose name holds ``text`` (any case), and only favourites if asked;
        what is not given stays as it was."""
        if text is not None:
            self._search = text.strip().casefold()
        if favourites_only is not None:
            self._favourites_only = favourites_only
        for i in range(self.count()):
            item = self.item(i)
            hidden = bool(self._search) and self._search not in item.text().casefold()
            item.setHidden(hidden or (self._favourites_only and not item.data(FAVOURITE_ROLE)))

    def set_favourites(self, keys) -> None:
        for i in range(self.count()):
            item = self.item(i)
            item.setData(FAVOURITE_ROLE, item.data(KEY_ROLE) in keys)
        self._favourites = frozenset(keys)
        self.show_matching()

    def set_preset_thumbnail(self, index: int, image: QImage) -> None:
        self.item(index).setIcon(QIcon(QPixmap.fromImage(image)))

    def presets_most_visible_first(self) -> list[int]:
        """Preset numbers, those in view first (the first launch scrolls to its preset)."""
        viewport = self.viewport().rect()
        visible = [i for i in range(PRESET_COUNT) if viewport.intersects(self.visualItemRect(self.item(i)))]
        return visible + [i for i in range(PRESET_COUNT) if i not in visible]

    def set_paintings(self, paintings: list[tuple[str, str, Path, bool]]) -> None:
        """(style id, name, file, learned) of every user painting, in order; keeps the selection."""
        selected = set(self.selected_keys())
        self.blockSignals(True)
        while self.count() > PRESET_COUNT:
            self.takeItem(PRESET_COUNT)
        for style_id, name, path, learned in paintings:
            item = QListWidgetItem(_painting_icon(path), name)
            item.setData(KEY_ROLE, StyleKey.painting(style_id))
            item.setData(LEARNED_ROLE, learned)
            item.setToolTip(_painting_tooltip(name, path, learned))
            item.setData(FAVOURITE_ROLE, item.data(KEY_ROLE) in self._favourites)
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
        if dropped_paths(event.mimeData()) or self._reordering(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event):
        # A painting dragged among the others: Qt would refuse a drop on another item (items take no
        # drops), so the gallery takes it itself, anywhere.
        if dropped_paths(event.mimeData()) or self._reordering(event):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def _reordering(self, event) -> bool:
        return (event.mimeData().hasFormat(ITEMS_MIME) and event.source() in (self, None)
                and any(key.kind == "painting" for key in self.selected_keys()))

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
        order = self.painting_order()
        moving = [key.painting_id for key in self.selected_keys() if key.kind == "painting"]
        rest = [style_id for style_id in order if style_id not in moving]
        if target_key is None or target_key.kind != "painting" or target_key.ident in moving:
            return rest + moving if target_key is None or target_key.kind == "painting" else moving + rest
        index = rest.index(target_key.ident) + (1 if after else 0)
        return rest[:index] + moving + rest[index:]

    def mousePressEvent(self, event):
        if event.button() == Qt.MouseButton.RightButton:
            return  # the menu opens on the painting; choosing it is a left click
        super().mousePressEvent(event)

    def wheelEvent(self, event):
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:  # Ctrl+wheel: the thumbnails' size
            self.set_cell_scale(self.cell_scale * (1.1 if event.angleDelta().y() > 0 else 1 / 1.1))
            event.accept()
            return
        super().wheelEvent(event)

    def _context_menu(self, position):
        item = self.itemAt(position)
        if item is not None:
            self.style_menu(item.data(KEY_ROLE)).exec(self.viewport().mapToGlobal(position))

    def style_menu(self, key: StyleKey) -> QMenu:
        """A preset's menu (favourite or not), or a painting's (with rename, move and remove)."""
        menu = self.painting_menu(key.painting_id) if key.kind == "painting" else QMenu(self)
        favourite = key in self._favourites
        star = QAction("Remove from favourites" if favourite else "Add to favourites", menu)
        star.triggered.connect(lambda: self.favourite_toggled.emit(key, not favourite))
        if menu.actions():
            menu.insertAction(menu.actions()[0], star)
        else:
            menu.addAction(star)
        return menu

    def painting_menu(self, style_id: str) -> QMenu:
        menu = QMenu(self)
        order = self.painting_order()
        place = order.index(style_id)
        menu.addAction("Rename…", lambda: self.rename_requested.emit(style_id))
        learned = any(self.item(i).data(LEARNED_ROLE) for i in range(self.count())
                      if self.item(i).data(KEY_ROLE) == StyleKey.painting(style_id))
        menu.addAction("Learn this style more…" if learned else "Learn this style…",
                       lambda: self.learn_requested.emit(style_id))
        if learned:
            menu.addAction("Forget the learned style", lambda: self.forget_learned_requested.emit(style_id))
        earlier = menu.addAction("Move earlier", lambda: self.order_changed.emit(_moved(order, place, -1)))
        later = menu.addAction("Move later", lambda: self.order_changed.emit(_moved(order, place, 1)))
        earlier.setEnabled(place > 0)
        later.setEnabled(place < len(order) - 1)
        menu.addSeparator()
        menu.addAction("Remove from gallery", lambda: self.remove_requested.emit(style_id))
        return menu

    def painting_order(self) -> list[str]:
        return [self.item(i).data(KEY_ROLE).painting_id for i in range(self.count())
                if self.item(i).data(KEY_ROLE).kind == "painting"]


def _moved(order: list[str], place: int, step: int) -> list[str]:
    moved = list(order)
    moved.insert(place + step, moved.pop(place))
    return moved


def _painting_tooltip(name: str, path: Path, learned: bool = False) -> str:
    """The painting itself, not only its thumbnail, when the pointer rests on it."""
    size = QImageReader(str(path)).size()
    scale = min(1.0, HOVER_SIDE / max(size.width(), size.height(), 1))
    picture = (f'<br><img src="{QUrl.fromLocalFile(str(path)).toString()}" width="{round(size.width() * scale)}" '
               f'height="{round(size.height() * scale)}">' if size.isValid() else "")
    state = ("<br>A style learned from it paints it (✦)." if learned else
             "<br>Right-click, Learn this style: a few minutes, then it paints closer to the painting.")
    return (f"<b>{html.escape(name)}</b>{picture}{state}<br>Right-click to rename, move or remove it; "
            "drag it to reorder")


def _painting_icon(path: Path) -> QIcon:
    image = QImage(str(path))
    if image.isNull():
        return placeholder_icon()
    # Read once when the library changes, never on a slider tick.
    return QIcon(QPixmap.fromImage(image.scaled(QSize(*THUMB_SIZE), Qt.AspectRatioMode.KeepAspectRatioByExpanding,
                                                Qt.TransformationMode.SmoothTransformation)))
