"""``impasto bench --studio [--json]``: the real window, offscreen, on the real engine.

It pastes a 24 MP synthetic photo and drags the sliders as a hand does (a tick every
``TICK_MS``), then reports what the artist feels: the GUI thread's time per slider tick, how
many renders a drag costs, the wait from release to the final preview, whether blend weights
change the picture, and the draft and full preview times of a 12 MP photo.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

TICK_MS = 30  # a mouse drag moves a slider about this often
DRAG_TICKS = 10
BLEND = (3, 19)  # two presets far apart in palette and stroke


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="impasto bench --studio")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = run(args.device)
    if args.json:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name:28} {value}")
    return 0


def run(device: str) -> dict:
    from desktop.studio import AppPaths, AppSettings
    from engine import Engine, EngineSettings, synthetic_photo

    from .startup import make_application, make_window

    app = make_application([sys.argv[0]])
    engine = Engine(EngineSettings(device=device))
    renders: list = []
    render = engine.render

    def counted(request, token=None):
        renders.append(request)
        return render(request, token)

    setattr(engine, "render", counted)  # noqa: B010 - every render the studio asks for is counted
    with tempfile.TemporaryDirectory(prefix="impasto-bench-") as root:
        window = make_window(AppPaths(Path(root)), AppSettings(), engine_factory=lambda: engine)
        window.resize(1280, 800)
        window.show()
        bench = _Bench(app, window, renders)
        bench.settle()
        window.studio.paste_photo(synthetic_photo(6000, height=4000))
        bench.settle()
        figures = {"photo": "6000x4000 synthetic", "device": window.studio.core.device}
        figures.update(bench.drags())
        figures["blend_weight_effect"] = bench.blend_effect()
        window.close()
    figures.update(_preview_times(engine))
    return figures


class _Bench:
    def __init__(self, app, window, renders: list):
        self.app, self.window, self.studio, self.renders = app, window, window.studio, renders

    def settle(self, timeout: float = 300) -> None:
        """Until no preview is on its way and the render thread is idle (thumbnails included)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.app.processEvents()
            if not self.studio.live_preview.rendering and self.studio.render_thread.scheduler.idle:
                return
            time.sleep(0.002)
        raise TimeoutError("the studio did not settle")

    def pause(self, ms: float) -> None:
        end = time.monotonic() + ms / 1000
        while time.monotonic() < end:
            self.app.processEvents()
            time.sleep(0.001)

    def tick(self, slider, value: int) -> float:
        """The GUI thread's time for one tick: the change itself and the repaint it asks for."""
        start = time.perf_counter()
        slider.setValue(value)
        self.app.processEvents()
        return (time.perf_counter() - start) * 1000

    def drag(self, slider, values) -> tuple[list[float], int, float]:
        """(tick times, renders started, release to final preview in ms)."""
        started = len(self.renders)
        slider.setSliderDown(True)
        ticks = []
        for value in values:
            ticks.append(self.tick(slider, value))
            self.pause(TICK_MS)
        released = time.perf_counter()
        slider.setSliderDown(False)
        self.settle()
        return ticks, len(self.renders) - started, (time.perf_counter() - released) * 1000

    def drags(self) -> dict:
        controls = self.window.controls
        strength_ticks, strength_renders, _ = self.drag(controls.strength, range(95, 95 - 5 * DRAG_TICKS, -5))
        start = len(self.renders)
        stroke_ticks, stroke_renders, release_ms = self.drag(controls.stroke, range(52, 52 + 3 * DRAG_TICKS, 3))
        drag_requests = self.renders[start:]
        finals = [r for r in drag_requests if r.settings.max_working_side is None]
        return {
            "tick_gui_ms": round(statistics.median(strength_ticks + stroke_ticks), 2),
            "tick_gui_ms_strength": round(statistics.median(strength_ticks), 2),
            "tick_gui_ms_stroke": round(statistics.median(stroke_ticks), 2),
            "drag_ticks": DRAG_TICKS,
            "renders_per_drag": stroke_renders,
            "final_renders_per_drag": len(finals),
            "renders_per_strength_drag": strength_renders,
            "release_to_preview_ms": round(release_ms),
        }

    def blend_effect(self) -> float:
        gallery = self.window.gallery
        gallery.clearSelection()
        for index in BLEND:
            gallery.item(index).setSelected(True)
        self.settle()
        pictures = []
        for weights in ((100, 0), (0, 100)):
            for key, weight in zip(self.studio.state.style_keys, weights):
                slider = self.window.blend_panel._sliders[key]
                slider.setSliderDown(True)
                slider.setValue(weight)
                slider.setSliderDown(False)
            self.settle()
            pictures.append(_pixels(self.studio.live_preview.frame.image))
        return round(float(np.abs(pictures[0] - pictures[1]).mean()), 1)


def _pixels(image) -> np.ndarray:
    from PySide6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(image.constBits(), np.uint8, image.bytesPerLine() * image.height())
    return data.reshape(image.height(), -1)[:, : image.width() * 3].astype(np.float32)


def _preview_times(engine) -> dict:
    """The draft (while a slider moves, on a CPU) and the full preview of a 12 MP photo, as the studio asks for them."""
    from engine import RenderRequest, preset, synthetic_photo

    from .app_settings import AppSettings
    from .request_building import preview_settings

    photo = synthetic_photo(4243, height=2828, seed=1)
    defaults = AppSettings()
    times = {}
    for name, draft in (("draft_preview_12mp_ms", defaults.draft_long_side), ("full_preview_12mp_ms", None)):
        settings = preview_settings(defaults.render, defaults.preview_long_side, draft, fade_in_studio=True)
        runs = []
        for _ in range(4):  # the first also shrinks the photo once (the engine keeps it)
            start = time.perf_counter()
            engine.render(RenderRequest(photo, preset(13), settings))
            runs.append((time.perf_counter() - start) * 1000)
        times[name] = round(statistics.median(runs[1:]))
    return times
