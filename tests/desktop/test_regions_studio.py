"""The Regions mode, driven with the mouse as an artist paints, on the fake engine: what the
engine is asked to render, the undo steps, the panel's tools, and the colour modes."""

import numpy as np
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest

from desktop.studio import PHOTO_STYLE, StyleKey
from desktop.studio.region_masks import MASK_LONG_SIDE, Brush

from .helpers import drop_files, write_image

SKY = StyleKey.preset(4)


def settled(qtbot, window):
    qtbot.waitUntil(lambda: not window.studio.live_preview.rendering and window.studio.render_thread.scheduler.idle)


def widget_point(window, fx: float, fy: float) -> QPoint:
    """The canvas point over the photo at fractions (fx, fy) of its width and height."""
    rect = window.canvas.picture_rect()
    return QPointF(rect.x() + fx * rect.width(), rect.y() + fy * rect.height()).toPoint()


def paint(window, points, style=SKY, size_fraction=0.2, erasing=False):
    """Enter Regions, pick ``style`` in the gallery, and drag the mouse through ``points``
    (fractions of the photo)."""
    window.regions_action.setChecked(True)
    if style is not None:
        window.studio.region_editor.choose_style(style)
    photo = window.studio.content.photo()
    window.region_panel.brush_edited.emit(Brush(size_fraction * max(photo.size), 0.0, erasing))
    canvas = window.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget_point(window, *points[0]))
    for point in points[1:]:
        QTest.mouseMove(canvas, widget_point(window, *point))
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       widget_point(window, *points[-1]))


def mask_at(mask: np.ndarray, fx: float, fy: float) -> float:
    return float(mask[int(fy * mask.shape[0]), int(fx * mask.shape[1])])


def test_a_stroke_makes_a_region_in_one_undo_step_and_reaches_the_engine(window, qtbot, fake_engine):
    settled(qtbot, window)
    steps = window.studio.core.undo_stack.count()
    paint(window, [(0.1, 0.15), (0.5, 0.15), (0.9, 0.15)])
    assert window.studio.state.regions.styles == (SKY,)
    assert window.studio.core.undo_stack.count() == steps + 1
    settled(qtbot, window)
    request = fake_engine.requests[-1]
    assert request.style.presets == (FIRST := window.studio.state.style_keys[0].ident,) and FIRST != 4
    (region,) = request.regions
    assert region.style.presets == (4,) and region.name == window.studio.library.name_of(SKY)
    assert mask_at(region.mask, 0.5, 0.15) == 1.0 and mask_at(region.mask, 0.5, 0.8) == 0.0
    assert request.settings.max_working_side is None  # the release gives the full preview
    window.studio.core.undo_stack.undo()
    assert not window.studio.state.regions
    settled(qtbot, window)
    assert fake_engine.requests[-1].regions == ()


def test_the_preview_follows_while_painting(cpu_window, qtbot, fake_engine):
    window = cpu_window
    settled(qtbot, window)
    start = len(fake_engine.requests)
    window.regions_action.setChecked(True)
    window.studio.region_editor.choose_style(SKY)
    canvas = window.canvas
    QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget_point(window, 0.2, 0.5))
    QTest.mouseMove(canvas, widget_point(window, 0.4, 0.5))
    settled(qtbot, window)
    drafts = fake_engine.requests[start:]
    assert drafts and drafts[-1].regions and drafts[-1].settings.max_working_side  # a draft, mid-stroke
    assert window.studio.core.undo_stack.count() == window.studio.core.undo_stack.index()  # no step yet
    QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget_point(window, 0.4, 0.5))
    settled(qtbot, window)
    assert fake_engine.requests[-1].settings.max_working_side is None and fake_engine.requests[-1].regions


def test_eraser_invert_and_clear_through_the_panel(window, qtbot, fake_engine):
    paint(window, [(0.5, 0.5)], size_fraction=0.4)
    regions = window.studio.region_editor
    assert mask_at(window.studio.state.regions.mask_of(SKY), 0.5, 0.5) == 255
    paint(window, [(0.5, 0.5)], style=None, size_fraction=0.1, erasing=True)
    mask = window.studio.state.regions.mask_of(SKY)
    assert mask_at(mask, 0.5, 0.5) == 0 and mask_at(mask, 0.5, 0.35) == 255  # a hole in the middle
    regions.choose_style(SKY)
    window.region_panel.invert_button.click()
    mask = window.studio.state.regions.mask_of(SKY)
    assert mask_at(mask, 0.5, 0.5) == 255 and mask_at(mask, 0.5, 0.35) == 0 and mask_at(mask, 0.02, 0.02) == 255
    window.region_panel.clear_button.click()
    assert not window.studio.state.regions
    window.studio.core.undo_stack.undo()
    assert window.studio.state.regions.styles == (SKY,)
    window.region_panel.clear_all_button.click()
    assert not window.studio.state.regions


