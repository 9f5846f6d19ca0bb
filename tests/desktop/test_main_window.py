"""The studio window, driven as an artist would, on a fake engine."""

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.app.startup import make_window
from desktop.studio import StyleKey
from desktop.studio.settings import AppSettings, load_settings
from desktop.studio.state import FIRST_LAUNCH_PRESET
from desktop.ui.widgets.gallery import KEY_ROLE
from engine.networks import PRESET_COUNT

from .helpers import drop_files, write_image


def test_first_launch_shows_the_stylised_sample(window):
    assert window.studio.state.content == "" and window.studio.state.style_keys == (("preset", FIRST_LAUNCH_PRESET),)
    assert window.canvas.after is not None and not window.canvas.after.isNull()
    assert "Fake device" in window.device_label.text()


def test_dropping_a_photo_opens_it(window, qtbot, tmp_path, fake_engine):
    photo = write_image(tmp_path / "holiday.png", size=(80, 60))
    drop_files(window.content_zone, [photo])
    assert window.studio.state.content == str(photo)
    qtbot.waitUntil(lambda: fake_engine.requests[-1].content.size == (80, 60) and not window.studio.live_preview.rendering)


def test_a_bad_file_gives_a_message_and_keeps_the_photo(window, tmp_path):
    bad = tmp_path / "letter.png"
    bad.write_text("Dear artist, this is not a picture.")
    before = window.studio.state
    drop_files(window.content_zone, [bad])
    assert not window.banner.isHidden() and "letter.png" in window.banner.text()
    assert "Traceback" not in window.banner.text()
    assert window.studio.state == before


def test_a_dropped_folder_opens_as_a_batch(window, tmp_path):
    folder = tmp_path / "shoot"
    folder.mkdir()
    for name in ("a.png", "b.png", "c.png"):
        write_image(folder / name)
    drop_files(window.content_zone, [folder])
    assert [p.name for p in window.studio.content.batch] == ["a.png", "b.png", "c.png"]
    assert window.studio.state.content == str(folder / "a.png")


def test_dropping_a_painting_adds_it_and_uses_it(window, tmp_path):
    painting = write_image(tmp_path / "starry_sky.jpg", colour=(20, 40, 160))
    drop_files(window.style_zone, [painting])
    assert [s.name for s in window.studio.library.styles] == ["starry sky"]
    assert window.studio.state.style_kind == "painting"


def test_gallery_rename_remove_reorder_persist_across_restart(qtbot, app_paths, fake_engine, tmp_path):
    first = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(first)
    drop_files(first.gallery, [write_image(tmp_path / "one.png"), write_image(tmp_path / "two.png"),
                               write_image(tmp_path / "three.png")])
    ids = [s.style_id for s in first.studio.library.styles]
    first.studio.library.rename(ids[0], "Monet-ish")
    first.studio.library.move(ids[2], 0)
    first.studio.remove_painting(ids[1])
    first.close()

    second = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(second)
    assert [s.name for s in second.studio.library.styles] == ["three", "Monet-ish"]
    labels = [second.gallery.item(i).text() for i in range(second.gallery.count())]
    assert labels[-2:] == ["three", "Monet-ish"]
    second.close()


def test_selecting_two_presets_blends_them_with_weights(window, qtbot, fake_engine):
    window.gallery.item(2).setSelected(True)
    window.gallery.item(5).setSelected(True)
    assert {k for k in window.studio.state.style_keys} >= {StyleKey.preset(2), StyleKey.preset(5)}
    assert not window.blend_panel.isHidden()
    qtbot.waitUntil(lambda: not window.studio.live_preview.rendering)
    assert set(fake_engine.requests[-1].style.presets) >= {2, 5}


def test_newest_request_wins_and_stale_results_are_dropped(window, qtbot, fake_engine):
    from desktop.ui.widgets.controls import position_to_stroke

    start = len(fake_engine.requests)
    fake_engine.gate.clear()
    fake_engine.started.clear()
    window.controls.stroke.setValue(40)  # request A starts and blocks
    qtbot.waitUntil(fake_engine.started.is_set)
    window.controls.stroke.setValue(50)  # B waits in the slot (A is cancelled through its token)...
    window.controls.stroke.setValue(60)  # ...and C replaces B
    fake_engine.gate.set()
    qtbot.waitUntil(lambda: not window.studio.live_preview.rendering)
    strokes = [r.settings.stroke for r in fake_engine.requests[start:]]
    assert strokes == [position_to_stroke(40), position_to_stroke(60)]  # B never ran
    assert window.studio.live_preview.frame.request_id == fake_engine.rendered_ids[-1] == fake_engine.requests[-1].request_id


