"""The window's panels as docks an artist arranges: moved, tabbed, floated, hidden, and found as
they were left at the next start; the Window menu shows each and puts the first layout back."""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QWidget

LAYOUT_VERSION = 1  # a layout saved by another version is not restored (its docks may differ)
LEFT, RIGHT, BOTTOM = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea,
                       Qt.DockWidgetArea.BottomDockWidgetArea)
LEFT_WIDTH = 440
RIGHT_WIDTH = 270


class DockLayout:
    """The docks of ``window``, and its first layout to go back to."""

    def __init__(self, window: QMainWindow):
        self._window = window
        self.docks: dict[str, QDockWidget] = {}
        self._first: QByteArray | None = None
        self._follow_the_work: set[str] = set()  # shown by what is open (a clip's timeline), not by the layout

    def add(self, name: str, title: str, widget: QWidget, area: Qt.DockWidgetArea,
            follows_the_work: bool = False) -> QDockWidget:
        dock = QDockWidget(title, self._window)
        dock.setObjectName(name)  # saveState finds the dock by it
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self._window.addDockWidget(area, dock)
        self.docks[name] = dock
        if follows_the_work:
            self._follow_the_work.add(name)
        return dock

    def settle(self, left: list[str], right: list[str]) -> None:
        """The first layout, once every dock is added: the columns' widths, kept to reset to."""
        docks = self.docks
        self._window.resizeDocks([docks[left[0]], docks[right[0]]], [LEFT_WIDTH, RIGHT_WIDTH],
                                 Qt.Orientation.Horizontal)
        self._first = self._window.saveState(LAYOUT_VERSION)

    def restore(self, saved: str) -> bool:
        """The layout the artist left (base64 of saveState); False if there is none or it is not ours."""
        if not saved:
            return False
        with self._work_kept():
            return self._window.restoreState(QByteArray.fromBase64(saved.encode()), LAYOUT_VERSION)

    def saved(self) -> str:
        return bytes(self._window.saveState(LAYOUT_VERSION).toBase64().data()).decode()

    def reset(self) -> None:
        if self._first is not None:
            with self._work_kept():
                self._window.restoreState(self._first, LAYOUT_VERSION)
            for dock in self.docks.values():
                dock.setFloating(False)

    @contextlib.contextmanager
    def _work_kept(self):
        """The docks that follow the work stay shown or hidden as they are."""
        shown = {name: self.docks[name].isVisibleTo(self._window) for name in self._follow_the_work}
        try:
            yield
        finally:
            for name, visible in shown.items():
                self.docks[name].setVisible(visible)

    def fill_menu(self, menu: QMenu, listed: list[str]) -> None:
        for name in listed:
            menu.addAction(self.docks[name].toggleViewAction())
        menu.addSeparator()
        menu.addAction("&Reset the layout", self.reset)
