"""A gallery an artist browses: names read whole, a search, a size, the painting on hover, a menu
that moves paintings, and a right-click that does not pick what it opens the menu on."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from desktop.studio import StyleKey
from desktop.ui.widgets.style_cell import name_lines

from .helpers import drop_files, write_image


def test_names_take_two_lines_of_whole_words_and_are_cut_at_their_end(qapp):
    metrics = QFontMetrics(QFont())
    width = metrics.horizontalAdvance("Lavender field")
    assert name_lines("Lavender field", metrics, width) == ["Lavender field"]
    lines = name_lines("Lavender field at dusk over the hills", metrics, width)
    assert lines[0] == "Lavender field" and len(lines) == 2 and lines[1].endswith("…")
    assert lines[1].startswith("at")
    long_word = name_lines("Supercalifragilisticexpialidocious", metrics, width)
    assert len(long_word) == 1 and long_word[0].endswith("…") and long_word[0].startswith("Supercali")
    assert name_lines("", metrics, width) == []


def add_paintings(window, tmp_path, names):
    drop_files(window.gallery, [write_image(tmp_path / f"{name}.png") for name in names])
    return [s.style_id for s in window.studio.library.styles]


def item_of(gallery, key):
    return next(gallery.item(i) for i in range(gallery.count()) if gallery.item(i).data(Qt.ItemDataRole.UserRole) == key)


def test_the_menu_moves_a_painting_earlier_and_later(window, tmp_path):
    ids = add_paintings(window, tmp_path, ["one", "two", "three"])
    menu = window.gallery.painting_menu(ids[0])
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert not actions["Move earlier"].isEnabled()
    actions["Move later"].trigger()
    assert [s.name for s in window.studio.library.styles] == ["two", "one", "three"]
    later = {a.text(): a for a in window.gallery.painting_menu(ids[2]).actions() if a.text()}
    assert not later["Move later"].isEnabled()
    later["Move earlier"].trigger()
    assert [s.name for s in window.studio.library.styles] == ["two", "three", "one"]


def test_a_right_click_does_not_choose_the_painting_it_opens_the_menu_on(window, tmp_path, monkeypatch):
    ids = add_paintings(window, tmp_path, ["one", "two"])
    window.studio.choose_styles([StyleKey.preset(3)])
    gallery = window.gallery
    item = item_of(gallery, StyleKey.painting(ids[1]))
    gallery.scrollToItem(item)
    opened = []
    monkeypatch.setattr(gallery, "style_menu", lambda key: opened.append(key.ident) or _NoMenu())
    centre = gallery.visualItemRect(item).center()
    QTest.mousePress(gallery.viewport(), Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, centre)
    gallery.customContextMenuRequested.emit(centre)  # what the platform sends with the right button
    QTest.mouseRelease(gallery.viewport(), Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, centre)
    assert opened == [ids[1]]
    assert window.studio.state.style_keys == (StyleKey.preset(3),)


class _NoMenu:
    def exec(self, *_):
        return None


def test_a_search_shows_only_the_styles_it_names(window):
    search = window.findChild(QLineEdit)
    assert search is window.style_search
    QTest.keyClicks(search, "ink")
    shown = [window.gallery.item(i).text() for i in range(window.gallery.count()) if not window.gallery.item(i).isHidden()]
    assert shown and all("ink" in name.lower() for name in shown)
    search.clear()
    assert not any(window.gallery.item(i).isHidden() for i in range(window.gallery.count()))


def test_ctrl_wheel_and_the_slider_size_the_thumbnails(window):
    gallery = window.gallery
    full = gallery.iconSize()
    window.cell_size.setValue(70)
    assert gallery.iconSize().width() < full.width() and gallery.cell_scale == 0.7
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(gallery.viewport().rect().center())
    wheel = QWheelEvent(centre, gallery.viewport().mapToGlobal(centre), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(gallery.viewport(), wheel)
    assert gallery.cell_scale > 0.7 and window.cell_size.value() == round(gallery.cell_scale * 100)


def test_a_painting_shows_itself_on_hover_and_a_new_name_reaches_the_well(window, tmp_path):
    ids = add_paintings(window, tmp_path, ["monet"])
    item = item_of(window.gallery, StyleKey.painting(ids[0]))
    assert "<img src=" in item.toolTip() and "monet" in item.toolTip()
    window.studio.choose_styles([StyleKey.painting(ids[0])])
    window.studio.rename_painting(ids[0], "Water lilies")
    assert window.style_zone._caption.full_text == "Water lilies"


def test_a_painting_dragged_onto_another_is_taken_and_reorders(window, tmp_path):
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    ids = add_paintings(window, tmp_path, ["one", "two", "three"])
    gallery = window.gallery
    gallery.select_keys([StyleKey.painting(ids[0])])
    mime = gallery.mimeData(gallery.selectedItems())
    target = item_of(gallery, StyleKey.painting(ids[2]))
    gallery.scrollToItem(target)
    rect = gallery.visualItemRect(target)
    at = QPointF(rect.center().x() + rect.width() / 4, rect.center().y())  # onto it, right of its middle
    move = Qt.DropAction.MoveAction
    for kind in (QDragEnterEvent, QDragMoveEvent):
        event = kind(at.toPoint(), move, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(gallery.viewport(), event)
        assert event.isAccepted(), kind.__name__
    QApplication.sendEvent(gallery.viewport(), QDropEvent(at, move, mime, Qt.MouseButton.LeftButton,
                                                          Qt.KeyboardModifier.NoModifier))
    assert [s.name for s in window.studio.library.styles] == ["two", "three", "one"]


def test_favourites_are_starred_shown_alone_and_kept(qtbot, app_paths, fake_engine, tmp_path):
    from desktop.studio.settings import load_settings
    from desktop.ui.widgets.style_cell import FAVOURITE_ROLE

    from .conftest import open_window

    window = open_window(qtbot, app_paths, fake_engine)
    ids = add_paintings(window, tmp_path, ["monet"])
    for key in (StyleKey.preset(7), StyleKey.painting(ids[0])):
        star = next(a for a in window.gallery.style_menu(key).actions() if a.text() == "Add to favourites")
        star.trigger()
    assert item_of(window.gallery, StyleKey.preset(7)).data(FAVOURITE_ROLE)
    QTest.mouseClick(window.favourites_only, Qt.MouseButton.LeftButton)
    shown = [window.gallery.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.gallery.count())
             if not window.gallery.item(i).isHidden()]
    assert shown == [StyleKey.preset(7), StyleKey.painting(ids[0])]
    window.close()
    again = open_window(qtbot, app_paths, fake_engine, load_settings(app_paths.settings_file))
    assert again.studio.favourites == {StyleKey.preset(7), StyleKey.painting(ids[0])}
    unstar = next(a for a in again.gallery.style_menu(StyleKey.preset(7)).actions() if a.text() == "Remove from favourites")
    unstar.trigger()
    assert not item_of(again.gallery, StyleKey.preset(7)).data(FAVOURITE_ROLE)
    again.close()
