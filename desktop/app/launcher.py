"""The ``impasto`` command: no arguments (or ``gui``) opens the studio; ``selftest`` checks the
window; ``bench --studio`` times it; every other command is the engine's command line (stylize,
presets, bench)."""

from __future__ import annotations

import sys
from pathlib import Path

ENGINE_COMMANDS = ("stylize", "presets", "bench", "-h", "--help")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] == "gui" or (argv[0] not in ENGINE_COMMANDS and argv[0] != "selftest"
                                        and all(Path(a).exists() for a in argv)):
        # No arguments, "gui", or files (a desktop's "Open with Impasto"): the studio opens them.
        from .startup import run_gui

        files = [Path(a) for a in argv if a != "gui"]
        return run_gui([sys.argv[0]], files)
    if argv[0] == "selftest":
        from .selftest import run_selftest

        return run_selftest(argv[1:])
    if argv[0] == "bench" and "--studio" in argv:  # the window's own figures; the engine knows no desktop
        from .studio_bench import main as studio_bench

        return studio_bench([a for a in argv[1:] if a != "--studio"])
    from engine.commands.cli import main as engine_main

    return engine_main(argv)


if __name__ == "__main__":
    sys.exit(main())
