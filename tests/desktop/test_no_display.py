"""Starting without a display: the window says in one line what is missing; ``selftest`` draws
offscreen (tests/desktop/test_selftest.py runs it with no display set)."""

import os
import subprocess
import sys

import pytest

from desktop.app import startup as app

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def without_display() -> dict:
    return {k: v for k, v in os.environ.items() if k not in DISPLAY_VARIABLES}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 and Wayland only")
def test_the_window_without_a_display_says_what_is_missing_in_one_line():
    done = subprocess.run([sys.executable, "-m", "desktop"], env=without_display(), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no display" in done.stderr and "impasto stylize" in done.stderr
    assert "Traceback" not in done.stderr


def test_display_problem(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in DISPLAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert "neither DISPLAY nor WAYLAND_DISPLAY" in app.display_problem()
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # a platform the user chose is left to Qt
    assert app.display_problem() is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(app, "_loadable", lambda library: library != "libxcb-cursor.so.0")
    assert app.display_problem().endswith("sudo apt-get install libxcb-cursor0")
    monkeypatch.setattr(app, "_loadable", lambda library: True)
    assert app.display_problem() is None


def test_selftest_falls_back_to_offscreen(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in DISPLAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    app.offscreen_without_display()
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    monkeypatch.setenv("QT_QPA_PLATFORM", "wayland")
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    app.offscreen_without_display()
    assert os.environ["QT_QPA_PLATFORM"] == "wayland"


def test_the_readme_apt_line_installs_what_the_deb_depends_on():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    build = (root / "packaging" / "build.py").read_text()
    depends = re.findall(r'"([^"]+)"', re.search(r"DEB_DEPENDS = \[(.*?)\]", build, re.DOTALL).group(1))
    apt_line = re.search(r"sudo apt-get install (libxcb-cursor0 .*)", (root / "docs" / "install.md").read_text()).group(1)
    assert apt_line.split() == depends
    assert set(app.XCB_LIBRARIES.values()) <= set(depends)
