"""The engine's command line: ``impasto stylize``, ``impasto presets``, ``impasto bench``.

Defaults come from ``engine.settings``, the same objects the desktop app reads.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..engine import Engine
from ..errors import Cancelled, ImpastoError, InvalidRequestError
from ..imageio import expand_inputs, load_picture, save_picture
from ..limits import MAX_INPUT_PIXELS, OUTPUT_FORMATS
from ..progress import CancelToken
from ..request import RenderRequest
from ..settings import DEFAULT_ENGINE_SETTINGS, DEFAULT_RENDER_SETTINGS, DEVICES, EngineSettings, RenderSettings
from ..styles import PaintingBlend, parse_preset_blend, split_weight
from . import video


def stroke_value(text: str) -> float | None:
    if text == "native":
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"stroke size is a number (1 = default) or 'native', got {text!r}") from None


def add_stylize_parser(commands) -> None:
    p = commands.add_parser("stylize", help="stylise photos with a preset or a painting")
    p.add_argument("inputs", nargs="+", type=Path, help="image files or folders of images")
    where = p.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="output file (one input only)")
    where.add_argument("--out-dir", type=Path, help="folder for outputs (default: beside each input)")
    style = p.add_mutually_exclusive_group(required=True)
    style.add_argument("--preset", help="preset 0-25, or a blend such as 3:0.5,12:0.5")
    style.add_argument("--style", action="append", metavar="IMAGE[:WEIGHT]", help="a painting; repeat to blend")
    d = DEFAULT_RENDER_SETTINGS
    p.add_argument("--strength", type=float, default=d.strength, help="0..1 (default %(default)s)")
    p.add_argument("--preserve-colors", action="store_true", help="keep the photo's colours")
    p.add_argument("--stroke", type=stroke_value, default=d.stroke,
                   help="brush-stroke size: 1 = default, 2 = twice as big, 'native' = network at full size")
    p.add_argument("--size", type=int, default=d.output_long_side, help="output long side in px (default: the input's)")
    p.add_argument("--quality", choices=("fast", "high"), default=d.quality,
                   help="fast: the feed-forward networks; high: an optimisation on EfficientNet features "
                        "(seconds on a GPU, about a minute at stroke 2 on a CPU)")
    p.add_argument("--format", choices=sorted({s.lstrip(".") for s in OUTPUT_FORMATS}), default="png",
                   help="output type when the name is chosen for you (default png)")
    p.add_argument("--jpeg-quality", type=int, default=92, help="JPEG/WebP quality (default 92)")
    p.add_argument("--16bit", dest="sixteen_bit", action="store_true", help="write 16-bit TIFF")
    p.add_argument("--device", choices=DEVICES, default=DEFAULT_ENGINE_SETTINGS.device)
    p.add_argument("--precision", choices=("auto", "fp32", "fp16"), default=DEFAULT_ENGINE_SETTINGS.precision)
    p.add_argument("--max-pixels", type=float, default=MAX_INPUT_PIXELS / 1e6,
                   help="refuse inputs larger than this many megapixels (default %(default).0f)")
    p.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    p.add_argument("--json", action="store_true", help="print one JSON record per output")
    video.add_arguments(p)
    p.set_defaults(run=run_stylize)


def output_path(source: Path, args, style_tag: str) -> Path:
    if args.output:
        return args.output
    folder = args.out_dir or source.parent
    return folder / f"{source.stem}_{style_tag}.{args.format}"


class TerminalProgress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled, self.shown = label, enabled, -1

    def __call__(self, fraction: float) -> None:
        percent = int(fraction * 100)
        if self.enabled and percent != self.shown:
            self.shown = percent
            bar = "#" * (percent // 4)
            print(f"\r{self.label[:40]:40} [{bar:25}] {percent:3d}%", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self.shown >= 0:
            print(file=sys.stderr)


def run_stylize(args) -> int:
    if video.wants_video(args):
        return video.run(args)
    files, skipped = expand_inputs(args.inputs)
    for entry in skipped:
        print(f"skipped {entry.path}: {entry.reason}", file=sys.stderr)
        if args.json:
            print(json.dumps({"input": str(entry.path), "skipped": entry.reason}))
    if not files:
        print("error: no images found in the inputs given", file=sys.stderr)
        return 2
    if args.output and len(files) > 1:
        print("error: -o names one output file; use --out-dir for several inputs", file=sys.stderr)
        return 2
    if args.out_dir:
        args.out_dir.mkdir(parents=True, exist_ok=True)
    max_pixels = int(args.max_pixels * 1e6)
    settings = RenderSettings(strength=args.strength, preserve_colors=args.preserve_colors,
                              stroke=args.stroke, output_long_side=args.size, quality=args.quality)
    engine = Engine(EngineSettings(device=args.device, precision=args.precision))
    if args.preset is not None:
        style, tag = parse_preset_blend(args.preset), "preset" + args.preset.replace(":", "-").replace(",", "_")
    else:
        paintings, weights = [], []
        for item in args.style:
            path, weight = split_weight(item)
            paintings.append(load_picture(path, max_pixels))
            weights.append(weight)
        style, tag = PaintingBlend(tuple(paintings), tuple(weights)), "style"
    failures = 0
    interactive = sys.stderr.isatty() and not args.json
    for source in files:
        target = output_path(source, args, tag)
        progress = TerminalProgress(source.name, interactive)
        try:
            content = load_picture(source, max_pixels)
            result = engine.render(RenderRequest(content, style, settings), CancelToken(progress))
            progress.done()
            save_picture(result.picture, target, overwrite=args.overwrite, quality=args.jpeg_quality,
                         sixteen_bit=args.sixteen_bit)
        except ImpastoError as exc:
            progress.done()
            failures += 1
            print(f"error: {exc}", file=sys.stderr)
            if args.json:
                print(json.dumps({"input": str(source), "error": str(exc)}))
            continue
        record = {
            "input": str(source), "output": str(target), "size": list(result.picture.size),
            "working_size": list(result.working_size), "device": result.device,
            "seconds": round(result.seconds, 3), "peak_memory_mb": round(result.peak_memory_bytes / 2**20, 1),
            "tiles": result.tiles, "notes": list(result.notes),
        }
        if args.json:
            print(json.dumps(record))
        else:
            print(f"{source.name} -> {target}  ({result.picture.width}x{result.picture.height}, "
                  f"{result.seconds:.2f} s on {result.device})")
            for note in result.notes:
                print(f"  note: {note}")
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="impasto", description="Impasto: neural style transfer for artists. "
                                     "Run it with no command to open the desktop app; 'impasto selftest "
                                     "--screenshot PATH' checks the window.")
    commands = parser.add_subparsers(dest="command", required=True)
    add_stylize_parser(commands)
    from . import bench, contact_sheet

    contact_sheet.add_parser(commands)
    bench.add_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except InvalidRequestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ImpastoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, Cancelled):
        print("\ncancelled", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
