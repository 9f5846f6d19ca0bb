"""Learning a painting's style from the studio: a background job with progress and Cancel; the
painting then paints with it everywhere, the gallery marks it, and it can be forgotten."""

from __future__ import annotations

import numpy as np
import pytest

from desktop.app.startup import make_window
from desktop.studio import AppSettings, StyleKey
from desktop.studio.requests import style_spec
from desktop.ui.widgets.style_cell import LEARNED_ROLE
from engine import Engine, EngineSettings

from .helpers import drop_files, write_image


@pytest.fixture
def real_window(qtbot, app_paths):
    """The window on the real engine (learning needs its networks), with a small painting added."""
    win = make_window(app_paths, AppSettings(preview_long_side=128),
                      engine_factory=lambda: Engine(EngineSettings(device="cpu", cpu_threads=2)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.studio.live_preview.frame is not None, timeout=30000)
    yield win
    win.close()


def add_painting(window, tmp_path) -> str:
    y, x = np.mgrid[:64, :96]
    path = write_image(tmp_path / "stripes.png", size=(96, 64))
    from PIL import Image

    stripes = (((x + y) // 6) % 2 == 0)[..., None]
    Image.fromarray(np.where(stripes, [230, 60, 40], [30, 40, 200]).astype(np.uint8)).save(path)
    drop_files(window.style_zone, [path])
    return window.studio.library.styles[-1].style_id


def item_of(gallery, key):
    return next(gallery.item(i) for i in range(gallery.count()) if gallery.item(i).data(256) == key)


def test_a_learned_style_is_used_marked_and_can_be_forgotten(qtbot, real_window, tmp_path):
    window, studio = real_window, real_window.studio
    style_id = add_painting(window, tmp_path)
    shown = []
    studio.learning.progress_changed.connect(shown.append)
    menu = {a.text(): a for a in window.gallery.style_menu(StyleKey.painting(style_id)).actions() if a.text()}
    assert "Forget the learned style" not in menu
    improved = []
    studio.learning.improved.connect(lambda _id, learned: improved.append(learned.steps))
    assert studio.learning.learn(style_id, steps=3, checkpoint_every=1)
    qtbot.waitUntil(lambda: not studio.learning.running, timeout=120000)
    assert improved == [1, 2], "the preview shows the style as it improves"
    assert studio.library.has_learned(style_id) and shown[-1] is None
    assert any(p is not None and p.text.startswith("Learning the style of stripes") for p in shown)
    assert item_of(window.gallery, StyleKey.painting(style_id)).data(LEARNED_ROLE)
    spec = style_spec(studio.state, studio.content.pictures)
    assert spec.learned and spec.learned[0] is not None and spec.learned[0].steps == 3, "it paints with it"
    menu = {a.text(): a for a in window.gallery.style_menu(StyleKey.painting(style_id)).actions() if a.text()}
    menu["Forget the learned style"].trigger()
    assert not studio.library.has_learned(style_id)
    assert not item_of(window.gallery, StyleKey.painting(style_id)).data(LEARNED_ROLE)
    assert not style_spec(studio.state, studio.content.pictures).learned


def test_cancelling_a_learning_leaves_the_painting_as_it_was(qtbot, real_window, tmp_path):
    window, studio = real_window, real_window.studio
    style_id = add_painting(window, tmp_path)
    assert studio.learning.learn(style_id, steps=500)
    qtbot.waitUntil(lambda: window.export_status.cancel_button.isVisible(), timeout=30000)
    window.export_status.cancel_button.click()
    qtbot.waitUntil(lambda: not studio.learning.running, timeout=60000)
    assert not studio.library.has_learned(style_id)
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_session_records_the_learned_style_and_says_when_it_is_gone(window, tmp_path):
    import zipfile

    from engine import LearnedStyle, save_learned
    from engine.learned_style import CONDITIONING_SIZE, network_sha256

    drop_files(window.style_zone, [write_image(tmp_path / "monet.png")])
    studio = window.studio
    style_id = studio.library.styles[-1].style_id
    painting = studio.content.pictures.painting(style_id)
    save_learned(LearnedStyle(np.zeros(CONDITIONING_SIZE, np.float32), painting.content_hash, network_sha256(), 3, 0.5,
                              1.0), studio.library.learned_path(style_id))
    session = tmp_path / "work.impasto"
    assert studio.sessions.save(session)
    with zipfile.ZipFile(session) as archive:
        assert '"learned": true' in archive.read("manifest.json").decode()
    studio.learning.forget(style_id)
    assert studio.sessions.open(session)
    assert "monet" in window.statusBar().currentMessage() and "learned style" in window.statusBar().currentMessage()
