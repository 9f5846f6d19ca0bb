"""The look the command line asks for (settings, style, regions), shared by pictures and clips."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import InvalidRequestError
from ..io.imageio import load_picture
from ..regions import StyleRegion
from ..settings import RenderSettings
from ..styles import PaintingBlend, PresetBlend, StyleSpec, parse_preset_blend, split_weight
from .region_arguments import parse_region


@dataclass(frozen=True)
class Look:
    """What every input of the batch is rendered with."""

    style: StyleSpec
    regions: tuple[StyleRegion, ...]
    settings: RenderSettings


def render_settings(args) -> RenderSettings:
    return RenderSettings(strength=args.strength, colour=args.colour, stroke=args.stroke, output_long_side=args.size,
                          quality=args.quality, feather=args.feather, snap_to_edges=args.snap_edges)


def chosen_look(args, settings: RenderSettings, preset_blend: PresetBlend | None = None) -> Look:
    """The style and regions, their paintings and masks read (``ImpastoError`` names a file that cannot be used)."""
    style: StyleSpec
    if args.preset is not None:
        style = preset_blend or parse_preset_blend(args.preset)
    else:
        style = chosen_paintings(args)
    return Look(style, tuple(parse_region(text, max_pixels(args)) for text in args.region), settings)


def chosen_paintings(args) -> PaintingBlend:
    """The paintings, each with the style learned from it: the file given with --learned, or the
    one beside the painting; none with --no-learned."""
    from ..learned_style import read_learned
    from .learn import learned_path_beside

    paintings, weights = zip(*map(split_weight, args.style))
    pictures = tuple(load_picture(path, max_pixels(args)) for path in paintings)
    given = list(getattr(args, "learned", []))
    if len(given) > len(pictures):
        raise InvalidRequestError(f"--learned was given {len(given)} times for {len(pictures)} --style paintings")
    learned: list = []
    for number, (path, picture) in enumerate(zip(paintings, pictures)):
        if getattr(args, "no_learned", False):
            learned.append(None)
        elif number < len(given):
            learned.append(read_learned(given[number], picture))
        else:
            beside = learned_path_beside(Path(path))
            learned.append(read_learned(beside, picture) if _is_file(beside) else None)
    return PaintingBlend(pictures, weights, tuple(learned) if any(learned) else ())


def _is_file(path: Path) -> bool:
    """Whether ``path`` is a file; no when its name cannot even be a file's (too long, say)."""
    try:
        return path.is_file()
    except OSError:
        return False


def max_pixels(args) -> int:
    return int(args.max_pixels * 1e6)


def style_tag(args) -> str:
    if args.preset is not None:
        return "preset" + "_".join(part.strip().replace(":", "-") for part in args.preset.split(",") if part.strip())
    return "style"
