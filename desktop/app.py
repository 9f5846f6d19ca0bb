"""Starting the desktop app, and ``impasto selftest --screenshot PATH``."""

from __future__ import annotations

import argparse
import ctypes
import logging
import os
import sys
import tempfile
from pathlib import Path

from engine import Engine, keep_freed_memory, resource_path

from .app_settings import AppSettings, load_settings
from .paths import AppPaths

APP_NAME = "Impasto"
SELFTEST_TIMEOUT_MS = 120_000
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

    from .theme import apply_dark_theme

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "impasto.png"))))
    apply_dark_theme(app)
    return app


def make_window(paths: AppPaths, settings: AppSettings, engine_factory=None):
    from .main_window import MainWindow
    from .render_thread import RenderThread
    from .studio import Studio

    engine_settings = settings.engine_settings(paths.style_vectors_dir)
    factory = engine_factory or (lambda: Engine(engine_settings))
    thread = RenderThread(factory)
    window = MainWindow(Studio(thread, paths, settings))
    if engine_settings.keep_freed_memory:
        keep_freed_memory()  # before the render thread starts: it keeps the malloc arena it first uses
    thread.start()
    window.start()
    return window


def run_gui(argv: list[str], files: list[Path] = ()) -> int:
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


def run_selftest(argv: list[str]) -> int:
    """Start the real window (offscreen where there is no display), render the sample with a
    preset through the real engine, save a screenshot, exit 0 — or 1 with the reason."""
    parser = argparse.ArgumentParser(prog="impasto selftest")
    parser.add_argument("--screenshot", type=Path, required=True)
    args = parser.parse_args(argv)
    from PySide6.QtCore import QTimer

    offscreen_without_display()
    app = make_application([sys.argv[0]])
    with tempfile.TemporaryDirectory(prefix="impasto-selftest-") as root:
        window = make_window(AppPaths(Path(root)), AppSettings())
        window.resize(1280, 800)
        window.show()
        outcome = {"code": 1, "why": "timed out waiting for the first preview"}

        studio = window.studio

        def ready() -> bool:
            pending = studio.thumbnails_pending
            return studio.previews.frame is not None and not studio.previews.rendering and pending == set()

        def poll():
            # The screenshot waits for the preview and the gallery's thumbnails (a few seconds).
            if ready():
                QTimer.singleShot(300, finish)  # let the last pixmaps paint
            else:
                QTimer.singleShot(100, poll)

        def failed(message):
            if message.error:
                outcome["why"] = message.text
                app.quit()

        def finish():
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            if window.grab().save(str(args.screenshot)):
                outcome.update(code=0, why="")
            else:
                outcome["why"] = f"could not write {args.screenshot}"
            app.quit()

        studio.message.connect(failed)
        poll()
        QTimer.singleShot(SELFTEST_TIMEOUT_MS, app.quit)
        app.exec()
        window.close()
    if outcome["code"] == 0:
        print(f"selftest passed: screenshot at {args.screenshot} ({studio.device})")
    else:
        print(f"selftest failed: {outcome['why']}", file=sys.stderr)
    return outcome["code"]
