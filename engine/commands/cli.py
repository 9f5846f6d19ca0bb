"""The engine's command line: ``impasto stylize``, ``impasto presets``, ``impasto bench``.

Defaults and limits come from ``engine.settings`` and ``engine.limits``, the same objects the
desktop app reads. The parser imports nothing heavy (``impasto --help`` starts without torch);
each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import importlib
import io
import math
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import cast

from ..errors import Cancelled, DeviceUnavailableError, ImpastoError, InvalidRequestError
from ..limits import (
    DEFAULT_JPEG_QUALITY,
    JPEG_QUALITY_RANGE,
    MAX_ASPECT_RATIO,
    MAX_INPUT_PIXELS,
    MAX_OUTPUT_LONG_SIDE,
    MAX_OUTPUT_PIXELS,
    MIN_SIDE,
    OUTPUT_FORMATS,
)
from ..settings import (
    COLOURS,
    DEFAULT_ENGINE_SETTINGS,
    DEFAULT_RENDER_SETTINGS,
    DEVICES,
    FEATHER_RANGE,
    PRECISIONS,
    QUALITIES,
)
from .arguments import number_in
from .report import EXIT_BAD_ARGUMENTS, EXIT_FAILED, printable, with_hint
from .video_arguments import add_video_arguments

EXIT_CODES = f"""exit codes:
  0    every input was stylised (entries of a folder that are not pictures are skipped, and named)
  1    an input, a painting or an output failed; the others were done
  2    bad arguments: a value out of range, an output that cannot be written (-o, --out-dir),
       an absent --device, no images found; nothing was rendered
  130  cancelled with Ctrl+C; 143 with SIGTERM, 129 with SIGHUP (nothing half-written is left behind)

