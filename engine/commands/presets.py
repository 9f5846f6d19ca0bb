"""``impasto presets``: render all 26 presets on a photo as a labelled contact sheet.

The parser imports nothing heavy, so ``impasto --help`` starts without torch.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..settings import DEVICES
from .arguments import number_in

SAMPLE_PHOTO = ("images", "chelsea.png")
TILE_RANGE = (16, 2048)  # a sheet of 2048-px tiles is already about 80 megapixels


tile_side = number_in(int, *TILE_RANGE, "a whole number of pixels")


def add_parser(commands) -> None:
    p = commands.add_parser("presets", help="render all 26 presets on a photo as a contact sheet")
    p.add_argument("photo", nargs="?", type=Path, help="photo (default: the bundled sample)")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.add_argument("--tile", type=tile_side, default=256,
                   help=f"size of each thumbnail, {TILE_RANGE[0]} to {TILE_RANGE[1]} (default 256)")
    p.add_argument("--device", choices=DEVICES, default="auto")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(run=run)


def run(args) -> int:
    from ..engine import Engine
    from ..io.imageio import load_picture, save_picture
    from ..resources import resource_path
    from ..settings import EngineSettings
    from .contact_sheet import contact_sheet

    photo = load_picture(args.photo or resource_path(*SAMPLE_PHOTO))
    sheet = contact_sheet(Engine(EngineSettings(device=args.device)), photo, args.tile)
    save_picture(sheet, args.output, overwrite=args.overwrite)
    print(f"wrote {args.output} ({sheet.width}x{sheet.height})", file=sys.stderr)
    return 0
