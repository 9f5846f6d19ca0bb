"""The work of learning a style from a painting, run on the render thread (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from engine import LearnedStyle, Picture, learn_style, save_learned


def learn_work(painting: Picture, target: Path, steps: int, start: LearnedStyle | None,
               between_steps: Callable[[], None], on_checkpoint: Callable[[LearnedStyle], None],
               checkpoint_every: int):
    """Learn, telling ``on_checkpoint`` (from the render thread) the style so far now and then;
    then keep the result in ``target`` (atomically: a cancel or a kill leaves the old file or
    none). Returns the ``LearnedStyle``."""

    def work(engine: Any, token) -> LearnedStyle:
        learned = learn_style(engine, painting, (), steps, token, start, between_steps=between_steps,
                              on_checkpoint=on_checkpoint, checkpoint_every=checkpoint_every)
        save_learned(learned, target)
        return learned

    return work
