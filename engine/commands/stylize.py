"""``impasto stylize``: everything that can be checked is checked before the first render (the
values, the device, the style, the regions, every output's name and folder), then each input is
read, rendered and saved in turn; a bad file is reported and the batch goes on."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ..engine import Engine
from ..errors import ImpastoError
from ..io.atomic import name_too_long
from ..io.imageio import expand_inputs, folder_problem, load_picture, output_problem, save_picture
from ..io.openraster import write_openraster
from ..layered import render_layers
from ..limits import OUTPUT_FORMATS, VIDEO_OUTPUT_SUFFIXES
from ..progress import CancelToken
from ..request import RenderRequest
from ..settings import EngineSettings
from ..styles import normalised_weights, parse_preset_blend, split_weight
from .outputs import Naming, OutputPlan, out_dir_problem, plan_outputs, same_file
from .region_arguments import check_region
from .report import EXIT_BAD_ARGUMENTS, EXIT_FAILED, Report, TerminalProgress, with_hint
from .stylise_look import Look, chosen_look, max_pixels, render_settings, style_tag
from .video_arguments import may_be_video


def destination_problem(args) -> str | None:
    """What is wrong with ``-o``, ``--out-dir`` or ``--layers`` themselves; ``--out-dir`` is created here."""
    return layers_problem(args) or outputs_problem(args)


def layers_problem(args) -> str | None:
    layers = args.layers
    if layers is None:
        return None
    if layers.suffix.lower() != ".ora":
        return f"--layers {layers}: a layered file is an OpenRaster file; name it .ora"
    if os.path.isdir(layers):
        return f"--layers {layers} is a folder; name a file in it"
    if os.path.lexists(layers) and not args.overwrite:
        return f"--layers {layers} already exists; choose another name or add --overwrite"
    longest = name_too_long(layers)
    if longest is not None:
        return f"--layers {layers.name}: the name is longer than the file system allows ({longest} bytes)"
    return folder_problem(layers.parent)


def outputs_problem(args) -> str | None:
    if args.output is not None:
        if os.path.isdir(args.output):
            return f"-o {args.output} is a folder; name a file (such as {args.output / 'out.png'}) or use --out-dir"
        if Path(args.output).suffix.lower() in VIDEO_OUTPUT_SUFFIXES:  # the input is a still (a 1-frame GIF is one)
            return (f"-o {Path(args.output).name} is a video, but the input is a still picture (a GIF or WebP with "
                    f"one frame is one); name a picture ({', '.join(sorted(OUTPUT_FORMATS))}), or give a video, an "
                    f"animation or a folder of numbered frames (--sequence)")
        return output_problem(args.output)
    return out_dir_problem(args)


def run_stylize(args) -> int:
    """Everything that can be checked is checked before the first render: the values, the
    device, the style's weights, where outputs go and every output's name."""
    if may_be_video(args):
        from . import video

        if video.wants_video(args):
            return video.run(args)
    report = Report(args.json)
    settings = render_settings(args)
    engine = Engine(EngineSettings(device=args.device, precision=args.precision))
    engine.device  # noqa: B018 - an absent device is a bad argument, said before anything is read
    # Bad values are bad arguments (exit 2), found before any file is read.
    preset_blend = parse_preset_blend(args.preset) if args.preset is not None else None
    for text in args.region:
        check_region(text)
    if args.style is not None:
        normalised_weights([split_weight(item)[1] for item in args.style], "painting")
    plan = planned_outputs(args, report)
    if plan is None:
        return EXIT_BAD_ARGUMENTS
    if not plan.jobs:
        return EXIT_FAILED if report.failures else 0
    try:
        look = chosen_look(args, settings, preset_blend)
    except ImpastoError as exc:  # a painting or a mask that cannot be used
        report.error(with_hint(exc))
        return EXIT_FAILED
    for source, target in plan.jobs:
        render_one(engine, source, target, look, args, report)
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
    if args.layers is not None and len(files) > 1:
        report.error("--layers names one layered file; give one input")
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


def render_one(engine: Engine, source: Path, target: Path, look: Look, args, report: Report) -> None:
    progress = TerminalProgress(source.name, sys.stderr.isatty() and not args.json)
    try:
        content = load_picture(source, max_pixels(args))
        request = RenderRequest(content, look.style, look.settings, regions=look.regions)
        if args.layers is None:
            result = engine.render(request, CancelToken(progress))
        else:
            layered = render_layers(engine, request, CancelToken(progress))
            result = layered.merged
        progress.done()
        save_picture(result.picture, target, overwrite=args.overwrite, quality=args.jpeg_quality,
                     sixteen_bit=args.sixteen_bit)
        if args.layers is not None:
            write_openraster(layered, args.layers, overwrite=args.overwrite)
    except ImpastoError as exc:
        progress.done()
        report.failed(source, with_hint(exc))
        return
    report.done(source, target, result)
