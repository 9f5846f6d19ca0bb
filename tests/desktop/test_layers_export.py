"""File > Export layers: an OpenRaster file through the export queue (progress, cancel, "Show in
folder", banners), the layered render faked at the studio's boundary; and once for real, tiny."""

import zipfile
from xml.etree import ElementTree

import numpy as np
import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.jobs import export_work as exports
from desktop.studio import PHOTO_STYLE
from engine import LayeredResult, Picture

from .test_regions_studio import paint, settled


@pytest.fixture
def fake_layers(monkeypatch):
    """``render_layers`` as the engine's, with the fake engine's renders: the merged picture, the
    photo, the style, and each region's render with its mask as alpha."""
    from engine.request import Layer

    calls = []

    def render_layers(engine, request, token, style_name=None):
        calls.append(request)
        merged = engine.render(request, token)
        size = merged.picture.size
        layers = [Layer("photo", Picture(np.zeros((size[1], size[0], 3), np.uint8))),
                  Layer(style_name or "style", merged.picture)]
        for region in request.regions:
            alpha = np.full((size[1], size[0]), 255, np.uint8)
            layers.append(Layer(region.name, Picture(merged.picture.pixels, alpha)))
        return LayeredResult(merged, tuple(layers))

    monkeypatch.setattr(exports, "render_layers", render_layers)
    return calls


def layer_names(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist()[0] == "mimetype" and archive.read("mimetype") == b"image/openraster"
        stack = ElementTree.fromstring(archive.read("stack.xml"))
        names = [layer.get("name") for layer in stack.iter("layer")]
        assert all(layer.get("src") in archive.namelist() for layer in stack.iter("layer"))
    return names


def test_export_layers_writes_an_openraster_file_with_a_layer_per_region(window, qtbot, tmp_path, fake_layers):
    paint(window, [(0.2, 0.2), (0.8, 0.2)])
    paint(window, [(0.5, 0.8)], style=PHOTO_STYLE)
    target = tmp_path / "layers.ora"
    assert window.studio.exports.export_layers_to(target)
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    names = [window.studio.library.name_of(style) for style in window.studio.state.regions.styles]
    style = window.studio.library.name_of(window.studio.state.style_keys[0])  # as the gallery names it
    assert layer_names(target) == [names[1], names[0], style, "photo"]  # top first
    assert names[1] == "the photo itself"
    assert len(fake_layers[-1].regions) == 2
    assert "layers.ora" in window.export_status.label.text() and window.export_status.folder_button.isVisible()


def test_the_menu_adds_the_suffix_and_never_overwrites_what_it_did_not_ask_about(window, qtbot, tmp_path, monkeypatch,
                                                                                   fake_layers):
    kept = tmp_path / "mine.ora"
    kept.write_bytes(b"an artist's file")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "mine"), ""))
    export = next(a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Export &layers…")
    export.trigger()
    assert kept.read_bytes() == b"an artist's file" and "already exists" in window.banner.text()


def test_a_cancelled_layers_export_writes_nothing(window, qtbot, tmp_path, fake_engine, fake_layers):
    fake_engine.gate.clear()
    fake_engine.started.clear()
    target = tmp_path / "big.ora"
    assert window.studio.exports.export_layers_to(target)
    qtbot.waitUntil(fake_engine.started.is_set)
    window.export_status.cancel_button.click()
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    fake_engine.gate.set()
    settled(qtbot, window)
    assert list(tmp_path.glob("*big*")) == [] and "nothing was written" in window.statusBar().currentMessage()


def test_a_layers_export_that_cannot_be_written_gets_the_export_banner(window, qtbot, fake_layers):
    from pathlib import Path

    assert window.studio.exports.export_layers_to(Path("/proc/impasto-cannot-write-here.ora"))
    qtbot.waitUntil(lambda: not window.studio.exports.busy)
    assert "impasto-cannot-write-here.ora" in window.banner.text() and "Choose another folder" in window.banner.text()


def test_the_real_engine_writes_layers_a_painting_program_can_open(tmp_path):
    """The studio's layered job on the real engine, at a tiny size: a preset region and a photo
    region over a preset, written as OpenRaster."""
    from desktop.jobs.region_sources import with_regions
    from desktop.studio import StudioState, StyleKey
    from desktop.studio.region_masks import Brush, Regions, Stroke
    from desktop.studio.requests import region_sources, style_spec
    from engine import CancelToken, Engine, EngineSettings, RenderRequest, RenderSettings, synthetic_photo

    photo = synthetic_photo(96, height=64)
    regions = Regions.empty_for(photo.size)
    for style, point in ((StyleKey.preset(12), (20, 20)), (PHOTO_STYLE, (70, 45))):
        stroke = Stroke(regions, style, Brush(40, 0.3), photo.size)
        stroke.add(point)
        regions = stroke.regions()
    state = StudioState(style_keys=(StyleKey.preset(3),), regions=regions, settings=RenderSettings(stroke=None))
    request = with_regions(RenderRequest(photo, style_spec(state, None), state.settings),
                           region_sources(state, None, lambda key: f"{key.kind} {key.ident}"))
    target = tmp_path / "real.ora"
    output = exports.layers_work(request, target, False, "Water lilies")(Engine(EngineSettings(cpu_threads=1)),
                                                                          CancelToken())
    assert output.path == target
    assert layer_names(target) == ["photo photo", "preset 12", "Water lilies", "photo"]  # as the gallery names it
    with zipfile.ZipFile(target) as archive:
        from io import BytesIO

        from PIL import Image

        top = Image.open(BytesIO(archive.read("data/layer3.png")))
        assert top.mode == "RGBA" and top.size == (96, 64)
        alpha = np.asarray(top)[:, :, 3]
        assert alpha[45, 70] > 200 and alpha[5, 5] < 30  # the photo region's own place, and not elsewhere
