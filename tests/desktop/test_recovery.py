"""Nothing an artist did is lost to a crash or a kill: unsaved work is autosaved (a session, in
the app's data folder) and offered back at the next start."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.studio import AppPaths, AppSettings, Brush, StyleKey
from desktop.ui.main_window import MainWindow

from .conftest import open_window
from .helpers import write_image

QUICK = AppSettings(autosave_seconds=1)
SKY = StyleKey.preset(4)


def paint_a_region(window, style=SKY) -> None:
    regions = window.studio.region_editor
    regions.set_mode(True)
    regions.choose_style(style)
    width, height = window.studio.content.photo().size
    regions.set_brush(Brush(0.3 * max(width, height), 0.0, False))
    regions.begin_stroke((0.3 * width, 0.3 * height))
    regions.continue_stroke((0.6 * width, 0.5 * height))
    regions.end_stroke()
    regions.set_mode(False)


def autosaves(paths: AppPaths) -> list[Path]:
    return sorted(paths.recovery_dir.glob("autosave-*.impasto"))


def left_behind_by_a_crash(paths: AppPaths, into: Path) -> AppPaths:
    """What the next start finds after the studio on ``paths`` was killed: its files, without its locks."""
    shutil.copytree(paths.root, into, ignore=shutil.ignore_patterns("*.lock"))
    return AppPaths(into)


def test_unsaved_work_is_autosaved_and_brought_back_after_a_crash(qtbot, app_paths, fake_engine, tmp_path):
    window = open_window(qtbot, app_paths, fake_engine, QUICK)
    window.studio.core.edit_settings(window.studio.state.settings.with_changes(strength=0.35), True)
    paint_a_region(window)
    qtbot.waitUntil(lambda: bool(autosaves(app_paths)), timeout=5000)
    worked = window.studio.state

    after = open_window(qtbot, left_behind_by_a_crash(app_paths, tmp_path / "after-crash"), fake_engine)
    qtbot.waitUntil(lambda: after.studio.state.regions.items != (), timeout=5000)
    recovered = after.studio.state
    assert recovered.settings.strength == pytest.approx(0.35)
    assert [r.style for r in recovered.regions.items] == [SKY]
    assert recovered.regions == worked.regions
    assert not after.studio.core.undo_stack.isClean(), "recovered work is still unsaved"
    after.studio.core.undo_stack.undo()
    assert after.studio.state.regions.items == (), "Undo returns to what the start showed"
    after.close()
    window.close()


def test_discarding_the_offer_lets_the_work_go(qtbot, app_paths, fake_engine, tmp_path, monkeypatch):
    window = open_window(qtbot, app_paths, fake_engine, QUICK)
    paint_a_region(window)
    qtbot.waitUntil(lambda: bool(autosaves(app_paths)), timeout=5000)
    crashed = left_behind_by_a_crash(app_paths, tmp_path / "after-crash")
    asked = []
    monkeypatch.setattr(MainWindow, "ask_about_recovery", lambda self, path: asked.append(path) or False)

    after = open_window(qtbot, crashed, fake_engine)
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)
    assert after.studio.state.regions.items == ()
    assert autosaves(crashed) == []
    window.close()


def test_closing_or_saving_leaves_nothing_to_recover(qtbot, app_paths, fake_engine, tmp_path):
    window = open_window(qtbot, app_paths, fake_engine, QUICK)
    paint_a_region(window)
    qtbot.waitUntil(lambda: bool(autosaves(app_paths)), timeout=5000)
    assert window.studio.sessions.save(tmp_path / "work.impasto")
    assert autosaves(app_paths) == [], "the work is in the session now"
    paint_a_region(window, StyleKey.preset(2))
    qtbot.waitUntil(lambda: bool(autosaves(app_paths)), timeout=5000)
    window.close()  # the conftest answers "discard" to the question
    assert autosaves(app_paths) == []
    assert list(app_paths.recovery_dir.glob("*.lock")) == []


def test_an_autosave_that_cannot_be_opened_is_kept_aside_and_named(qtbot, app_paths, fake_engine):
    app_paths.recovery_dir.mkdir(parents=True)
    (app_paths.recovery_dir / "autosave-0.impasto").write_bytes(b"half a zip")
    window = open_window(qtbot, app_paths, fake_engine)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    kept = list(app_paths.recovery_dir.glob("unrecovered-*.impasto"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"half a zip"
    assert str(kept[0]) in window.banner.text()
    assert autosaves(app_paths) == []
    window.close()


def test_two_studios_at_once_keep_their_own_autosaves(qtbot, app_paths, fake_engine):
    first = open_window(qtbot, app_paths, fake_engine, QUICK)
    second = open_window(qtbot, app_paths, fake_engine, QUICK)
    assert first.studio.autosave_slot.file != second.studio.autosave_slot.file
    assert first.studio.work_left_behind() is None and second.studio.work_left_behind() is None
    second.close()
    first.close()


WORKING_STUDIO = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from desktop.app.startup import make_application, make_window
from desktop.studio import AppPaths, AppSettings, Brush, StyleKey

app = make_application(sys.argv)
window = make_window(AppPaths(Path(sys.argv[1])), AppSettings(autosave_seconds=1))
window.show()
studio = window.studio
studio.open_photos([Path(sys.argv[2])])
regions = studio.region_editor
regions.set_mode(True)
regions.choose_style(StyleKey.preset(4))
regions.set_brush(Brush(40.0, 0.0, False))
regions.begin_stroke((20.0, 20.0))
regions.continue_stroke((60.0, 40.0))
regions.end_stroke()
regions.set_mode(False)
steps = iter(range(10**6))

def keep_working():  # a slider that never rests: the kill lands mid-work, maybe mid-autosave
    step = next(steps)
    studio.core.edit_settings(studio.state.settings.with_changes(strength=0.2 + 0.001 * (step % 500)), True)

timer = QTimer(interval=20)
timer.timeout.connect(keep_working)
timer.start()
print("working", flush=True)
app.exec()
"""


