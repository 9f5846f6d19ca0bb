"""The studio's Regions mode: the brush (which style it paints, its size and softness, or the
eraser) and the stroke in progress. A stroke's every mouse move is a draft state previewed
through the studio's latest-wins preview, as a slider drag is; its release is one undo step.
The mode and the brush are not part of the undo history; ``tool_changed`` shows them."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from desktop.studio.content import StudioContent
from desktop.studio.core import StudioCore
from desktop.studio.region_masks import DEFAULT_BRUSH, Brush, Point, Regions, Stroke, mask_size
from desktop.studio.style_keys import PHOTO_STYLE, StyleKey
from engine import PHOTO, default_region_strength


@dataclass(frozen=True)
class RegionTool:
    on: bool = False  # the Regions mode: the gallery picks the brush's style, the preview is painted on
    style: StyleKey | None = None  # what the brush paints; None until one is picked
    brush: Brush = DEFAULT_BRUSH

    def with_changes(self, **changes) -> RegionTool:
        return replace(self, **changes)


class RegionEditor(QObject):
    tool_changed = Signal(object)  # RegionTool

    def __init__(self, core: StudioCore, content: StudioContent):
        super().__init__()
        self._core, self._content = core, content
        self.tool = RegionTool()
        self._stroke: Stroke | None = None

    # -- the tool -------------------------------------------------------------------------

    def set_mode(self, on: bool) -> None:
        if on and self.tool.style is None and self._core.state.regions:
            self._set_tool(self.tool.with_changes(on=on, style=self._core.state.regions.styles[-1]))
        else:
            self._set_tool(self.tool.with_changes(on=on))

    def choose_style(self, key: StyleKey | None) -> None:
        """The brush paints ``key`` (and paints, rather than erases, from now on)."""
        self._set_tool(self.tool.with_changes(style=key, brush=replace(self.tool.brush, erasing=False)))

    def set_brush(self, brush: Brush) -> None:
        self._set_tool(self.tool.with_changes(brush=brush))

    def _set_tool(self, tool: RegionTool) -> None:
        if tool != self.tool:
            self.tool = tool
            self.tool_changed.emit(tool)

    # -- strokes --------------------------------------------------------------------------

    def begin_stroke(self, point: Point) -> None:
        core, tool = self._core, self.tool
        shown = self._content.source()  # the photo, or the clip (its regions go on every frame)
        if shown is None or not tool.on:
            return
        if tool.style is None and not tool.brush.erasing:
            core.tell("Pick a style in the gallery first: the brush paints where it goes.", error=True)
            return
        regions = core.state.regions
        if regions.size != mask_size(shown.size):  # not expected: regions follow the photo
            regions = Regions.empty_for(shown.size)
        self._stroke = Stroke(regions, tool.style, tool.brush, shown.size)
        self.continue_stroke(point)

    def continue_stroke(self, point: Point) -> None:
        if self._stroke is not None and self._stroke.add(point) is not None:
            self._core.change(self._core.state.with_changes(regions=self._stroke.regions()), False, "")

    def end_stroke(self) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke is not None:
            text = "Erase regions" if stroke.brush.erasing else "Paint region"
            self._core.change(self._core.state.with_changes(regions=stroke.regions()), True, text)

    # -- whole regions --------------------------------------------------------------------

    def invert(self) -> None:
        """The brush's style everywhere it was not (and nowhere it was)."""
        core, style = self._core, self.tool.style
        shown = self._content.source()
        if style is None or shown is None:
            return
        regions = core.state.regions
        if regions.size != mask_size(shown.size):
            regions = Regions.empty_for(shown.size)
        core.change(core.state.with_changes(regions=regions.inverted(style)), True, "Invert region")

    def clear(self) -> None:
        """Take away the brush's region: its pixels go back to the studio's style."""
        if self.tool.style is not None:
            state = self._core.state
            self._core.change(state.with_changes(regions=state.regions.without(self.tool.style)), True,
                                "Clear region")

    def clear_all(self) -> None:
        state = self._core.state
        self._core.change(state.with_changes(regions=Regions(state.regions.size)), True, "Clear all regions")

    def set_strength(self, style: StyleKey, strength: float, final: bool) -> None:
        """How much of ``style`` its region keeps (0: the photo); mid-drag a preview, on release one undo step."""
        state = self._core.state
        if state.regions.mask_of(style) is not None:
            engine_style = PHOTO if style == PHOTO_STYLE else None
            kept = None if strength == default_region_strength(engine_style) else float(strength)  # the default: unset
            self._core.change(state.with_changes(regions=state.regions.with_strength(style, kept)), final,
                                "Region strength")

    def set_snap(self, on: bool) -> None:
        self._core.edit_settings(self._core.state.settings.with_changes(snap_to_edges=on), True)

    def set_feather(self, pixels: float, final: bool) -> None:
        self._core.edit_settings(self._core.state.settings.with_changes(feather=float(pixels)), final)