def test_the_gallery_picks_the_brush_in_regions_and_the_style_outside(window):
    base = window.studio.state.style_keys
    window.regions_action.setChecked(True)
    window.gallery.item(7).setSelected(True)
    assert window.studio.region_editor.tool.style == StyleKey.preset(7) and window.studio.state.style_keys == base
    assert not window.region_panel.isHidden() and window.canvas.painting
    window.regions_action.setChecked(False)
    assert not window.region_panel.paint_button.isEnabled() and not window.canvas.painting
    assert set(window.gallery.selected_keys()) == set(base)


def test_snap_and_feather_reach_the_settings_and_the_request(window, qtbot, fake_engine):
    paint(window, [(0.3, 0.3)])
    panel = window.region_panel
    panel.snap.setChecked(True)
    panel.feather.setSliderDown(True)
    panel.feather.setValue(20)
    panel.feather.setSliderDown(False)
    settings = window.studio.state.settings
    assert settings.snap_to_edges and settings.feather == 20.0
    settled(qtbot, window)
    assert fake_engine.requests[-1].settings.snap_to_edges and fake_engine.requests[-1].settings.feather == 20.0
    window.studio.core.undo_stack.undo()
    assert window.studio.state.settings.feather == 0.0 and panel.feather.value() == 0


def test_a_preset_region_over_a_painting_style(window, qtbot, fake_engine, tmp_path):
    drop_files(window.style_zone, [write_image(tmp_path / "starry.png", colour=(20, 40, 160))])
    assert window.studio.state.style_kind == "painting"
    paint(window, [(0.2, 0.2), (0.8, 0.2)])
    paint(window, [(0.5, 0.8)], style=PHOTO_STYLE)
    settled(qtbot, window)
    request = fake_engine.requests[-1]
    assert len(request.style.paintings) == 1
    assert [getattr(r.style, "presets", r.style) for r in request.regions] == [(4,), "photo"]


def test_colour_modes_reach_the_request(window, qtbot, fake_engine):
    for mode in ("palette", "photo", "painting"):
        window.controls.colour.setCurrentIndex(window.controls.colour.findData(mode))
        settled(qtbot, window)
        assert window.studio.state.settings.colour == mode == fake_engine.requests[-1].settings.colour
    assert "palette" in window.controls.strength.toolTip().lower()


def test_regions_stay_with_a_photo_of_the_same_proportions_and_go_otherwise(window, tmp_path):
    paint(window, [(0.5, 0.5)])
    drop_files(window.content_zone, [write_image(tmp_path / "wide.png", size=(300, 100))])
    assert not window.studio.state.regions
    window.studio.core.undo_stack.undo()
    assert window.studio.state.regions.styles == (SKY,)


def test_the_overlay_tints_each_region_and_can_be_hidden(window):
    paint(window, [(0.3, 0.3)])
    paint(window, [(0.7, 0.7)], style=PHOTO_STYLE)
    panel, canvas = window.region_panel, window.canvas
    assert panel.region_list.count() == 2 and canvas.tinted_styles() == [SKY, PHOTO_STYLE]
    panel.region_list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert canvas.hidden_styles == {SKY}
    window.tints_action.trigger()
    assert not canvas.overlay_visible and not panel.overlay.isChecked()


def test_a_tint_repainted_where_its_mask_changed_equals_one_made_anew(qapp):
    from PySide6.QtGui import QColor

    from desktop.studio.region_masks import Regions, Stroke
    from desktop.ui.widgets.region_overlay import RegionOverlay

    def image(overlay):
        picture = overlay.pixmap.toImage()
        bits = np.frombuffer(picture.constBits(), np.uint8, picture.sizeInBytes())
        return bits.reshape(picture.height(), picture.bytesPerLine())

    stroke = Stroke(Regions.empty_for((400, 300)), SKY, Brush(60, 0.5), (400, 300))
    stroke.add((50, 50))
    overlay = RegionOverlay(stroke.regions().mask_of(SKY), QColor(255, 140, 0))
    for point in ((120, 80), (200, 200), (390, 290)):
        stroke.add(point)
        overlay.follow(stroke.regions().mask_of(SKY))
    fresh = RegionOverlay(overlay.mask, QColor(255, 140, 0))
    assert np.array_equal(image(overlay), image(fresh))


def test_a_brush_tick_does_no_full_size_work(window, qtbot, tmp_path, monkeypatch):
    """On a 3000 x 2000 photo, every image and pixmap a tick makes is at most the masks' working
    size, and the masks become floats on the render thread."""
    import threading

    from PySide6.QtGui import QImage, QPixmap

    from desktop.jobs.region_sources import RegionSource

    drop_files(window.content_zone, [write_image(tmp_path / "big.png", size=(3000, 2000))])
    settled(qtbot, window)
    sizes, threads = [], []
    original_from_image, original_region = QPixmap.fromImage, RegionSource.region
    monkeypatch.setattr(QPixmap, "fromImage", staticmethod(
        lambda image, *a: (sizes.append(max(image.width(), image.height())), original_from_image(image, *a))[1]))
    monkeypatch.setattr(QImage, "scaled", lambda self, *a: sizes.append(max(self.width(), self.height())) or self)
    monkeypatch.setattr(RegionSource, "region", lambda self: (threads.append(threading.current_thread()),
                                                              original_region(self))[1])
    paint(window, [(0.1 * i, 0.5) for i in range(1, 10)])
    settled(qtbot, window)
    assert window.studio.state.regions.size == (MASK_LONG_SIDE, 683)
    assert sizes and max(sizes) <= MASK_LONG_SIDE
    assert threads and threading.main_thread() not in threads


