"""``impasto selftest --screenshot PATH``: the real window, the real engine, one preview."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from desktop.studio import AppPaths, AppSettings

from .startup import make_application, make_window, offscreen_without_display

SELFTEST_TIMEOUT_MS = 120_000


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
        outcome: dict[str, int | str] = {"code": 1, "why": "timed out waiting for the first preview"}

        studio = window.studio

        def ready() -> bool:
            pending = studio.thumbnails_pending
            return studio.live_preview.frame is not None and not studio.live_preview.rendering and pending == set()

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

        studio.core.message.connect(failed)
        poll()
        QTimer.singleShot(SELFTEST_TIMEOUT_MS, app.quit)
        app.exec()
        window.close()
    if outcome["code"] == 0:
        print(f"selftest passed: screenshot at {args.screenshot} ({studio.core.device})")
    else:
        print(f"selftest failed: {outcome['why']}", file=sys.stderr)
    return int(outcome["code"])
