"""The desktop's settings and style library are written with the engine's ``atomic_write``: a
failed save keeps the previous file and leaves no temporary file behind."""

import errno
import os

import pytest

from desktop.studio.library import StyleLibrary
from desktop.studio.settings import AppSettings, load_settings, save_settings
from engine import is_temporary_name

from .helpers import write_image


def fail_to_sync(_descriptor):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_settings_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "settings.json"
    save_settings(AppSettings(export_format="jpg"), path)
    monkeypatch.setattr(os, "fsync", fail_to_sync)
    with pytest.raises(OSError):
        save_settings(AppSettings(export_format="webp"), path)
    assert load_settings(path).export_format == "jpg"
    assert not [p for p in tmp_path.iterdir() if is_temporary_name(p.name)]


def test_a_failed_library_save_keeps_the_old_index(tmp_path, monkeypatch):
    library = StyleLibrary(tmp_path / "styles")
    style = library.add(write_image(tmp_path / "painting.png"))
    monkeypatch.setattr(os, "fsync", fail_to_sync)
    with pytest.raises(OSError):
        library.rename(style.style_id, "new name")
    assert [s.name for s in StyleLibrary(tmp_path / "styles").styles] == ["painting"]
    assert not [p for p in (tmp_path / "styles").iterdir() if is_temporary_name(p.name)]
