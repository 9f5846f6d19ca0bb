"""``impasto stylize clip.mp4 -o out.mp4 --preset 7``: clips and frame sequences on the command line.

``stylize.run_stylize`` hands over here when an input is a video file, an animated GIF or WebP, or
``--sequence`` names folders of numbered frames. The look options are the stills' own.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from ..engine import Engine
from ..errors import ImpastoError, InvalidRequestError
from ..io.atomic import name_too_long
from ..io.imageio import folder_problem
from ..limits import OUTPUT_FORMATS
from ..progress import CancelToken
from ..settings import EngineSettings, VideoSettings
from ..video import ClipResult, ClipTarget, is_clip_file, open_clip, stylise_clip
from ..video.codecs import choose_codec
from ..video.writers import check_target
from .outputs import Naming, out_dir_problem, plan_outputs, same_file
from .region_arguments import check_region
from .report import EXIT_BAD_ARGUMENTS, EXIT_FAILED, Report
from .stylise_look import Look, chosen_look, max_pixels, render_settings, style_tag


def wants_video(args) -> bool:
    """A clip in, unless an animated GIF or WebP is asked for as a still (``-o still.png``: its first frame)."""
    if args.sequence:
        return True
    still_wanted = args.output is not None and args.output.suffix.lower() in OUTPUT_FORMATS
    return any(is_clip_file(path) and not (still_wanted and path.suffix.lower() in (".gif", ".webp"))
               for path in args.inputs)


def run(args) -> int:
    """Everything that can be checked is checked before the first clip is opened: the values, the
    regions' text, where every output goes, its name, type and codec, and that no output is an
    input or another's output (``plan_outputs``, as for pictures)."""
    for text in args.region:
        check_region(text)  # a bad argument: exit 2 before anything is read
    report = Report(args.json)
    problem = _arguments_problem(args) or _destination_problem(args)
    if problem is not None:
        report.error(problem)
        return EXIT_BAD_ARGUMENTS
    tag = style_tag(args)
    naming = Naming(tag, None if args.sequence else "mp4", args.out_dir, args.output)
    plan = plan_outputs(list(args.inputs), naming, overwrite=args.overwrite, name_problem=_name_problem(args))
    for entry in plan.skipped:
        report.skipped(entry)
    for entry in plan.refused:
        report.failed(entry.path, entry.reason)
    if not plan.jobs:
        return EXIT_FAILED
    video = VideoSettings(temporal=args.temporal, codec=args.codec, keep_audio=not args.no_audio,
                          sequence_fps=args.fps, allow_long=args.allow_long)
    settings = render_settings(args)
    engine = Engine(EngineSettings(device=args.device, precision=args.precision))
    try:
        look = chosen_look(args, settings)  # a region's mask applies to every frame
    except ImpastoError as exc:
        report.error(exc)
        return EXIT_FAILED
    outcomes = [_one_clip(engine, path, look, video, _clip_target(target, args), args, report)
                for path, target in plan.jobs]
    if "bad arguments" in outcomes:
        return EXIT_BAD_ARGUMENTS
    return EXIT_FAILED if "failed" in outcomes or plan.refused else 0


def _arguments_problem(args) -> str | None:
    clips = [path for path in args.inputs if (path.is_dir() if args.sequence else is_clip_file(path))]
    if len(clips) != len(args.inputs):
        return ("--sequence takes folders of numbered frames only" if args.sequence else
                "stylise clips and still pictures in separate runs")
    if args.output and len(args.inputs) > 1:
        return "-o names one output; use --out-dir for several clips"
    if args.layers is not None:
        return "--layers is for still pictures; a clip's regions are painted into every frame"
    if args.output is not None and any(same_file(args.output, path) for path in args.inputs):
        return f"-o {args.output} is the input itself; an input is never replaced"
    return None


