"""Sessions in the window: File > Save session and Open session, the recent ones, and a banner
(with nothing changed) for every session that cannot be opened."""

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from desktop.studio import PHOTO_STYLE, StyleKey
from desktop.studio.settings import load_settings

from .helpers import drop_files, write_image
from .test_regions_studio import paint, settled
from .test_sessions import bad_files


def worked_on(window, tmp_path) -> None:
    """A photo, a painting as the style, a preset region and a photo region, and a few settings."""
    drop_files(window.content_zone, [write_image(tmp_path / "holiday.png", size=(160, 100))])
    drop_files(window.style_zone, [write_image(tmp_path / "starry.png", colour=(20, 40, 160))])
    paint(window, [(0.2, 0.2), (0.8, 0.2)])
    paint(window, [(0.5, 0.8)], style=PHOTO_STYLE)
    window.region_panel.snap.setChecked(True)
    window.controls.colour.setCurrentIndex(window.controls.colour.findData("palette"))


def test_save_then_open_gives_the_same_state_and_undo_returns(window, qtbot, tmp_path, fake_engine):
    worked_on(window, tmp_path)
    studio = window.studio
    kept = studio.state
    target = tmp_path / "work.impasto"
    assert studio.sessions.save(target) and target.exists()
    window.studio.region_editor.clear_all()
    window.gallery.item(2).setSelected(True)
    window.regions_action.setChecked(False)
    drop_files(window.content_zone, [write_image(tmp_path / "other.png", size=(90, 90))])
    before_open = studio.state
    assert studio.sessions.open(target)
    assert studio.state == kept
    settled(qtbot, window)
    request = fake_engine.requests[-1]
    assert request.content.size == (160, 100) and len(request.regions) == 2 and request.settings.colour == "palette"
    studio.core.undo_stack.undo()
    assert studio.state == before_open


def test_the_menu_saves_and_opens_and_remembers_recent_sessions(window, tmp_path, monkeypatch, app_paths):
    worked_on(window, tmp_path)
    chosen = tmp_path / "from-menu"  # no suffix: the dialog's name gets one
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(chosen), ""))
    save = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "&Save session…")
    save.trigger()
    target = chosen.with_name("from-menu.impasto")
    assert target.exists()
    assert [a.text() for a in window.recent_menu.actions()] == ["from-menu.impasto"]
    kept = window.studio.state
    window.studio.region_editor.clear_all()
    window.recent_menu.actions()[0].trigger()
    assert window.studio.state == kept
    window.close()
    assert load_settings(app_paths.settings_file).recent_sessions == [str(target)]


def test_every_bad_session_gives_a_banner_and_changes_nothing(window, tmp_path):
    worked_on(window, tmp_path)
    library_photo = Path(window.studio.state.content)
    good = tmp_path / "good.impasto"
    window.studio.sessions.save(good)
    before = window.studio.state
    (tmp_path / "bad").mkdir()
    for path, message in bad_files(tmp_path / "bad", library_photo, window.studio.library).items():
        assert not window.studio.sessions.open(path)
        assert message in window.banner.text() and not window.banner.isHidden(), path.name
        assert window.studio.state == before
    library_photo.rename(tmp_path / "gone.png")
    assert not window.studio.sessions.open(good)
    assert "is missing" in window.banner.text() and window.studio.state == before


def test_a_pasted_photo_travels_inside_the_session(window, tmp_path):
    from PySide6.QtGui import QColor, QGuiApplication, QImage

    image = QImage(70, 50, QImage.Format.Format_RGB32)
    image.fill(QColor(10, 200, 30))
    QGuiApplication.clipboard().setImage(image)
    window.paste()
    paint(window, [(0.5, 0.5)], style=StyleKey.preset(1))
    target = tmp_path / "pasted.impasto"
    assert window.studio.sessions.save(target)
    window.studio.region_editor.clear_all()
    assert window.studio.sessions.open(target)
    photo = window.studio.content.photo()
    assert photo.size == (70, 50) and tuple(photo.pixels[0, 0]) == (10, 200, 30)
    assert window.studio.state.regions.styles == (StyleKey.preset(1),)


def test_a_missing_recent_session_is_dropped_from_the_menu(window, tmp_path):
    target = tmp_path / "soon-gone.impasto"
    window.studio.sessions.save(target)
    target.unlink()
    window.recent_menu.actions()[0].trigger()
    assert "not there any more" in window.banner.text()
    assert window.recent_menu.actions() == [] and not window.recent_menu.isEnabled()


def test_recent_sessions_in_the_settings_file_are_checked(app_paths):
    app_paths.root.mkdir(parents=True)
    app_paths.settings_file.write_text('{"schema": 1, "recent_sessions": ["/a.impasto", 7, null, "/b.impasto"]}')
    assert load_settings(app_paths.settings_file).recent_sessions == ["/a.impasto", "/b.impasto"]


def test_a_session_that_opens_clears_the_banner_of_one_that_did_not(window, tmp_path):
    worked_on(window, tmp_path)
    good = tmp_path / "good.impasto"
    window.studio.sessions.save(good)
    broken = tmp_path / "broken.impasto"
    broken.write_bytes(b"PK\x03\x04 cut short")
    assert not window.studio.sessions.open(broken)
    assert not window.banner.isHidden()
    assert window.studio.sessions.open(good)
    assert window.banner.isHidden()  # it stayed about four seconds, over the session that opened