refused inputs: pictures over --max-pixels (default {MAX_INPUT_PIXELS / 1e6:.0f} megapixels, read from the header,
before decoding), under {MIN_SIDE} px on a side, longer than {MAX_ASPECT_RATIO}:1, damaged or truncated data; in
folders, anything that is not a regular file of a picture type (each one is named)"""


def stroke_value(text: str) -> float | None:
    if text == "native":
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"stroke size is a number (1 = default) or 'native', got {text!r}") from None


def megapixels(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"a positive number of megapixels, got {text!r}")
    return value


def long_side(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of pixels, got {text!r}") from None
    if not MIN_SIDE <= value <= MAX_OUTPUT_LONG_SIDE:
        raise argparse.ArgumentTypeError(
            f"from {MIN_SIDE} to {MAX_OUTPUT_LONG_SIDE} px (a longer side is over {MAX_OUTPUT_PIXELS / 1e6:.0f} "
            f"megapixels at any proportions Impasto takes), got {value}")
    return value


feather_value = number_in(float, *FEATHER_RANGE, "a number of pixels")
jpeg_quality = number_in(int, *JPEG_QUALITY_RANGE, "a whole number")


def add_stylize_parser(commands) -> None:
    p = commands.add_parser("stylize", help="stylise photos with a preset or a painting", epilog=EXIT_CODES,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("inputs", nargs="+", type=Path, help="image files or folders of images")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="output file (one input only)")
    where.add_argument("--out-dir", type=Path, help="folder for outputs, created if needed (default: beside each "
                                                    "input, named <name>_<style>.<format>)")
    style = p.add_mutually_exclusive_group(required=True)
    style.add_argument("--preset", help="preset 0-25, or a blend such as 3:0.5,12:0.5")
    style.add_argument("--style", action="append", metavar="IMAGE[:WEIGHT]",
                       help="a painting; repeat to blend (a file whose own name ends in :WEIGHT is taken as named). "
                            "A style learned from it ('impasto learn') beside it is used")
    learned = p.add_mutually_exclusive_group()
    learned.add_argument("--learned", type=Path, action="append", default=[], metavar="FILE",
                         help="a style learned from the painting given with --style (one per --style, in order)")
    learned.add_argument("--no-learned", action="store_true", help="paint with the paintings as they are, "
                                                                   "not with styles learned from them")
    _add_look_arguments(p)
    _add_region_arguments(p)
    _add_output_arguments(p)
    add_video_arguments(p)
    p.set_defaults(run=lambda args: importlib.import_module(".stylize", __package__).run_stylize(args))


def _add_look_arguments(p: argparse.ArgumentParser) -> None:
    d = DEFAULT_RENDER_SETTINGS
    p.add_argument("--strength", type=float, default=d.strength, help="0..1 (default %(default)s)")
    p.add_argument("--colour", "--color", choices=COLOURS, default=d.colour,
                   help="painting: the painting's colours (default); photo: the photo's colours with the painted "
                        "brightness; palette: the photo itself recoloured with the painting's palette, no strokes")
    p.add_argument("--preserve-colors", dest="colour", action="store_const", const="photo", help=argparse.SUPPRESS)
    p.add_argument("--stroke", type=stroke_value, default=d.stroke,
                   help="brush-stroke size: 1 = default, 2 = twice as big, 'native' = network at full size")
    p.add_argument("--size", type=long_side, default=d.output_long_side,
                   help=f"output long side in px, {MIN_SIDE} to {MAX_OUTPUT_LONG_SIDE} (default: the input's); an "
                        f"enlargement stays under {MAX_OUTPUT_PIXELS / 1e6:.0f} megapixels")
    p.add_argument("--quality", choices=QUALITIES, default=d.quality,
                   help="fast: the feed-forward networks; high: an optimisation on EfficientNet features "
                        "(seconds on a GPU, about a minute at stroke 2 on a CPU)")


def _add_region_arguments(p: argparse.ArgumentParser) -> None:
    d = DEFAULT_RENDER_SETTINGS
    p.add_argument("--region", action="append", default=[], metavar="STYLE[@STRENGTH]=MASK",
                   help="paint STYLE where the greyscale picture MASK is white (any size: stretched to the photo); "
                        "STYLE is preset:N (or preset:3:0.5,12:0.5), a painting's file, or 'photo' (the photo's "
                        "own pixels); @STRENGTH (0 to 1, or a percentage) is how much of the style to keep there, "
                        "0 being the photo (default: 1 for a style, 0 for the photo, whose strength lets the style "
                        "beneath show through); repeat for more regions, later ones on top; pixels no mask covers "
                        "take --preset/--style (the last = separates style and mask)")
    p.add_argument("--feather", type=feather_value, default=d.feather, metavar="PX",
                   help="soften the regions' edges by this many pixels of the photo (default 0)")
    p.add_argument("--snap-edges", action="store_true",
                   help="move the regions' borders onto the photo's edges (a rough mask follows the sky line)")
    p.add_argument("--layers", type=Path, metavar="FILE.ora",
                   help="also write an OpenRaster file (Krita, GIMP, MyPaint): the photo, the style, each region "
                        "over the whole picture with its mask as the layer's transparency (one input only)")


def _add_output_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=sorted({s.lstrip(".") for s in OUTPUT_FORMATS}), default="png",
                   help="output type when the name is chosen for you (default png)")
    p.add_argument("--jpeg-quality", type=jpeg_quality, default=DEFAULT_JPEG_QUALITY,
                   help=f"JPEG/WebP quality, {JPEG_QUALITY_RANGE[0]} to {JPEG_QUALITY_RANGE[1]} (default %(default)s)")
    p.add_argument("--16bit", dest="sixteen_bit", action="store_true", help="write 16-bit TIFF")
    p.add_argument("--device", choices=DEVICES, default=DEFAULT_ENGINE_SETTINGS.device,
                   help="auto picks CUDA, then Apple MPS, then the CPU; an absent device is an error (exit 2)")
    p.add_argument("--precision", choices=PRECISIONS, default=DEFAULT_ENGINE_SETTINGS.precision)
    p.add_argument("--max-pixels", type=megapixels, default=MAX_INPUT_PIXELS / 1e6,
                   help="refuse inputs larger than this many megapixels, from their header, before decoding "
                        "(default %(default).0f; a guard against decompression bombs)")
    p.add_argument("--overwrite", action="store_true", help="replace existing outputs (-o naming the input itself is refused)")
    p.add_argument("--json", action="store_true", help="print one JSON record per input: output, error or skipped")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impasto", description="Impasto: neural style transfer for artists. "
                                     "Run it with no command to open the desktop app; 'impasto selftest "
                                     "--screenshot PATH' checks the window.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_stylize_parser(commands)
    from . import bench, learn, presets

    presets.add_parser(commands)
    learn.add_parser(commands)
    bench.add_parser(commands)
    return parser


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised like Ctrl+C so that a save in progress removes its temporary file."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextmanager
def signals_cancel():
    """While the command runs, SIGTERM and SIGHUP cancel it the way Ctrl+C does (a signal the
    caller chose to ignore stays ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def cancel(signum, _frame):
        raise Interrupted(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, cancel)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def escape_unencodable_output() -> None:
    """A character the terminal's encoding lacks is shown as an escape instead of stopping the
    command (``PYTHONIOENCODING=ascii:strict``, say)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            # Any other stream has no ``reconfigure``: the AttributeError below.
            cast(io.TextIOWrapper, stream).reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):
            pass  # not a text stream we may change (a test's capture, a closed stream)


def main(argv: list[str] | None = None) -> int:
    escape_unencodable_output()
    parser = build_parser()
    args = parser.parse_args(argv)
    with signals_cancel():
        try:
            return args.run(args)
        except (InvalidRequestError, DeviceUnavailableError) as exc:
            print(f"error: {printable(str(exc))}", file=sys.stderr)
            return EXIT_BAD_ARGUMENTS
        except ImpastoError as exc:
            print(f"error: {printable(with_hint(exc))}", file=sys.stderr)
            return EXIT_FAILED
        except (KeyboardInterrupt, Cancelled) as exc:
            print("\ncancelled", file=sys.stderr)
            return 128 + getattr(exc, "signum", signal.SIGINT)
        except Exception as exc:
            print(f"error: an unexpected problem stopped Impasto ({printable(f'{type(exc).__name__}: {exc}')}); "
                  f"run it again with IMPASTO_DEBUG=1 for the details to report", file=sys.stderr)
            if os.environ.get("IMPASTO_DEBUG"):
                raise
            return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