def test_removing_a_painting_removes_its_region(window, tmp_path):
    drop_files(window.gallery, [write_image(tmp_path / "p.png")])
    style_id = window.studio.library.styles[0].style_id
    window.gallery.item(2).setSelected(True)
    paint(window, [(0.5, 0.5)], style=StyleKey.painting(style_id))
    steps = window.studio.core.undo_stack.count()
    window.studio.remove_painting(style_id)
    assert not window.studio.state.regions and window.studio.region_editor.tool.style is None
    assert window.studio.core.undo_stack.count() == steps + 1  # the history is kept, and grows by one
    window.studio.core.undo_stack.undo()  # the painting comes back, and its region with it
    assert [s.style_id for s in window.studio.library.styles] == [style_id]
    assert window.studio.state.regions.styles == (StyleKey.painting(style_id),)
    assert window.gallery.label_of(StyleKey.painting(style_id)) == "p"


def test_the_brush_shortcuts_work_in_regions_only(window):
    actions = {action.text(): action for action in window.region_actions}
    assert not actions["&Larger brush"].isEnabled()
    window.regions_action.setChecked(True)
    size = window.studio.region_editor.tool.brush.size
    actions["&Larger brush"].trigger()
    assert window.studio.region_editor.tool.brush.size == size * 1.25
    assert window.canvas.brush_size == size * 1.25 and window.region_panel.brush_size_input.value() == round(size * 1.25)
    actions["&Eraser"].trigger()
    assert window.studio.region_editor.tool.brush.erasing and window.region_panel.erase_button.isChecked()
    window.gallery.item(3).setSelected(True)  # picking a style paints again
    assert not window.studio.region_editor.tool.brush.erasing


def test_a_regions_strength_is_set_with_its_slider_in_one_undo_step(window, qtbot, fake_engine):
    settled(qtbot, window)
    strength = window.region_panel.strength
    window.regions_action.setChecked(True)
    window.studio.region_editor.choose_style(SKY)
    assert not strength.isEnabled()  # no region of the brush's style yet
    paint(window, [(0.1, 0.15), (0.9, 0.15)])
    assert strength.isEnabled() and strength.value() == 100
    steps = window.studio.core.undo_stack.count()
    strength.setFocus()
    for _ in range(3):  # Page Down: ten steps each, as a keyboard user moves it
        QTest.keyClick(strength, Qt.Key.Key_PageDown)
    assert window.studio.state.regions.strength_of(SKY) == 0.7
    assert window.studio.core.undo_stack.count() == steps + 3
    settled(qtbot, window)
    assert fake_engine.requests[-1].regions[0].strength == 0.7
    window.studio.core.undo_stack.undo()
    assert window.studio.state.regions.strength_of(SKY) == 0.8 and strength.value() == 80


def test_the_photo_regions_strength_starts_at_none_of_the_style(window, qtbot, fake_engine):
    settled(qtbot, window)
    paint(window, [(0.5, 0.5)], style=PHOTO_STYLE)
    assert window.region_panel.strength.value() == 0  # the photo itself, until the artist lets style in
    settled(qtbot, window)
    assert fake_engine.requests[-1].regions[0].strength == 0.0


def test_a_strength_left_at_its_default_is_no_undo_step(window, qtbot, fake_engine):
    settled(qtbot, window)
    paint(window, [(0.1, 0.15), (0.9, 0.15)])
    steps = window.studio.core.undo_stack.count()
    window.studio.region_editor.set_strength(SKY, 1.0, True)  # the slider pressed and let go where it was
    assert window.studio.core.undo_stack.count() == steps and window.studio.state.regions.strength_of(SKY) is None


def test_a_high_quality_export_with_regions_is_painted_at_the_fast_quality_and_says_so(window, qtbot, tmp_path,
                                                                                       fake_engine):
    window.controls.high_quality.click()
    assert window.studio.state.settings.quality == "high"
    paint(window, [(0.2, 0.2), (0.5, 0.5)])
    window.regions_action.setChecked(False)
    target = tmp_path / "regions.png"
    assert window.studio.exports.export_to(target)
    qtbot.waitUntil(lambda: target.exists() and not window.studio.exports.busy)
    assert fake_engine.requests[-1].settings.quality == "fast"
    assert window.banner.isHidden()
