"""Pictures made from a seed, for benchmarks and checks that must not depend on files."""

from __future__ import annotations

import numpy as np
from PIL import Image

from ..picture import Picture


def synthetic_photo(side: int, seed: int = 0, height: int | None = None) -> Picture:
    """A smooth random picture (``side`` wide, ``height`` or ``side`` high): timings do not depend on content."""
    height = height or side
    rng = np.random.default_rng(seed)
    small = rng.integers(0, 256, (max(2, height // 64), max(2, side // 64), 3), dtype=np.uint8)
    return Picture.from_uint8(np.asarray(Image.fromarray(small).resize((side, height), Image.Resampling.BICUBIC)),
                              f"{side}x{height}px")