def test_undo_and_redo_settings(window):
    window.controls.strength.setValue(30)
    window.controls.colour.setCurrentIndex(window.controls.colour.findData("photo"))
    assert window.studio.state.settings.strength == 0.3 and window.studio.state.settings.colour == "photo"
    window.studio.core.undo_stack.undo()
    assert window.studio.state.settings.colour == "painting" and window.controls.colour.currentData() == "painting"
    window.studio.core.undo_stack.undo()
    assert window.studio.state.settings.strength == 1.0 and window.controls.strength.value() == 100
    window.studio.core.undo_stack.redo()
    assert window.studio.state.settings.strength == 0.3


def test_export_writes_the_picture(window, qtbot, tmp_path):
    target = tmp_path / "out.png"
    assert window.studio.exports.export_to(target)
    qtbot.waitUntil(lambda: target.exists() and not window.studio.exports.busy)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("out")] == ["out.png"]


def test_export_tells_what_the_engine_noted(window, qtbot, tmp_path, fake_engine):
    fake_engine.notes = ("out of memory: high quality optimised at 1536 px instead, then enlarged",)
    target = tmp_path / "noted.png"
    assert window.studio.exports.export_to(target)
    qtbot.waitUntil(lambda: target.exists() and not window.studio.exports.busy)
    message = window.export_status.label.text()
    assert "noted.png" in message and "optimised at 1536 px" in message


def test_export_never_overwrites_without_asking(window, tmp_path):
    target = tmp_path / "mine.png"
    target.write_bytes(b"the original")
    assert not window.studio.exports.export_to(target)
    assert target.read_bytes() == b"the original" and "already exists" in window.banner.text()


def test_cancelled_export_leaves_no_file(window, qtbot, fake_engine, tmp_path):
    target = tmp_path / "big.png"
    fake_engine.gate.clear()
    fake_engine.started.clear()
    window.studio.exports.export_to(target)
    qtbot.waitUntil(fake_engine.started.is_set)
    window.export_status.cancel_button.click()
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    fake_engine.gate.set()
    assert list(tmp_path.glob("big*")) == [] and list(tmp_path.glob(".big*")) == []


def test_settings_and_geometry_are_remembered(qtbot, app_paths, fake_engine):
    first = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(first)
    first.controls.strength.setValue(70)
    first.close()
    saved = load_settings(app_paths.settings_file)
    assert saved.render.strength == 0.7 and saved.window_geometry
    second = make_window(app_paths, saved, engine_factory=lambda: fake_engine)
    qtbot.addWidget(second)
    assert second.controls.strength.value() == 70
    second.close()


def test_bad_settings_fall_back_to_defaults(app_paths):
    app_paths.root.mkdir(parents=True)
    app_paths.settings_file.write_text('{"schema": 1, "preview_long_side": "huge", "render": {"strength": 7}}')
    settings = load_settings(app_paths.settings_file)
    assert settings.preview_long_side == AppSettings().preview_long_side and settings.render.strength == 1.0


def test_closing_during_a_render_joins_the_thread(qtbot, app_paths, fake_engine):
    win = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(win)
    fake_engine.gate.clear()
    win.controls.strength.setValue(20)
    qtbot.waitUntil(fake_engine.started.is_set)
    win.close()
    assert not win.studio.render_thread.isRunning()


def test_paths_stay_in_app_data(app_paths, window, tmp_path):
    drop_files(window.style_zone, [write_image(tmp_path / "p.png")])
    assert all(Path(window.studio.library.path(s)).is_relative_to(app_paths.root) for s in window.studio.library.styles)


def test_pasting_an_image_from_the_clipboard_opens_it(window, qtbot, fake_engine):
    from PySide6.QtGui import QColor, QGuiApplication, QImage

    image = QImage(70, 50, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 200, 30))
    QGuiApplication.clipboard().setImage(image)
    window.paste()
    assert window.studio.state.content.startswith("clipboard:")
    qtbot.waitUntil(lambda: fake_engine.requests[-1].content.size == (70, 50) and not window.studio.live_preview.rendering)


def test_mixing_a_preset_and_a_painting_asks_for_one_kind(window, tmp_path):
    drop_files(window.style_zone, [write_image(tmp_path / "p.png")])
    window.gallery.item(3).setSelected(True)  # add a preset to the painting
    assert window.studio.state.style_kind is None
    assert "Blend presets with presets" in window.banner.text()


