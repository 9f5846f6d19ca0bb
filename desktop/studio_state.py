"""What the artist has chosen, as one immutable value: the unit of undo and redo."""

from __future__ import annotations

from dataclasses import dataclass, replace

from engine import DEFAULT_RENDER_SETTINGS, RenderSettings

FIRST_LAUNCH_PRESET = 13  # the most painterly of the presets on the sample photo (compared by eye)
StyleKey = tuple  # ("preset", index) or ("painting", style id)


@dataclass(frozen=True)
class StudioState:
    content: str = ""  # a file path; "" is the bundled sample photo; "clipboard:N" a pasted image
    style_keys: tuple[StyleKey, ...] = (("preset", FIRST_LAUNCH_PRESET),)
    weights: tuple[float, ...] = (1.0,)
    settings: RenderSettings = DEFAULT_RENDER_SETTINGS

    def with_changes(self, **changes) -> StudioState:
        return replace(self, **changes)

    def with_styles(self, keys: list[StyleKey]) -> StudioState:
        """Select ``keys``; styles already selected keep their weight, new ones weigh 1."""
        old = dict(zip(self.style_keys, self.weights))
        return replace(self, style_keys=tuple(keys), weights=tuple(old.get(k, 1.0) for k in keys))

    def with_weights(self, weights: dict) -> StudioState:
        return replace(self, weights=tuple(weights.get(k, w) for k, w in zip(self.style_keys, self.weights)))

    @property
    def style_kind(self) -> str | None:
        """"preset" or "painting" when the selection can be rendered, else None (empty or mixed)."""
        kinds = {kind for kind, _ in self.style_keys}
        return kinds.pop() if len(kinds) == 1 else None
