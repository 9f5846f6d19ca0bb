"""The live loop of issue 11, items 1-5: blend weights, one final render per drag, exports that
previews cannot displace, no full-size work on a slider tick, the device as the engine reports it."""

import numpy as np
from PySide6.QtGui import QImage, QPixmap

from desktop.studio import StyleKey
from desktop.studio.core import REFINE_AFTER_MS
from desktop.ui.widgets.controls import position_to_stroke

from .conftest import drag
from .helpers import drop_files, write_image


def _select(window, *indexes):
    window.gallery.clearSelection()
    for index in indexes:
        window.gallery.item(index).setSelected(True)


def _settled(qtbot, window):
    qtbot.waitUntil(lambda: not window.studio.live_preview.rendering and window.studio.render_thread.scheduler.idle)


# -- 1. blend weights ---------------------------------------------------------------------

def test_blend_weights_reach_the_request_and_make_one_undo_step(window, qtbot, fake_engine):
    _select(window, 2, 5)
    _settled(qtbot, window)
    steps = window.studio.core.undo_stack.count()
    second = window.blend_panel._sliders[StyleKey.preset(5)]
    sent = []
    window.blend_panel.weights_edited.connect(lambda weights, final: sent.append((weights, final)))
    drag(second, [80, 50, 25])
    assert sent[-1] == ({StyleKey.preset(2): 1.0, StyleKey.preset(5): 0.25}, True)
    assert [final for _, final in sent] == [False, False, False, True]
    _settled(qtbot, window)
    style = fake_engine.requests[-1].style
    assert style.presets == (2, 5) and np.allclose(style.weights, (0.8, 0.2))
    assert window.studio.core.undo_stack.count() == steps + 1  # the drag is one step
    window.studio.core.undo_stack.undo()
    assert window.studio.state.weights == (1.0, 1.0) and second.value() == 100


def test_opposite_blends_give_different_previews(window, qtbot):
    _select(window, 2, 5)
    sliders = window.blend_panel._sliders
    previews = []
    for first, second in ((100, 0), (0, 100)):
        drag(sliders[StyleKey.preset(2)], [first])
        drag(sliders[StyleKey.preset(5)], [second])
        _settled(qtbot, window)
        previews.append(window.studio.state.weights)
    assert previews == [(1.0, 0.0), (0.0, 1.0)]


# -- 2. one drag, one final render ----------------------------------------------------------

def test_a_drag_ends_in_exactly_one_final_render(cpu_window, qtbot, fake_engine):
    window = cpu_window
    start = len(fake_engine.requests)
    fake_engine.gate.clear()  # the first draft is still running while the next ticks arrive
    drag(window.controls.stroke, [40, 44, 48])
    fake_engine.gate.set()
    _settled(qtbot, window)
    qtbot.wait(REFINE_AFTER_MS * 2)  # the refine timer, had it stayed armed, would have fired by now
    _settled(qtbot, window)
    requests = fake_engine.requests[start:]
    finals = [r for r in requests if r.settings.max_working_side is None]
    assert len(finals) == 1 and finals[0].settings.stroke == position_to_stroke(48)
    assert finals[0] is requests[-1]
    assert len(requests) <= 3 + 1  # at most every tick, plus the one final render
    assert window.studio.live_preview.frame.request_id == requests[-1].request_id


def test_a_request_identical_to_the_last_one_is_not_rendered_again(window, qtbot, fake_engine):
    _settled(qtbot, window)
    start = len(fake_engine.requests)
    window.studio.live_preview.schedule(draft=False)  # what is on screen already
    window.controls.colour.setCurrentIndex(window.controls.colour.findData("photo"))
    _settled(qtbot, window)
    window.studio.live_preview.schedule(draft=False)  # what was just rendered
    _settled(qtbot, window)
    assert len(fake_engine.requests) - start == 1


def test_strength_with_a_preset_fades_without_rendering(window, qtbot, fake_engine):
    _settled(qtbot, window)
    start = len(fake_engine.requests)
    drag(window.controls.strength, [80, 60, 40])
    _settled(qtbot, window)
    assert len(fake_engine.requests) == start
    frame = window.studio.live_preview.frame
    photo = window.studio.content.pictures.photo_shrunk("", 900).pixels.astype(float)
    shown = _pixels(frame.image)
    # The fake engine inverts: 40 % of the way from the photo to its negative.
    assert np.abs(shown - (photo + (255 - 2 * photo) * 0.4)).max() <= 1


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * image.height())
    return data.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 3].reshape(
        image.height(), image.width(), 3).astype(float)


