"""How the studio names a style: a preset by its number, a painting of the library by its id, or
the photo itself (for a region)."""

from __future__ import annotations

from typing import Literal, NamedTuple

StyleKind = Literal["preset", "painting", "photo"]  # "photo": the photo itself, for a region


class StyleKey(NamedTuple):
    """One style of the gallery: a preset by its number, or a painting of the library by its id
    (and, for a region, ``PHOTO_STYLE``: the photo's own look)."""

    kind: StyleKind
    ident: int | str

    @classmethod
    def preset(cls, index: int) -> StyleKey:
        return cls("preset", index)

    @classmethod
    def painting(cls, style_id: str) -> StyleKey:
        return cls("painting", style_id)

    @property
    def preset_index(self) -> int:
        """A preset's number (for a preset key)."""
        return int(self.ident)

    @property
    def painting_id(self) -> str:
        """A painting's id in the library (for a painting key)."""
        return str(self.ident)


PHOTO_STYLE = StyleKey("photo", "photo")  # a region that paints the photo back (the engine's PHOTO)
Weights = dict[StyleKey, float]  # what the blend sliders send: the weight of each selected style
