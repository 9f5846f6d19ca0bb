import numpy as np
import pytest
from PIL import Image

from engine import Engine, EngineSettings, Picture, load_picture
from engine.resources import resource_path


@pytest.fixture(scope="session")
def cpu_engine() -> Engine:
    return Engine(EngineSettings(device="cpu"))


@pytest.fixture(scope="session")
def photo() -> Picture:
    """A real photograph (CC0, see resources/images/CREDITS.md), 451 x 300."""
    return load_picture(resource_path("images", "chelsea.png"))


def smooth_picture(width: int, height: int, seed: int = 0) -> Picture:
    rng = np.random.default_rng(seed)
    coarse = rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)
    return Picture.from_uint8(np.asarray(Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC)), "smooth")


def textured_painting(seed: int = 1, side: int = 256) -> Picture:
    """A stand-in painting: coloured strokes on a canvas, generated so tests need no files."""
    rng = np.random.default_rng(seed)
    canvas = np.full((side, side, 3), rng.integers(0, 256, 3), dtype=np.uint8)
    for _ in range(120):
        y, x = rng.integers(0, side - 24, 2)
        canvas[y : y + rng.integers(4, 24), x : x + rng.integers(4, 24)] = rng.integers(0, 256, 3)
    return Picture.from_uint8(canvas, "painting")
