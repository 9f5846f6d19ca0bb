"""Every preset on one photo, as a labelled contact sheet (``impasto presets``)."""

from __future__ import annotations

import torch
from PIL import Image, ImageDraw
from torchvision.utils import make_grid

from ..engine import Engine
from ..io.imageio import picture_from_pil
from ..networks import PRESET_COUNT
from ..networks.preset_names import PRESET_NAMES
from ..picture import Picture
from ..request import RenderRequest
from ..settings import RenderSettings
from ..styles import preset

LABEL_HEIGHT, PADDING, BACKGROUND = 18, 6, 0.97


def contact_sheet(engine: Engine, photo: Picture, tile: int = 256, columns: int = 7) -> Picture:
    """The photo and all 26 presets at ``tile`` px, each labelled with its number and name."""
    # Strokes twice the default size read well on thumbnails, and the network then runs at
    # 512 px: the 27 renders take seconds on a CPU.
    settings = RenderSettings(output_long_side=tile, stroke=2.0)
    renders = [("photo", engine.render(RenderRequest(photo, preset(0), settings.with_changes(strength=0.0))))]
    renders += [(f"preset {i}: {PRESET_NAMES[i]}", engine.render(RenderRequest(photo, preset(i), settings)))
                for i in range(PRESET_COUNT)]
    labelled = [_labelled(name, result.picture) for name, result in renders]
    sheet = make_grid(torch.cat(labelled), nrow=columns, padding=PADDING, pad_value=BACKGROUND)
    return Picture.from_tensor(sheet[None], name="presets")


def _labelled(name: str, picture: Picture) -> torch.Tensor:
    """The picture with a strip above it naming it, as a (1, 3, H, W) tensor."""
    label = Image.new("RGB", (picture.width, LABEL_HEIGHT), (round(BACKGROUND * 255),) * 3)
    ImageDraw.Draw(label).text((2, 3), name, fill=(40, 40, 40))
    return torch.cat([picture_from_pil(label).tensor(), picture.tensor()], dim=2)
