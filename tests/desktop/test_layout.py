"""A stable, dockable layout: docks the artist arranges and finds again, a Window menu, a History."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.studio import AppSettings, StyleKey
from desktop.studio.settings import load_settings

from .conftest import open_window

PANELS = ["Photo and painting", "Styles (Ctrl-click several to blend)", "Look", "Regions", "History"]


def window_menu_actions(window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Window")
    return {a.text(): a for a in menu.actions() if a.text()}


def test_the_window_menu_shows_and_hides_every_panel_and_resets_the_layout(window):
    actions = window_menu_actions(window)
    assert set(PANELS) <= set(actions) and "&Reset the layout" in actions
    history = window.layout_docks.docks["history"]
    actions["History"].trigger()
    assert history.isHidden()
    window.layout_docks.docks["look"].setFloating(True)
    actions["&Reset the layout"].trigger()
    assert not history.isHidden() and not window.layout_docks.docks["look"].isFloating()


def test_the_layout_is_found_as_it_was_left_at_the_next_start(qtbot, app_paths, fake_engine):
    first = open_window(qtbot, app_paths, fake_engine)
    first.layout_docks.docks["history"].hide()
    first.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, first.layout_docks.docks["look"])
    first.close()
    saved = load_settings(app_paths.settings_file)
    assert saved.window_state
    second = open_window(qtbot, app_paths, fake_engine, saved)
    docks = second.layout_docks.docks
    assert docks["history"].isHidden()
    assert second.dockWidgetArea(docks["look"]) == Qt.DockWidgetArea.RightDockWidgetArea
    second.close()


def test_a_layout_from_nowhere_is_ignored(qtbot, app_paths, fake_engine):
    window = open_window(qtbot, app_paths, fake_engine, AppSettings(window_state="bm90IGEgbGF5b3V0"))
    assert not window.layout_docks.docks["look"].isHidden()
    window.close()


def test_choosing_a_blend_never_moves_the_gallery(window):
    gallery_before = window.gallery.geometry(), window.layout_docks.docks["styles"].geometry()
    window.studio.choose_styles([StyleKey.preset(2), StyleKey.preset(5), StyleKey.preset(7)])
    window.studio.choose_styles([StyleKey.preset(3)])
    window.studio.choose_styles([StyleKey.preset(2), StyleKey.preset(5)])
    assert (window.gallery.geometry(), window.layout_docks.docks["styles"].geometry()) == gallery_before


def test_the_history_lists_every_step_and_a_click_goes_back_to_one(window):
    window.studio.choose_styles([StyleKey.preset(5)])
    window.studio.choose_styles([StyleKey.preset(7)])
    history = window.history
    model = history.model()
    assert [model.index(row, 0).data() for row in range(model.rowCount())] == ["Start", "Choose style", "Choose style"]
    history.scrollTo(model.index(1, 0))
    QTest.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     history.visualRect(model.index(1, 0)).center())
    assert window.studio.state.style_keys == (StyleKey.preset(5),)


def test_leaving_regions_keeps_the_layout_and_the_panel_says_it_is_off(window):
    canvas_width = window.canvas.width()
    window.regions_action.setChecked(True)
    assert window.region_panel.mode_button.isChecked() and window.region_panel.paint_button.isEnabled()
    QTest.mouseClick(window.region_panel.mode_button, Qt.MouseButton.LeftButton)
    assert not window.regions_action.isChecked() and not window.region_panel.paint_button.isEnabled()
    assert window.canvas.width() == canvas_width


def test_an_export_s_whole_progress_is_read_at_1280_wide(window):
    from desktop.studio.export_runs import ExportProgress

    window.resize(1280, 800)
    window.timing_label.setText("preview 1200×800 in 0.42 s")
    progress = ExportProgress(0.36, 754, "street at night with a long name.mp4", "frame 31 of 48, 13.2 frames/s")
    window.studio.exports.export_changed.emit(progress)
    QTest.qWait(50)
    label = window.export_status.label
    assert label.fontMetrics().horizontalAdvance(progress.text) <= label.width(), progress.text
    assert window.export_status.cancel_button.isVisible()


def test_help_fits_the_screen_and_scrolls(window):
    from PySide6.QtWidgets import QDialog, QTextBrowser

    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(QDialog, "help")
    assert dialog is not None and dialog.isVisible()
    room = window.screen().availableGeometry()
    assert dialog.width() <= room.width() and dialog.height() <= room.height()
    text = dialog.findChild(QTextBrowser)
    assert "Ctrl+E" in text.toPlainText()
    if text.document().size().height() > text.viewport().height():
        assert text.verticalScrollBar().maximum() > 0, "what does not fit scrolls"
    dialog.close()


def test_the_zoom_is_shown_and_actual_size_is_centred(qtbot, window):
    window.activateWindow()
    canvas, button = window.canvas, window.zoom_button
    assert button.text().startswith("Fit (")
    canvas.set_zoom(3.0, anchor=canvas.rect().topLeft().toPointF())  # zoomed into a corner
    assert button.text() == "300%"
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert button.text() == "100%"
    picture = canvas.picture_rect()
    assert abs(picture.center().x() - canvas.width() / 2) < 1 and abs(picture.center().y() - canvas.height() / 2) < 1
    next(a for a in button.menu().actions() if a.text() == "200%").trigger()
    assert button.text() == "200%" and canvas.scale() == 2.0
    QTest.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert button.text().startswith("Fit (")


def test_the_before_and_after_labels_stay_in_sight_when_zoomed(qtbot, window):
    from PySide6.QtGui import QImage

    window.compare_action.setChecked(True)
    canvas = window.canvas
    canvas.set_zoom(8.0)
    labels = []
    original = canvas._paint_label
    canvas._paint_label = lambda painter, text, at: labels.append((text, at)) or original(painter, text, at)
    canvas.repaint()
    image = QImage(canvas.size(), QImage.Format.Format_RGB32)
    canvas.render(image)
    shown = {text: at for text, at in labels}
    assert set(shown) == {"before", "after"}
    for at in shown.values():
        assert 0 <= at.x() < canvas.width() and 0 <= at.y() < canvas.height()


def test_show_in_folder_says_where_the_file_is_when_no_file_manager_opens(window, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices, QGuiApplication

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: False))
    window.export_status.show_written("Exported out.png", tmp_path)
    QTest.mouseClick(window.export_status.folder_button, Qt.MouseButton.LeftButton)
    assert str(tmp_path) in window.export_status.label.text()
    assert QGuiApplication.clipboard().text() == str(tmp_path)


def test_an_old_error_banner_goes_when_a_photo_opens(window, tmp_path):
    from .helpers import drop_files, write_image

    bad = tmp_path / "letter.png"
    bad.write_bytes(b"not a picture")
    drop_files(window.content_zone, [bad])
    assert not window.banner.isHidden()
    drop_files(window.content_zone, [write_image(tmp_path / "fine.png")])
    assert window.banner.isHidden()


def test_the_advice_after_a_failed_write_names_only_what_can_apply():
    import errno
    from types import SimpleNamespace

    from desktop.studio.export_runs import advice
    from engine import ImageWriteError

    def failed(code):
        try:
            try:
                raise OSError(code, "nope")
            except OSError:
                raise ImageWriteError("could not write out.png") from None
        except ImageWriteError as exc:
            return SimpleNamespace(error=exc)

    assert "disk space" not in advice(failed(errno.EROFS)) and "cannot be written" in advice(failed(errno.EACCES))
    assert "disk space" in advice(failed(errno.ENOSPC)) and "cannot be written" not in advice(failed(errno.ENOSPC))


def test_the_single_letter_shortcuts_work_from_the_start(window):
    window.activateWindow()
    QTest.qWait(20)
    assert window.focusWidget() is window.canvas
    QTest.keyClick(window.focusWidget(), Qt.Key.Key_C)
    assert window.compare_action.isChecked()
    QTest.mouseClick(window.style_search, Qt.MouseButton.LeftButton)
    QTest.keyClicks(window.style_search, "c")  # typed into the search, not a shortcut
    assert window.style_search.text() == "c" and window.compare_action.isChecked()
