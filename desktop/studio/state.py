"""What the artist has chosen, as one immutable value: the unit of undo and redo."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from engine import DEFAULT_RENDER_SETTINGS, PRESET_COUNT, RenderSettings

from .region_masks import NO_REGIONS, Regions
from .settings import AppSettings
from .style_keys import StyleKey, StyleKind, Weights

FIRST_LAUNCH_PRESET = 13  # the most painterly of the presets on the sample photo (compared by eye)
ContentKind = Literal["picture", "clip"]


@dataclass(frozen=True)
class StudioState:
    content: str = ""  # a file path; "" is the bundled sample photo; "clipboard:N" a pasted image
    style_keys: tuple[StyleKey, ...] = (StyleKey.preset(FIRST_LAUNCH_PRESET),)
    weights: tuple[float, ...] = (1.0,)
    settings: RenderSettings = DEFAULT_RENDER_SETTINGS
    regions: Regions = NO_REGIONS  # where other styles go; the rest takes ``style_keys``
    content_kind: ContentKind = "picture"  # "clip": ``content`` is a video file or a folder of numbered frames

    def with_changes(self, **changes) -> StudioState:
        return replace(self, **changes)

    def with_styles(self, keys: list[StyleKey]) -> StudioState:
        """Select ``keys``; styles already selected keep their weight, new ones weigh 1."""
        old = dict(zip(self.style_keys, self.weights))
        return replace(self, style_keys=tuple(keys), weights=tuple(old.get(k, 1.0) for k in keys))

    def with_weights(self, weights: Weights) -> StudioState:
        return replace(self, weights=tuple(weights.get(k, w) for k, w in zip(self.style_keys, self.weights)))

    @property
    def style_kind(self) -> StyleKind | None:
        """"preset" or "painting" when the selection can be rendered, else None (empty or mixed)."""
        kinds = {key.kind for key in self.style_keys}
        return kinds.pop() if len(kinds) == 1 else None

    def paintings(self) -> list[str]:
        return [key.painting_id for key in self.style_keys if key.kind == "painting"]


def remembered_state(settings: AppSettings, painting_ids: set[str]) -> StudioState:
    """The last session's photo or clip, look and styles; a style that is gone since (not a
    preset, or not among ``painting_ids``) falls back to the default."""
    kind: ContentKind = "clip" if settings.last_content_kind == "clip" else "picture"
    state = StudioState(content=settings.last_content, content_kind=kind, settings=settings.render)
    keys = []
    for entry in settings.last_styles:
        key = StyleKey(*entry) if isinstance(entry, list) and len(entry) == 2 else None
        if key is not None and ((key.kind == "preset" and isinstance(key.ident, int) and 0 <= key.ident < PRESET_COUNT)
                                or (key.kind == "painting" and key.ident in painting_ids)):
            keys.append(key)
    if not keys or len(keys) != len(settings.last_styles):
        return state
    weights = settings.last_weights
    if len(weights) != len(keys) or not all(isinstance(w, (int, float)) and 0 <= w <= 1 for w in weights):
        weights = [1.0] * len(keys)
    return state.with_changes(style_keys=tuple(keys), weights=tuple(float(w) for w in weights))