def _destination_problem(args) -> str | None:
    """What is wrong with ``-o`` (its type, codec and folder) or ``--out-dir``, before any clip is opened."""
    if args.output is None:
        if not args.sequence:  # every output is an .mp4: a codec it cannot hold is a bad argument
            try:
                choose_codec(".mp4", args.codec)
            except ImpastoError as exc:
                return str(exc)
        return out_dir_problem(args)
    return _name_problem(args)(args.output) or folder_problem(args.output.parent)


def _name_problem(args):
    """An output's problem that its name, type and codec tell (whether a file exists is the planner's)."""

    def problem(target: Path) -> str | None:
        longest = name_too_long(target)
        if longest is not None:
            return f"{target.name}: the name is longer than the file system allows ({longest} bytes)"
        try:  # overwrite=True: an existing file is the planner's question (--overwrite), asked once
            check_target(replace(_clip_target(target, args), overwrite=True))
        except ImpastoError as exc:
            return str(exc)
        return None

    return problem


def _clip_target(path: Path, args) -> ClipTarget:
    return ClipTarget(path, codec=args.codec, frame_format=f".{args.format}", sixteen_bit=args.sixteen_bit,
                      keep_audio=not args.no_audio, overwrite=args.overwrite)


def _one_clip(engine: Engine, path: Path, look: Look, video: VideoSettings, target: ClipTarget, args,
              report: Report) -> str:
    progress = ClipProgress(path.name, sys.stderr.isatty() and not args.json)
    try:
        source = open_clip(path, video.sequence_fps, max_pixels(args))
        if not args.json:
            print(f"{path.name}: {source.info.describe()}", file=sys.stderr)
        result = stylise_clip(engine, source, look.style, look.settings, target, video, CancelToken(progress.fraction),
                              progress.frame, regions=look.regions)
    except ImpastoError as exc:
        progress.done()
        report.failed(path, exc)
        return "bad arguments" if isinstance(exc, InvalidRequestError) else "failed"
    progress.done()
    _report(path, result, args.json)
    return "done"


def _report(path: Path, result: ClipResult, as_json: bool) -> None:
    record = {
        "input": str(path), "output": str(result.target), "frames": result.frames, "shots": result.shots,
        "seconds": round(result.seconds, 2), "frames_per_second": round(result.frames / max(result.seconds, 1e-9), 2),
        "size": list(result.size), "working_size": list(result.working_size), "device": result.device,
        "codec": result.codec, "temporal": result.temporal, "audio": result.audio, "notes": list(result.notes),
    }
    if as_json:
        print(json.dumps(record))
        return
    what = f"{result.codec}" + (", sound copied" if result.audio else "") if result.codec else "frames"
    print(f"{path.name} -> {result.target}  ({result.frames} frames, {result.shots} shot(s), {what}, "
          f"{record['frames_per_second']} frames/s on {result.device})")
    for note in result.notes:
        print(f"  note: {note}")


class ClipProgress:
    """One line on stderr, only when stderr is a terminal: the bar, frames/s and time left."""

    def __init__(self, label: str, enabled: bool):
        self.label, self.enabled = label, enabled
        self.shown, self.rate_text = "", ""
        self.started: tuple[float, int] | None = None  # when the rate is first measured from, and at which frame

    def fraction(self, fraction: float) -> None:
        self._show(fraction)

    def frame(self, done: int, expected: int) -> None:
        now = time.perf_counter()
        if self.started is None:
            self.started = (now, done)
            return
        first_time, first_done = self.started
        if now > first_time and done > first_done:
            rate = (done - first_done) / (now - first_time)
            left = round((expected - done) / rate)
            self.rate_text = f"  frame {done}/{expected}  {rate:.2f} frames/s  ETA {left // 60}:{left % 60:02d}"

    def _show(self, fraction: float) -> None:
        percent = int(fraction * 100)
        line = f"\r{self.label[:30]:30} [{'#' * (percent // 4):25}] {percent:3d}%{self.rate_text}"
        if self.enabled and line != self.shown:
            self.shown = line
            print(line.ljust(100), end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self.shown:
            print(file=sys.stderr)
