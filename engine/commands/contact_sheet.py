"""``impasto presets``: every preset on one photo, as a labelled contact sheet."""

from __future__ import annotations

import sys
from pathlib import Path

import torch
from PIL import Image, ImageDraw
from torchvision.utils import make_grid

from ..engine import Engine
from ..imageio import load_picture, picture_from_pil, save_picture
from ..networks import PRESET_COUNT
from ..picture import Picture
from ..request import RenderRequest
from ..resources import resource_path
from ..settings import EngineSettings, RenderSettings
from ..styles import preset

SAMPLE_PHOTO = "images/chelsea.png"
LABEL_HEIGHT, PADDING, BACKGROUND = 18, 6, 0.97


def contact_sheet(engine: Engine, photo: Picture, tile: int = 256, columns: int = 7) -> Picture:
    """The photo and all 26 presets at ``tile`` px, each labelled with its number."""
    # Strokes twice the default size read well on thumbnails, and the network then runs at
    # 512 px: the 27 renders take seconds on a CPU.
    settings = RenderSettings(output_long_side=tile, stroke=2.0)
    renders = [("photo", engine.render(RenderRequest(photo, preset(0), settings.with_changes(strength=0.0))))]
    renders += [(f"preset {i}", engine.render(RenderRequest(photo, preset(i), settings))) for i in range(PRESET_COUNT)]
    labelled = [_labelled(name, result.picture) for name, result in renders]
    sheet = make_grid(torch.cat(labelled), nrow=columns, padding=PADDING, pad_value=BACKGROUND)
    return Picture.from_tensor(sheet[None], name="presets")


def _labelled(name: str, picture: Picture) -> torch.Tensor:
    """The picture with a strip above it naming it, as a (1, 3, H, W) tensor."""
    label = Image.new("RGB", (picture.width, LABEL_HEIGHT), (round(BACKGROUND * 255),) * 3)
    ImageDraw.Draw(label).text((2, 3), name, fill=(40, 40, 40))
    return torch.cat([picture_from_pil(label).tensor(), picture.tensor()], dim=2)


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
