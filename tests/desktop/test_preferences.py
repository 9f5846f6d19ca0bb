"""Preferences: chosen in a dialog, used at once, kept for the next start."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from desktop.studio import StyleKey
from desktop.studio.settings import load_settings
from desktop.ui.preferences import PreferencesDialog

from .conftest import open_window
from .helpers import write_image


def test_preferences_are_used_at_once_and_kept(qtbot, app_paths, fake_engine, tmp_path, monkeypatch):
    window = open_window(qtbot, app_paths, fake_engine)
    window.studio.open_photos([write_image(tmp_path / "large.png", size=(1500, 1000))])
    qtbot.waitUntil(lambda: fake_engine.requests[-1].settings.output_long_side == 900, timeout=3000)

    def choose(dialog: PreferencesDialog):
        dialog.preview.setCurrentIndex(dialog.preview.findData(600))
        dialog.max_megapixels.setValue(20)
        dialog.autosave.setValue(0)
        dialog.export_dir.setText(str(tmp_path))
        dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PreferencesDialog, "exec", choose)
    action = next(a for a in window.menuBar().actions()[1].menu().actions() if a.text() == "Pr&eferences…")
    action.trigger()
    settings = window.studio.core.app_settings
    assert (settings.preview_long_side, settings.max_input_megapixels, settings.autosave_seconds) == (600, 20, 0)
    assert window.studio.content.pictures.max_input_pixels == 20_000_000
    qtbot.waitUntil(lambda: fake_engine.requests[-1].settings.output_long_side == 600, timeout=3000)
    window.studio.choose_styles([StyleKey.preset(4)])
    qtbot.wait(50)
    assert not window.studio.autosave_slot.file.exists(), "autosave is off"
    window.close()
    kept = load_settings(app_paths.settings_file)
    assert (kept.preview_long_side, kept.export_dir, kept.device) == (600, str(tmp_path), "cpu")


def test_cancelled_preferences_change_nothing(window, monkeypatch):
    before = window.studio.core.app_settings
    monkeypatch.setattr(PreferencesDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    next(a for a in window.menuBar().actions()[1].menu().actions() if a.text() == "Pr&eferences…").trigger()
    assert window.studio.core.app_settings == before