# -- 3. exports are never displaced; busy always clears --------------------------------------

def test_previews_never_displace_a_waiting_export(window, qtbot, fake_engine, tmp_path):
    target = tmp_path / "kept.png"
    fake_engine.gate.clear()
    window.controls.stroke.setValue(30)  # a preview runs...
    qtbot.waitUntil(fake_engine.started.is_set)
    assert window.studio.exports.export_to(target)  # ...an export waits...
    for position in (35, 40, 45, 55):  # ...and previews keep coming
        window.controls.stroke.setValue(position)
    fake_engine.gate.set()
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    assert target.exists() and window.export_button.isEnabled()
    _settled(qtbot, window)
    previews = [r for r in fake_engine.requests if r.settings.output_long_side is not None]
    assert window.studio.live_preview.frame.request_id == previews[-1].request_id
    assert previews[-1].settings.stroke == position_to_stroke(55)


def test_busy_clears_after_an_export_error(window, qtbot):
    assert window.studio.exports.export_to(__import__("pathlib").Path("/proc/impasto-cannot-write-here.png"))
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    assert "impasto-cannot-write-here.png" in window.banner.text() and "Choose another folder" in window.banner.text()
    assert window.export_button.isEnabled() and not window.export_status.cancel_button.isVisible()


# -- 4. no full-size work on a slider tick ---------------------------------------------------

def test_a_tick_does_no_full_size_pixmap_work(window, qtbot, tmp_path, monkeypatch):
    big = write_image(tmp_path / "big.png", size=(3000, 2000))
    drop_files(window.content_zone, [big])
    _settled(qtbot, window)
    sizes, builds = [], window.blend_panel.builds
    original_from_image, original_scaled = QPixmap.fromImage, QImage.scaled
    monkeypatch.setattr(QPixmap, "fromImage", staticmethod(
        lambda image, *a: (sizes.append(image.size()), original_from_image(image, *a))[1]))
    monkeypatch.setattr(QPixmap, "scaled", lambda self, *a: sizes.append(self.size()) or self)
    monkeypatch.setattr(QImage, "scaled", lambda self, *a: (sizes.append(self.size()), original_scaled(self, *a))[1])
    drag(window.controls.stroke, [30, 35, 40])
    drag(window.controls.strength, [90, 80])
    _settled(qtbot, window)
    assert sizes and max(max(s.width(), s.height()) for s in sizes) <= window.studio.core.app_settings.preview_long_side
    assert window.blend_panel.builds == builds  # the blend sliders are not rebuilt on a tick


def test_a_control_is_not_written_back_while_it_sends(window, monkeypatch):
    from PySide6.QtWidgets import QAbstractSlider, QSlider

    written = []
    monkeypatch.setattr(QSlider, "setValue", lambda self, v: (written.append(v), QAbstractSlider.setValue(self, v)))
    window.controls.strength.triggerAction(QAbstractSlider.SliderAction.SliderSingleStepSub)  # as a key press does
    assert window.studio.state.settings.strength == 0.99
    assert written == []  # the window showed the change without setting the slider that sent it


# -- 5. the device as the engine reports it ---------------------------------------------------

def test_the_device_follows_a_fall_back_and_drafts_switch_on(qtbot, app_paths, fake_engine):
    from .conftest import open_window

    fake_engine.device.description = "CUDA: Fake GPU"
    window = open_window(qtbot, app_paths, fake_engine)
    assert window.studio.core.device == "CUDA: Fake GPU"
    start = len(fake_engine.requests)
    drag(window.controls.stroke, [40])
    _settled(qtbot, window)
    assert all(r.settings.max_working_side is None for r in fake_engine.requests[start:])  # no drafts on a GPU
    fake_engine.result_device = "CPU (2 threads)"  # out of GPU memory: the engine moved to the CPU
    window.controls.stroke.setValue(45)
    _settled(qtbot, window)
    assert "CPU" in window.device_label.text() and window.studio.core.device == "CPU (2 threads)"
    start = len(fake_engine.requests)
    window.controls.stroke.setSliderDown(True)  # held: a drag in progress
    window.controls.stroke.setValue(50)
    _settled(qtbot, window)
    assert fake_engine.requests[-1].settings.max_working_side  # a quick draft while the slider moves
    window.controls.stroke.setSliderDown(False)
    _settled(qtbot, window)
    assert fake_engine.requests[-1].settings.max_working_side is None
    window.close()
