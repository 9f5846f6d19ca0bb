"""What an artist is told and sees (issue 11, items 6, 8 and 9): refused pictures, failed
exports, batches, progress, actual size, the first launch and what is remembered."""

import threading
from pathlib import Path

from PySide6.QtCore import QUrl

from desktop.studio import StyleKey
from desktop.ui.menus import HELP_TEXT
from engine import PRESET_NAMES

from .conftest import drag, open_window
from .helpers import drop_files, write_image


def _settled(qtbot, window):
    qtbot.waitUntil(lambda: not window.studio.live_preview.rendering and window.studio.render_thread.scheduler.idle)


# -- 6. every problem becomes a banner; the window keeps working -------------------------------

def test_a_tiny_photo_is_refused_with_a_message(window, tmp_path):
    before = window.studio.state
    drop_files(window.content_zone, [write_image(tmp_path / "speck.png", size=(12, 40))])
    assert "speck.png" in window.banner.text() and "too small" in window.banner.text()
    assert window.studio.state == before


def test_a_thin_painting_is_refused_on_drop(window, tmp_path):
    drop_files(window.style_zone, [write_image(tmp_path / "ribbon.png", size=(5000, 20))])
    assert "ribbon.png" in window.banner.text() and "crop it first" in window.banner.text()
    assert window.studio.library.styles == [] and window.studio.state.style_kind == "preset"


def test_a_folder_on_the_painting_well_adds_its_paintings_and_says_what_it_skipped(window, tmp_path):
    folder = tmp_path / "paintings"
    folder.mkdir()
    write_image(folder / "sky.png")
    write_image(folder / "sea.jpg")
    (folder / "notes.txt").write_text("not a painting")
    drop_files(window.style_zone, [folder])
    assert sorted(s.name for s in window.studio.library.styles) == ["sea", "sky"]
    assert "notes.txt" in window.banner.text()
    assert window.studio.state.style_kind == "painting" and len(window.studio.state.style_keys) == 2


def test_an_empty_folder_on_the_painting_well_says_why_nothing_was_added(window, tmp_path):
    (tmp_path / "empty").mkdir()
    drop_files(window.style_zone, [tmp_path / "empty"])
    assert "no pictures" in window.banner.text() and window.studio.library.styles == []


def test_an_export_into_an_unwritable_folder_leaves_the_window_working(window, qtbot, tmp_path):
    assert window.studio.exports.export_to(Path("/proc/impasto/out.png"))
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    assert "out.png" in window.banner.text() and "Choose another folder" in window.banner.text()
    assert window.studio.exports.export_to(tmp_path / "fine.png")  # Export works on
    qtbot.waitUntil(lambda: (tmp_path / "fine.png").exists() and not window.studio.exports.busy)


def test_out_of_memory_in_a_preview_becomes_a_banner(window, qtbot, fake_engine, monkeypatch):
    from engine import OutOfMemoryError

    def no_memory(request, token=None):
        raise OutOfMemoryError("not enough memory to render chelsea.png; choose a larger stroke size")

    with monkeypatch.context() as patch:
        patch.setattr(fake_engine, "render", no_memory)
        window.controls.stroke.setValue(20)
        _settled(qtbot, window)
        assert "chelsea.png" in window.banner.text() and "larger stroke size" in window.banner.text()
    window.controls.stroke.setValue(25)  # the next preview works
    _settled(qtbot, window)
    assert window.studio.live_preview.frame.request_id == fake_engine.requests[-1].request_id


# -- 8. feedback ------------------------------------------------------------------------

def test_a_preview_on_its_way_is_shown_as_such(window, qtbot, fake_engine):
    fake_engine.gate.clear()
    window.controls.stroke.setValue(30)
    assert window.canvas.busy
    fake_engine.gate.set()
    qtbot.waitUntil(lambda: not window.canvas.busy)


def test_export_progress_estimates_the_time_left_and_cancel_returns_to_the_preview(window, qtbot, fake_engine,
                                                                                    tmp_path):
    shown = window.canvas.after
    fake_engine.gate.clear()
    fake_engine.started.clear()
    window.studio.exports.export_to(tmp_path / "long.png")
    qtbot.waitUntil(lambda: "left" in window.export_status.label.text())
    assert window.export_status.cancel_button.isVisible() and "long.png" in window.export_status.label.text()
    window.export_status.cancel_button.click()
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    fake_engine.gate.set()
    assert not (tmp_path / "long.png").exists()
    assert "cancelled" in window.statusBar().currentMessage() and not window.export_status.cancel_button.isVisible()
    assert window.canvas.after is not None and window.canvas.after.cacheKey() != 0 and shown is not None


def test_an_export_names_the_full_path_and_shows_its_folder(window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    target = tmp_path / "art.png"
    window.studio.exports.export_to(target)
    qtbot.waitUntil(lambda: target.exists() and not window.studio.exports.busy)
    assert str(target) in window.export_status.label.text() and window.export_status.folder_button.isVisible()
    window.export_status.folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]


