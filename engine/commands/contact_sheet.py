"""``impasto presets``: every preset on one photo, as a labelled contact sheet."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw

from ..engine import Engine
from ..imageio import load_picture, picture_from_pil, save_picture, to_pil
from ..networks import PRESET_COUNT
from ..networks.preset_names import PRESET_NAMES
from ..picture import Picture
from ..request import RenderRequest
from ..resources import resource_path
from ..settings import EngineSettings, RenderSettings
from ..styles import preset

SAMPLE_PHOTO = "images/chelsea.png"


def contact_sheet(engine: Engine, photo: Picture, tile: int = 256, columns: int = 7) -> Picture:
    """The photo and all 26 presets at ``tile`` px, each labelled with its number and name."""
    # Strokes twice the default size read well on thumbnails, and the network then runs at
    # 512 px: the 27 renders take seconds on a CPU.
    settings = RenderSettings(output_long_side=tile, stroke=2.0)
    thumbs = [("photo", to_pil(engine.render(RenderRequest(photo, preset(0), settings.with_changes(strength=0.0))).picture))]
    for index in range(PRESET_COUNT):
        thumbs.append((f"preset {index}: {PRESET_NAMES[index]}", to_pil(engine.render(RenderRequest(photo, preset(index), settings)).picture)))
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
    p.add_argument("--tile", type=int, default=256, help="size of each thumbnail (default 256)")
    p.add_argument("--device", default="auto")
    p.add_argument("--overwrite", action="store_true")
    p.set_defaults(run=run)


def run(args) -> int:
    photo = load_picture(args.photo or resource_path(SAMPLE_PHOTO))
    sheet = contact_sheet(Engine(EngineSettings(device=args.device)), photo, args.tile)
    save_picture(sheet, args.output, overwrite=args.overwrite)
    print(f"wrote {args.output} ({sheet.width}x{sheet.height})", file=sys.stderr)
    return 0


__all__ = ["contact_sheet"]
