"""What ``impasto stylize`` tells the person running it: one line per error or skipped entry on
stderr, naming the file; with ``--json`` also one JSON record per input on stdout; a progress
bar when stderr is a terminal. Imports nothing heavy: the parser's errors use it too."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ImpastoError, PictureTooLargeError

if TYPE_CHECKING:
    from ..io.imageio import SkippedInput

EXIT_FAILED = 1  # a file could not be read, rendered or saved; the others were done
EXIT_BAD_ARGUMENTS = 2  # the command itself cannot run; nothing was rendered

class TerminalProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled, self.shown = printable(label), enabled, -1

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            print(f"\r{self.label[:40]:40} [{bar:25}] {percent:3d}%", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self.shown >= 0:
            print(file=sys.stderr)


def printable(text: str) -> str:
    """``text`` made safe for one line of any terminal: control characters (a newline or an
    escape sequence in a file name) and the bytes of a name that is not valid UTF-8 (which
    Python holds as surrogates) are shown as escapes."""
    shown = []
    for char in text:
        code = ord(char)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for an undecodable byte
            shown.append(f"\\x{code - 0xDC00:02x}")
        elif char.isprintable():
            shown.append(char)
        else:
            shown.append(char.encode("unicode_escape").decode("ascii"))
    return "".join(shown)


class Report:
    """What the user reads: errors and skipped entries on stderr, one line each naming the file;
    with ``--json``, also one JSON record per input on stdout."""

    def __init__(self, as_json: bool):
        self.as_json = as_json
        self.failures = 0

    def error(self, message: object) -> None:
        """A problem of the whole command (a bad painting or mask, a place that cannot be written)."""
        self._said(message)
        if self.as_json:
            print(json.dumps({"error": str(message)}))

    def _said(self, message: object) -> None:
        print(f"error: {printable(str(message))}", file=sys.stderr)

    def failed(self, source: Path, message: object) -> None:
        self.failures += 1
        self._said(message)
        if self.as_json:
            print(json.dumps({"input": str(source), "error": str(message)}))

    def skipped(self, entry: SkippedInput) -> None:
        print(printable(f"skipped {entry.path}: {entry.reason}"), file=sys.stderr)
        if self.as_json:
            print(json.dumps({"input": str(entry.path), "skipped": entry.reason}))

    def done(self, source: Path, target: Path, result) -> None:
        if self.as_json:
            print(json.dumps({
                "input": str(source), "output": str(target), "size": list(result.picture.size),
                "working_size": list(result.working_size), "device": result.device,
                "seconds": round(result.seconds, 3), "peak_memory_mb": round(result.peak_memory_bytes / 2**20, 1),
                "tiles": result.tiles, "notes": list(result.notes),
            }))
            return
        print(printable(f"{source.name} -> {target}  ({result.picture.width}x{result.picture.height}, "
                        f"{result.seconds:.2f} s on {result.device})"))
        for note in result.notes:
            print(printable(f"  note: {note}"))


def with_hint(exc: ImpastoError) -> str:
    """The engine's message, plus how to do what it suggests on this command line."""
    if isinstance(exc, PictureTooLargeError):
        return f"{exc}; --max-pixels raises the limit"
    return str(exc)