def test_a_batch_decodes_its_photos_on_the_render_thread(window, qtbot, tmp_path, monkeypatch):
    import desktop.jobs.export_work

    folder, out = tmp_path / "shoot", tmp_path / "out"
    folder.mkdir()
    out.mkdir()
    for name in ("a.png", "b.png"):
        write_image(folder / name)
    (folder / "c.png").write_text("broken")
    threads = []
    original = desktop.jobs.export_work.load_picture
    monkeypatch.setattr(desktop.jobs.export_work, "load_picture",
                        lambda *a: (threads.append(threading.current_thread()), original(*a))[1])
    drop_files(window.content_zone, [folder])
    window.studio.exports.export_batch(out)
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    assert sorted(p.name for p in out.iterdir()) == ["a_impasto.png", "b_impasto.png"]
    assert len(threads) == 3 and threading.main_thread() not in threads
    assert "c.png" in window.banner.text()


def test_actual_size_renders_the_visible_area_at_its_real_pixels(window, qtbot, tmp_path, fake_engine):
    drop_files(window.canvas, [write_image(tmp_path / "large.png", size=(2400, 1600))])  # drops on the preview work
    assert window.studio.state.content.endswith("large.png")
    _settled(qtbot, window)
    window.canvas.actual_size()
    qtbot.waitUntil(lambda: window.canvas.detail is not None)
    detail = fake_engine.requests[-1]
    region = window.canvas.visible_region()
    assert detail.settings.output_long_side is None and detail.content.size == region[2:]
    assert window.canvas.scale() == 1.0


def test_the_title_names_the_photo_and_help_explains_the_controls(window, tmp_path):
    assert window.windowTitle().startswith("chelsea.png")
    drop_files(window.content_zone, [write_image(tmp_path / "harbour.png")])
    assert window.windowTitle().startswith("harbour.png")
    for words in ("Ctrl+1", "Ctrl+E", "Stroke size", "Native", "brush strokes"):
        assert words in HELP_TEXT


def test_the_chosen_style_and_blend_are_remembered_across_restarts(qtbot, app_paths, fake_engine):
    from desktop.studio.settings import load_settings

    first = open_window(qtbot, app_paths, fake_engine)
    first.gallery.clearSelection()
    first.gallery.item(4).setSelected(True)
    first.gallery.item(7).setSelected(True)
    drag(first.blend_panel._sliders[StyleKey.preset(7)], [30])
    first.close()
    second = open_window(qtbot, app_paths, fake_engine, load_settings(app_paths.settings_file))
    assert second.studio.state.style_keys == (StyleKey.preset(4), StyleKey.preset(7))
    assert second.studio.state.weights == (1.0, 0.3)
    second.close()


# -- 9. first launch and the gallery --------------------------------------------------------

def test_first_launch_shows_the_photo_at_once_then_its_painted_version(qtbot, app_paths, fake_engine):
    from desktop.app.startup import make_window
    from desktop.studio.settings import AppSettings

    fake_engine.gate.clear()
    window = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(window)
    assert window.canvas.before is not None and window.canvas.after is None  # the photo, before any render
    fake_engine.gate.set()
    qtbot.waitUntil(lambda: window.canvas.after is not None)
    window.close()


def test_thumbnails_are_cached_so_a_second_launch_renders_none(qtbot, app_paths, fake_engine):
    first = open_window(qtbot, app_paths, fake_engine)
    first.close()
    start = len(fake_engine.requests)
    second = open_window(qtbot, app_paths, fake_engine)
    thumbnails = [r for r in fake_engine.requests[start:] if r.settings.output_long_side == 168]
    assert thumbnails == [] and not second.gallery.item(0).icon().isNull()
    second.close()


def test_presets_have_names_and_the_painting_well_follows_the_choice(window, tmp_path):
    assert window.gallery.item(3).text() == PRESET_NAMES[3] and "Preset 3" in window.gallery.item(3).toolTip()
    drop_files(window.style_zone, [write_image(tmp_path / "monet.png")])
    assert window.style_zone._caption.full_text == "monet"
    window.gallery.clearSelection()
    window.gallery.item(16).setSelected(True)
    assert window.style_zone._image.pixmap().isNull() and PRESET_NAMES[16] in window.style_zone._caption.full_text


def test_the_gallery_shows_at_least_three_rows_at_1280_by_800(window):
    window.resize(1280, 800)  # the test screen is smaller: the first layout, as a 1280x800 screen shows it
    window.layout_docks.reset()
    gallery = window.gallery
    gallery.scrollToTop()  # rows in whole: how many fit, wherever the artist scrolled to
    rows = {gallery.visualItemRect(gallery.item(i)).top() for i in range(gallery.count())
            if gallery.viewport().rect().contains(gallery.visualItemRect(gallery.item(i)))}
    assert len(rows) >= 3
