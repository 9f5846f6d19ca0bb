"""The work of learning a style from a painting, run on the render thread (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine import LearnedStyle, Picture, learn_style, save_learned


def learn_work(painting: Picture, target: Path, steps: int, start: LearnedStyle | None,
               between_steps: Callable[[], None]):
    """Learn, then keep the result in ``target`` (atomically: a cancel or a kill leaves the old
    file or none). Returns the ``LearnedStyle``."""

    def work(engine: Any, token) -> LearnedStyle:
        learned = learn_style(engine, painting, (), steps, token, start, between_steps=between_steps)
        save_learned(learned, target)
        return learned

    return work
