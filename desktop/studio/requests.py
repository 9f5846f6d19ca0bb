"""From the studio's state to the engine's requests: the style, the regions, and the settings of
each kind of render (preview, drag draft, actual-size detail, export)."""

from __future__ import annotations

from desktop.jobs.region_sources import RegionSource
from engine import PHOTO, REFERENCE_LONG_SIDE, PaintingBlend, PresetBlend, RegionStyle, RenderSettings

from .pictures import LoadedPictures
from .state import StudioState
from .style_keys import StyleKey


def style_spec(state: StudioState, pictures: LoadedPictures) -> PresetBlend | PaintingBlend:
    """Raises ImpastoError (bad weights, unreadable painting) or KeyError (painting gone)."""
    if state.style_kind == "preset":
        return PresetBlend(tuple(key.preset_index for key in state.style_keys), state.weights)
    return _paintings([key.painting_id for key in state.style_keys], state.weights, pictures)


def _paintings(style_ids: list[str], weights, pictures: LoadedPictures) -> PaintingBlend:
    """The paintings, each with the style learned from it where there is one."""
    learned = tuple(pictures.learned(style_id) for style_id in style_ids)
    return PaintingBlend(tuple(pictures.painting(style_id) for style_id in style_ids), tuple(weights),
                         learned if any(item is not None for item in learned) else ())


def region_style(key: StyleKey, pictures: LoadedPictures) -> RegionStyle:
    if key.kind == "preset":
        return PresetBlend((key.preset_index,), (1.0,))
    if key.kind == "painting":
        return _paintings([key.painting_id], (1.0,), pictures)
    return PHOTO


def region_sources(state: StudioState, pictures: LoadedPictures, names) -> tuple[RegionSource, ...]:
    """The state's regions ready to render; ``names(key)`` names each (a layer's name). Raises as
    ``style_spec`` does."""
    return tuple(RegionSource(region_style(r.style, pictures), r.mask, names(r.style), r.strength)
                 for r in state.regions.items)


def preview_settings(settings: RenderSettings, long_side: int, draft_long_side: int | None,
                     fade_in_studio: bool) -> RenderSettings:
    """A preview is always fast (high quality is for export). A preset the studio fades itself
    is rendered at full strength once; a drag's draft caps the working size."""
    return settings.with_changes(quality="fast", output_long_side=long_side, max_working_side=draft_long_side,
                                 strength=1.0 if fade_in_studio else settings.strength)


def detail_settings(settings: RenderSettings, photo_size: tuple[int, int],
                    region_size: tuple[int, int]) -> RenderSettings:
    """A crop of the photo at its own pixels, run at the working scale of the whole picture, so
    its strokes are the size they will be in the export."""
    if settings.stroke is None:
        return settings.with_changes(quality="fast", output_long_side=None, max_working_side=None)
    working_long_side = REFERENCE_LONG_SIDE / settings.stroke * max(region_size) / max(photo_size)
    return settings.with_changes(quality="fast", output_long_side=None,
                                 max_working_side=max(16, round(working_long_side)))
