"""``impasto presets``: every preset on one photo, as a labelled contact sheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw

from ..engine import Engine
from ..imageio import load_picture, picture_from_pil, save_picture, to_pil
from ..networks import PRESET_COUNT
from ..picture import Picture
from ..request import RenderRequest
from ..resources import resource_path
from ..settings import DEVICES, EngineSettings, RenderSettings
from ..styles import preset

SAMPLE_PHOTO = "images/chelsea.png"
TILE_RANGE = (16, 2048)  # a sheet of 2048-px tiles is already about 80 megapixels


def tile_side(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not TILE_RANGE[0] <= value <= TILE_RANGE[1]:
        raise argparse.ArgumentTypeError(f"a whole number of pixels from {TILE_RANGE[0]} to {TILE_RANGE[1]}, got {text!r}")
    return value


def contact_sheet(engine: Engine, photo: Picture, tile: int = 256, columns: int = 7) -> Picture:
    """The photo and all 26 presets at ``tile`` px, each labelled with its number."""
    # Strokes twice the default size read well on thumbnails, and the network then runs at
    # 512 px: the 27 renders take seconds on a CPU.
    settings = RenderSettings(output_long_side=tile, stroke=2.0)
    thumbs = [("photo", to_pil(engine.render(RenderRequest(photo, preset(0), settings.with_changes(strength=0.0))).picture))]
    for index in range(PRESET_COUNT):
        thumbs.append((f"preset {index}", to_pil(engine.render(RenderRequest(photo, preset(index), settings)).picture)))
    width, height = thumbs[0][1].size
    label, pad = 18, 6
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * (width + pad) + pad, rows * (height + label + pad) + pad), (250, 248, 244))
    draw = ImageDraw.Draw(sheet)
    for n, (name, image) in enumerate(thumbs):
        row, col = divmod(n, columns)
        x, y = pad + col * (width + pad), pad + row * (height + label + pad)
        draw.text((x + 2, y + 3), name, fill=(40, 40, 40))
        sheet.paste(image.convert("RGB"), (x, y + label))
    return picture_from_pil(sheet, "presets")


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
    photo = load_picture(args.photo or resource_path(SAMPLE_PHOTO))
    sheet = contact_sheet(Engine(EngineSettings(device=args.device)), photo, args.tile)
    save_picture(sheet, args.output, overwrite=args.overwrite)
    print(f"wrote {args.output} ({sheet.width}x{sheet.height})", file=sys.stderr)
    return 0


__all__ = ["contact_sheet"]
