"""Desktop tests: offscreen Qt, settings and styles in tmp_path, a fake engine behind a gate,
and a check that no test leaves a render thread running."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("PySide6", reason="desktop tests need PySide6")

from desktop.app.startup import make_window
from desktop.jobs.render_thread import RenderThread
from desktop.studio.paths import AppPaths
from desktop.studio.settings import AppSettings
from desktop.ui.main_window import MainWindow
from engine import Picture, RenderResult
from engine.planning import RenderPlan, output_size

_started_threads: list[RenderThread] = []


@pytest.fixture(autouse=True)
def unsaved_work_is_discarded_on_close(monkeypatch):
    """A test's window closes without the modal "save your work?" question (tests of it answer it themselves)."""
    monkeypatch.setattr(MainWindow, "ask_about_unsaved_work", lambda self, *_: "discard")
    monkeypatch.setattr(MainWindow, "ask_about_recovery", lambda self, _autosave: True)


@pytest.fixture(autouse=True)
def no_render_thread_left_running(monkeypatch):
    original_start = RenderThread.start

    def recording_start(self, *args):
        _started_threads.append(self)
        original_start(self, *args)

    monkeypatch.setattr(RenderThread, "start", recording_start)
    yield
    left = [t for t in _started_threads if t.isRunning()]
    for thread in left:
        thread.stop()
    _started_threads.clear()
    assert not left, "a test left a render thread running"


@dataclass
class _Device:
    description: str = "Fake device"


class FakeEngine:
    """Renders instantly (an inverted photo) unless ``gate`` is closed; records what it rendered.

    While the gate is closed the render waits, checking its token, so tests can queue requests
    behind it or cancel it."""

    def __init__(self):
        self.device = _Device()
        self.gate = threading.Event()
        self.gate.set()
        self.started = threading.Event()
        self.rendered_ids: list[int] = []
        self.requests: list = []  # every request it was asked to render, in order
        self.notes: tuple[str, ...] = ()  # what the engine would say about a render (a fallback)
        self.result_device = ""  # what a result says ran it, when not the device it started on

    def render(self, request, token=None):
        from engine import CancelToken

        token = token or CancelToken()
        self.requests.append(request)
        self.started.set()
        while not self.gate.is_set():
            token.progress(0.5)
            time.sleep(0.005)
        token.progress(1.0)
        self.rendered_ids.append(request.request_id)
        content = request.content
        size = output_size(request.content.size, request.settings.output_long_side)
        pixels = 255 - np.asarray(Image.fromarray(content.pixels).resize(size, Image.Resampling.NEAREST), dtype=np.uint8)
        alpha = None if content.alpha is None else np.asarray(Image.fromarray(content.alpha).resize(size))
        return RenderResult(Picture(pixels, alpha, None, content.name), request.request_id,
                            self.result_device or self.device.description, 0.001, 0, size, 1, notes=self.notes)

    def plan(self, request):  # what stylise_clip asks before a clip's first frame
        size = output_size(request.content.size, request.settings.output_long_side)
        return RenderPlan(size, size, 4096)

    def shot_statistics(self, request, frames, token=None):  # a clip's shots: the fake renders without them, tests read them
        return ("statistics of frames", tuple(int(frame.pixels.sum()) for frame in frames))


@pytest.fixture
def app_paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "app-data")


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


def open_window(qtbot, app_paths, fake_engine, settings: AppSettings | None = None):
    """The real window on the fake engine, once its first preview and the gallery's thumbnails are
    done: what the engine renders next is the test's."""
    win = make_window(app_paths, settings or AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.studio.live_preview.frame is not None and win.studio.thumbnails_pending == set(),
                    timeout=10000)
    return win


@pytest.fixture
def window(qtbot, app_paths, fake_engine):
    win = open_window(qtbot, app_paths, fake_engine)
    yield win
    win.close()


@pytest.fixture
def cpu_window(qtbot, app_paths, fake_engine):
    """The window on an engine that reports the CPU: slider drags then preview drafts."""
    fake_engine.device.description = "CPU (2 threads)"
    win = open_window(qtbot, app_paths, fake_engine)
    yield win
    win.close()


def drag(slider, values) -> None:
    """A slider dragged through ``values`` and released, as the mouse does it."""
    slider.setSliderDown(True)
    for value in values:
        slider.setValue(value)
    slider.setSliderDown(False)