@pytest.mark.parametrize("kill_after", [1.6, 2.3])
def test_a_killed_studio_s_work_comes_back(qtbot, tmp_path, fake_engine, kill_after):
    """The real app on the real engine, killed with SIGKILL while it works: the next start brings
    back its photo, its region and a strength it had."""
    root = tmp_path / "app-data"
    photo = write_image(tmp_path / "street.png", size=(160, 120))
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(Path(__file__).parents[2])}
    child = subprocess.Popen([sys.executable, "-c", WORKING_STUDIO, str(root), str(photo)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "working"
        deadline = time.monotonic() + 60
        while not list((root / "recovery").glob("autosave-*.impasto")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
        assert child.wait(10) == -signal.SIGKILL
    finally:
        child.kill()
        child.wait()
    assert list((root / "recovery").glob("*.lock")), "a killed studio leaves its lock behind"

    after = open_window(qtbot, AppPaths(root), fake_engine)
    qtbot.waitUntil(lambda: after.studio.state.content == str(photo), timeout=5000)
    state = after.studio.state
    assert [r.style for r in state.regions.items] == [StyleKey.preset(4)]
    assert 0.2 <= state.settings.strength <= 0.7
    assert not after.studio.core.undo_stack.isClean()
    after.close()


def test_a_studio_that_cannot_autosave_says_so(qtbot, app_paths, fake_engine, monkeypatch):
    from desktop.studio.recovery import AutosaveSlot

    monkeypatch.setattr(AutosaveSlot, "claim", classmethod(lambda cls, folder: None))
    window = open_window(qtbot, app_paths, fake_engine)
    assert "cannot be autosaved" in window.banner.text() and str(app_paths.recovery_dir) in window.banner.text()
    paint_a_region(window)  # and nothing breaks
    window.close()
