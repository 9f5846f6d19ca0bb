"""Every number can be typed or dragged: the sliders' boxes, with real key and mouse events."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.studio import StyleKey
from engine import DEFAULT_RENDER_SETTINGS

from .conftest import drag


def type_into(box, text: str) -> None:
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, text)
    QTest.keyClick(box, Qt.Key.Key_Return)


def test_a_typed_strength_is_the_strength_rendered(qtbot, window, fake_engine):
    type_into(window.controls.strength_input.box, "50")
    assert window.studio.state.settings.strength == 0.5
    assert window.controls.strength.value() == 50
    type_into(window.controls.stroke_input.box, "1.37")
    assert window.studio.state.settings.stroke == 1.37, "the number typed, not the slider's nearest step"
    assert window.studio.core.undo_stack.count() == 2
    qtbot.waitUntil(lambda: fake_engine.requests[-1].settings.stroke == 1.37, timeout=3000)  # and rendered so


def test_a_drag_fills_the_box_and_is_one_undo_step(window):
    steps = window.studio.core.undo_stack.count()
    drag(window.controls.strength, [80, 64, 42])
    assert window.controls.strength_input.box.value() == 42
    assert window.studio.state.settings.strength == 0.42
    assert window.studio.core.undo_stack.count() == steps + 1


def test_a_double_click_on_a_slider_puts_back_its_default(window):
    type_into(window.controls.strength_input.box, "20")
    slider = window.controls.strength
    QTest.mouseDClick(slider, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, slider.rect().center())
    assert window.studio.state.settings.strength == pytest.approx(DEFAULT_RENDER_SETTINGS.strength)
    assert window.controls.strength_input.box.value() == round(DEFAULT_RENDER_SETTINGS.strength * 100)


def test_undo_shows_the_old_number_in_the_box(window):
    type_into(window.controls.strength_input.box, "33")
    window.studio.core.undo_stack.undo()
    assert window.controls.strength_input.box.value() == round(window.studio.state.settings.strength * 100)
    assert window.controls.strength_input.box.value() != 33


def test_blend_weights_and_the_brush_take_typed_numbers(window):
    window.studio.choose_styles([StyleKey.preset(2), StyleKey.preset(5)])
    second = window.blend_panel._inputs[StyleKey.preset(5)]
    type_into(second.box, "25")
    assert dict(zip(window.studio.state.style_keys, window.studio.state.weights))[StyleKey.preset(5)] == 0.25
    window.regions_action.setChecked(True)
    type_into(window.region_panel.brush_size_input.box, "123")
    assert window.studio.region_editor.tool.brush.size == 123
    type_into(window.region_panel.feather_input.box, "37")
    assert window.studio.state.settings.feather == 37


def test_the_export_size_in_pixels_percent_or_a_print_size(window):
    size = window.controls.output_size
    photo_side = max(window.studio.content.photo().size)
    size.unit.setCurrentIndex(size.unit.findData("%"))
    type_into(size.amount, "50")
    assert window.studio.state.settings.output_long_side == round(photo_side / 2)
    size.unit.setCurrentIndex(size.unit.findData("cm"))
    type_into(size.dpi, "300")
    type_into(size.amount, "10")
    assert window.studio.state.settings.output_long_side == round(10 / 2.54 * 300)
    assert "1181 ×" in size.result.text()
    size.unit.setCurrentIndex(size.unit.findData("in"))
    assert size.amount.value() == pytest.approx(1181 / 300, abs=0.01), "the same size, in inches"
    size.unit.setCurrentIndex(size.unit.findData("original"))
    assert window.studio.state.settings.output_long_side is None and not size.amount.isVisibleTo(window)
    window.studio.core.undo_stack.undo()
    assert size.long_side() == window.studio.state.settings.output_long_side == round(10 / 2.54 * 300)
