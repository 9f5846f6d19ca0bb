"""The engine's command line: ``impasto stylize``, ``impasto presets``, ``impasto bench``.

Defaults and limits come from ``engine.settings`` and ``engine.limits``, the same objects the
desktop app reads. Everything that can be checked is checked before the first render: the
values, the device, the style, and every output's name and folder.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from ..engine import Engine
from ..errors import (
    Cancelled,
    DeviceUnavailableError,
    ImpastoError,
    InvalidRequestError,
    PictureTooLargeError,
    describe_os_error,
)
from ..imageio import SkippedInput, expand_inputs, folder_problem, load_picture, output_problem, save_picture
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
from ..progress import CancelToken
from ..request import RenderRequest
from ..settings import (
    DEFAULT_ENGINE_SETTINGS,
    DEFAULT_RENDER_SETTINGS,
    DEVICES,
    PRECISIONS,
    QUALITIES,
    EngineSettings,
    RenderSettings,
)
from ..styles import PaintingBlend, normalised_weights, parse_preset_blend, split_weight
from .outputs import Naming, OutputPlan, plan_outputs, same_file

EXIT_FAILED = 1  # a file could not be read, rendered or saved; the others were done
EXIT_BAD_ARGUMENTS = 2  # the command itself cannot run; nothing was rendered

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


def jpeg_quality(text: str) -> int:
    low, high = JPEG_QUALITY_RANGE
    try:
        value = int(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"a whole number from {low} to {high}, got {text!r}")
    return value


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
                       help="a painting; repeat to blend (a file whose own name ends in :WEIGHT is taken as named)")
    d = DEFAULT_RENDER_SETTINGS
    p.add_argument("--strength", type=float, default=d.strength, help="0..1 (default %(default)s)")
    p.add_argument("--preserve-colors", action="store_true", help="keep the photo's colours")
    p.add_argument("--stroke", type=stroke_value, default=d.stroke,
                   help="brush-stroke size: 1 = default, 2 = twice as big, 'native' = network at full size")
    p.add_argument("--size", type=long_side, default=d.output_long_side,
                   help=f"output long side in px, {MIN_SIDE} to {MAX_OUTPUT_LONG_SIDE} (default: the input's); an "
                        f"enlargement stays under {MAX_OUTPUT_PIXELS / 1e6:.0f} megapixels")
    p.add_argument("--quality", choices=QUALITIES, default=d.quality,
                   help="fast: the feed-forward networks; high: an optimisation on EfficientNet features "
                        "(seconds on a GPU, about a minute at stroke 2 on a CPU)")
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
    p.set_defaults(run=run_stylize)


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
        print(f"error: {printable(str(message))}", file=sys.stderr)

    def failed(self, source: Path, message: object) -> None:
        self.failures += 1
        self.error(message)
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


def destination_problem(args) -> str | None:
    """What is wrong with ``-o`` or ``--out-dir`` themselves; ``--out-dir`` is created here."""
    if args.output is not None:
        if os.path.isdir(args.output):
            return f"-o {args.output} is a folder; name a file (such as {args.output / 'out.png'}) or use --out-dir"
        return output_problem(args.output)
    if args.out_dir is not None:
        if os.path.lexists(args.out_dir) and not os.path.isdir(args.out_dir):
            return f"--out-dir {args.out_dir} is a file, not a folder"
        try:
            args.out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"--out-dir {args.out_dir} cannot be created ({describe_os_error(exc)})"
        return folder_problem(args.out_dir)
    return None


def style_tag(args) -> str:
    if args.preset is not None:
        return "preset" + "_".join(part.strip().replace(":", "-") for part in args.preset.split(",") if part.strip())
    return "style"


def run_stylize(args) -> int:
    """Everything that can be checked is checked before the first render: the values, the
    device, the style's weights, where outputs go and every output's name."""
    report = Report(args.json)
    settings = RenderSettings(strength=args.strength, preserve_colors=args.preserve_colors,
                              stroke=args.stroke, output_long_side=args.size, quality=args.quality)
    engine = Engine(EngineSettings(device=args.device, precision=args.precision))
    engine.device  # noqa: B018 - an absent device is a bad argument, said before anything is read
    if args.preset is not None:
        style = parse_preset_blend(args.preset)
    else:
        paintings, weights = zip(*map(split_weight, args.style))
        normalised_weights(list(weights), "painting")
    plan = planned_outputs(args, report)
    if plan is None:
        return EXIT_BAD_ARGUMENTS
    max_pixels = int(args.max_pixels * 1e6)
    if args.style is not None and plan.jobs:
        try:
            style = PaintingBlend(tuple(load_picture(path, max_pixels) for path in paintings), weights)
        except ImpastoError as exc:
            report.error(with_hint(exc))
            return EXIT_FAILED
    for source, target in plan.jobs:
        render_one(engine, source, target, style, settings, args, report)
    return EXIT_FAILED if report.failures else 0


def planned_outputs(args, report: Report) -> OutputPlan | None:
    """The inputs and their outputs, with what is skipped and refused reported; None when the
    command cannot run at all (its problem reported)."""
    problem = destination_problem(args)
    if problem is not None:
        report.error(problem)
        return None
    files, skipped = expand_inputs(args.inputs)
    for entry in skipped:
        report.skipped(entry)
    if not files:
        report.error(f"no images found in {', '.join(map(str, args.inputs))}"
                     + (" (every entry was skipped, see above)" if skipped else ""))
        return None
    if args.output is not None and len(files) > 1:
        report.error("-o names one output file; use --out-dir for several inputs")
        return None
    if args.output is not None and same_file(args.output, files[0]):
        report.error(f"-o {args.output} is the input itself; an input is never replaced")
        return None
    plan = plan_outputs(files, Naming(style_tag(args), args.format, args.out_dir, args.output), overwrite=args.overwrite)
    for entry in plan.skipped:
        report.skipped(entry)
    for entry in plan.refused:
        report.failed(entry.path, entry.reason)
    return plan


def render_one(engine: Engine, source: Path, target: Path, style, settings: RenderSettings, args,
               report: Report) -> None:
    progress = TerminalProgress(source.name, sys.stderr.isatty() and not args.json)
    try:
        content = load_picture(source, int(args.max_pixels * 1e6))
        result = engine.render(RenderRequest(content, style, settings), CancelToken(progress))
        progress.done()
        save_picture(result.picture, target, overwrite=args.overwrite, quality=args.jpeg_quality,
                     sixteen_bit=args.sixteen_bit)
    except ImpastoError as exc:
        progress.done()
        report.failed(source, with_hint(exc))
        return
    report.done(source, target, result)


def with_hint(exc: ImpastoError) -> str:
    """The engine's message, plus how to do what it suggests on this command line."""
    if isinstance(exc, PictureTooLargeError):
        return f"{exc}; --max-pixels raises the limit"
    return str(exc)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impasto", description="Impasto: neural style transfer for artists. "
                                     "Run it with no command to open the desktop app; 'impasto selftest "
                                     "--screenshot PATH' checks the window.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_stylize_parser(commands)
    from . import bench, presets

    presets.add_parser(commands)
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
            stream.reconfigure(errors="backslashreplace")
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


if __name__ == "__main__":
    sys.exit(main())
