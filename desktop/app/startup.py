"""Starting the desktop app: the checks before Qt opens a window, the application, and the
window on its studio and render thread."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from desktop.studio import AppPaths, AppSettings, load_settings
from engine import Engine, keep_freed_memory, resource_path

APP_NAME = "Impasto"
# Libraries Qt's X11 plugin loads that a minimal Debian or Ubuntu lacks (the .deb depends on them;
# docs/install.md gives the apt line for a source install).
XCB_LIBRARIES = {"libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4",
                 "libxcb-keysyms.so.1": "libxcb-keysyms1"}


def display_problem() -> str | None:
    """Why Qt could not open a window here, in one line with what to do, or None. Qt itself
    would abort the process with a long message instead. Only X11 and Wayland systems are checked;
    a platform the user chose (QT_QPA_PLATFORM) is left to Qt."""
    if sys.platform in ("win32", "darwin") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return ("no display (neither DISPLAY nor WAYLAND_DISPLAY is set): start Impasto "
                "from a desktop session, or use 'impasto stylize' on the command line")
    if os.environ.get("WAYLAND_DISPLAY"):
        return None
    missing = [package for library, package in XCB_LIBRARIES.items() if not _loadable(library)]
    if missing:
        return (f"Qt's X11 support needs system libraries that are not installed; install them with: "
                f"sudo apt-get install {' '.join(missing)}")
    return None


def _loadable(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def offscreen_without_display() -> None:
    """Where there is no display and no platform was chosen, Qt draws offscreen (for selftest)."""
    if sys.platform not in ("win32", "darwin") and not any(
            os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def make_application(argv: list[str]):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop.ui.theme import apply_dark_theme

    app = cast(QApplication, QApplication.instance()) or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "impasto.png"))))
    apply_dark_theme(app)
    return app


def make_window(paths: AppPaths, settings: AppSettings, engine_factory=None):
    from desktop.jobs.render_thread import RenderThread
    from desktop.studio import Studio
    from desktop.ui.main_window import MainWindow

    engine_settings = settings.engine_settings(paths.style_vectors_dir)
    factory = engine_factory or (lambda: Engine(engine_settings))
    thread = RenderThread(factory)
    window = MainWindow(Studio(thread, paths, settings))
    if engine_settings.keep_freed_memory:
        keep_freed_memory()  # before the render thread starts: it keeps the malloc arena it first uses
    thread.start()
    window.start()
    return window


def run_gui(argv: list[str], files: Sequence[Path] = ()) -> int:
    problem = display_problem()
    if problem is not None:
        print(f"impasto: cannot open the window: {problem}", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = make_application(argv)
    paths = AppPaths.standard()
    window = make_window(paths, load_settings(paths.settings_file))
    window.show()
    if files:
        window.studio.open_photos(list(files))
    return app.exec()
