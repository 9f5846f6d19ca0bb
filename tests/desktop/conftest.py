"""Desktop tests: offscreen Qt, settings and styles in tmp_path, a fake engine behind a gate,
and a check that no test leaves a render thread running."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
import pytest

pytest.importorskip("PySide6", reason="desktop tests need PySide6")

from desktop.app import make_window
from desktop.app_settings import AppSettings
from desktop.paths import AppPaths
from desktop.render_thread import RenderThread
from engine import Picture, RenderResult

_started_threads: list[RenderThread] = []


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
        pixels = 255 - np.asarray(content.pixels, dtype=np.uint8)
        return RenderResult(Picture(pixels, content.alpha, None, content.name), request.request_id,
                            self.device.description, 0.001, 0, content.size, 1, notes=self.notes)


@pytest.fixture
def app_paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "app-data")


@pytest.fixture
def fake_engine() -> FakeEngine:
    return FakeEngine()


@pytest.fixture
def window(qtbot, app_paths, fake_engine):
    win = make_window(app_paths, AppSettings(), engine_factory=lambda: fake_engine)
    qtbot.addWidget(win)
    win.show()
    # The first preview, then the gallery's thumbnails: what the engine renders next is the test's.
    qtbot.waitUntil(lambda: win.studio.previews.frame is not None and win.studio.thumbnails_pending == set(),
                    timeout=10000)
    yield win
    win.close()
