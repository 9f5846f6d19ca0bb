"""``impasto learn painting.jpg``: a style fitted to one painting, kept in a small file that
``impasto stylize --style painting.jpg`` then uses (beside the painting, or where ``-o`` says).

The parser imports nothing heavy, so ``impasto --help`` starts without torch.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from ..limits import LEARNING_STEPS as DEFAULT_STEPS
from ..settings import DEVICES
from .arguments import number_in

STEPS_RANGE = (1, 5000)
steps_count = number_in(int, *STEPS_RANGE, "a whole number of steps")


def learned_path_beside(painting: Path) -> Path:
    """Where a painting's learned style is kept when no other place is given: beside it."""
    from ..learned_style import LEARNED_STYLE_SUFFIX

    return painting.with_name(painting.name + LEARNED_STYLE_SUFFIX)


def add_parser(commands) -> None:
    p = commands.add_parser("learn", help="learn a style from one painting (a few minutes on a CPU)",
                            description="Fit the painting network to one painting, so that stylize paints "
                                        "with it at the usual speed and closer to the painting.")
    p.add_argument("painting", type=Path)
    p.add_argument("-o", "--output", type=Path, help="the learned style's file (default: beside the painting, "
                                                     "named PAINTING.impasto-style)")
    p.add_argument("--steps", type=steps_count, default=DEFAULT_STEPS,
                   help=f"how long to learn, {STEPS_RANGE[0]} to {STEPS_RANGE[1]} (default {DEFAULT_STEPS})")
    p.add_argument("--photo", type=Path, action="append", default=[],
                   help="a photo of yours to learn on too, beside the shipped ones (repeatable)")
    p.add_argument("--resume", action="store_true", help="go on from the learned style already in the output file")
    p.add_argument("--device", choices=DEVICES, default="auto")
    p.add_argument("--json", action="store_true", help="print one JSON record: file, steps, loss, seconds")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..engine import Engine
    from ..errors import ImageWriteError
    from ..io.imageio import load_picture
    from ..learned_style import read_learned, save_learned
    from ..learning import learn_style
    from ..progress import CancelToken
    from ..settings import EngineSettings

    painting = load_picture(args.painting)
    target = args.output or learned_path_beside(args.painting)
    if not target.parent.is_dir() or not os.access(target.parent, os.W_OK):  # before minutes of learning
        raise ImageWriteError(f"cannot write into {target.parent}; choose another place with -o")
    start = read_learned(target, painting) if args.resume and target.exists() else None
    photos = [load_picture(path) for path in args.photo]
    began = time.monotonic()

    def progress(fraction: float) -> None:
        if not args.json:
            print(f"\rlearning {args.painting.name}: {fraction:.0%}", end="", file=sys.stderr, flush=True)

    learned = learn_style(Engine(EngineSettings(device=args.device)), painting, photos, args.steps,
                          CancelToken(progress), start)
    try:
        save_learned(learned, target)
    except OSError as exc:
        raise ImageWriteError(f"could not write {target}: {exc.strerror or exc}; choose another place with -o") from None
    seconds = time.monotonic() - began
    if args.json:
        print(json.dumps({"file": str(target), "steps": learned.steps, "loss": round(learned.loss, 4),
                          "seconds": round(seconds, 1)}))
    else:
        print(f"\rlearned {args.painting.name} in {seconds:.0f} s ({learned.steps} steps, loss {learned.loss:.2f} "
              f"of the start): {target}", file=sys.stderr)
    return 0