def test_dragging_a_painting_reorders_the_gallery(window, tmp_path):
    drop_files(window.gallery, [write_image(tmp_path / f"{n}.png") for n in ("one", "two", "three")])
    ids = [s.style_id for s in window.studio.library.styles]
    window.gallery.select_keys([StyleKey.painting(ids[0])])
    window.gallery.order_changed.emit(window.gallery.reordered(StyleKey.painting(ids[2]), after=True))
    assert [s.name for s in window.studio.library.styles] == ["two", "three", "one"]
    labels = [window.gallery.item(i).text() for i in range(window.gallery.count())]
    assert labels[-3:] == ["two", "three", "one"]


def test_compare_button_and_shortcut_agree(window):
    window.compare_button.click()
    assert window.canvas.comparing and window.compare_action.isChecked()
    window.compare_action.trigger()
    assert not window.canvas.comparing and not window.compare_button.isChecked()


def test_export_button_opens_the_save_dialog(window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "from_button.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PNG (*.png)"))
    window.export_button.click()
    assert window.studio.exports.busy or target.exists()


def test_the_chosen_style_is_scrolled_into_view(window, qtbot):
    gallery = window.gallery
    gallery.scrollToTop()
    last_preset = StyleKey.preset(PRESET_COUNT - 1)
    window.studio.core.change(window.studio.state.with_styles([last_preset]), True, "Choose style")
    item = next(gallery.item(i) for i in range(gallery.count()) if gallery.item(i).data(KEY_ROLE) == last_preset)
    qtbot.waitUntil(lambda: gallery.viewport().rect().intersects(gallery.visualItemRect(item)), timeout=3000)


def test_settings_from_before_the_colour_modes_keep_the_photos_colours(app_paths):
    app_paths.root.mkdir(parents=True)
    app_paths.settings_file.write_text('{"schema": 1, "render": {"preserve_colors": true, "strength": 0.5}}')
    settings = load_settings(app_paths.settings_file)
    assert settings.render.colour == "photo" and settings.render.strength == 0.5


def test_quitting_with_unsaved_work_asks_and_cancel_keeps_the_window(window, monkeypatch, tmp_path):
    window.studio.choose_styles([StyleKey.preset(5)])
    asked = []
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda *_: asked.append("asked") or "cancel")
    window.close()
    assert asked and window.isVisible()
    target = tmp_path / "work.impasto"  # "Save": the session dialog's answer is saved, then the window closes
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda *_: "save")
    window.close()
    assert target.exists() and not window.isVisible()


def test_a_save_that_is_cancelled_keeps_the_window_open(window, monkeypatch):
    window.studio.choose_styles([StyleKey.preset(5)])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: ("", "")))
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda *_: "save")
    window.close()
    assert window.isVisible()
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda *_: "discard")  # the fixture closes it


def test_quitting_asks_nothing_when_the_work_is_saved(window, monkeypatch, tmp_path):
    window.studio.choose_styles([StyleKey.preset(5)])
    assert window.studio.sessions.save(tmp_path / "work.impasto")
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda *_: pytest.fail("asked although nothing is unsaved"))
    window.close()
    assert not window.isVisible()


def test_opening_another_session_over_unsaved_work_asks_first(window, monkeypatch, tmp_path):
    window.studio.choose_styles([StyleKey.preset(5)])
    saved = tmp_path / "other.impasto"
    assert window.studio.sessions.save(saved)
    window.studio.choose_styles([StyleKey.preset(7)])
    asked = []
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda before: asked.append(before) or "cancel")
    window.open_session(saved)
    assert asked == ["opening another session"] and window.studio.state.style_keys == (StyleKey.preset(7),)
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda before: "discard")
    window.open_session(saved)
    assert window.studio.state.style_keys == (StyleKey.preset(5),)


def test_a_new_photo_asks_only_when_unsaved_regions_are_in_the_work(window, monkeypatch, tmp_path):
    from .test_recovery import paint_a_region

    asked = []
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda before: asked.append(before) or "cancel")
    window.studio.choose_styles([StyleKey.preset(5)])  # the look goes on with the new photo: nothing to ask
    first = write_image(tmp_path / "first.png")
    drop_files(window.content_zone, [first])
    assert window.studio.state.content == str(first) and asked == []
    paint_a_region(window)
    drop_files(window.content_zone, [write_image(tmp_path / "second.png")])
    assert asked == ["opening another photo"] and window.studio.state.content == str(first)
    monkeypatch.setattr(window, "ask_about_unsaved_work", lambda before: "discard")  # the fixture closes it
