"""The studio as a model, with no window: a ``Studio`` on a render thread that is never started,
its jobs run synchronously in the test (``Scheduler.run_until_idle``), on the fake engine. What
only a window shows is tested in the window tests; here, the model's behaviour: undo, the newest
preview winning, exports, sessions, regions and clips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from desktop.jobs.render_thread import RenderThread
from desktop.studio import AppSettings, Brush, Studio, StyleKey

from ..engine.video_clips import chelsea, pan, write_video


class Recorder:
    """Every emission of the signals it is connected to, in order."""

    def __init__(self):
        self.seen: list = []

    def __call__(self, *args):
        self.seen.append(args[0] if len(args) == 1 else args)


@pytest.fixture
def studio(qapp, app_paths, fake_engine):
    thread = RenderThread(lambda: fake_engine)  # never started: the test runs its jobs
    made = Studio(thread, app_paths, AppSettings())
    made.start()
    run(made)
    yield made
    made.close()


def run(studio: Studio) -> None:
    studio.render_thread.scheduler.run_until_idle()


def test_the_studio_opens_no_window(qapp, app_paths, fake_engine):
    before = len(qapp.topLevelWidgets())  # earlier tests' windows may linger until Qt deletes them
    studio = Studio(RenderThread(lambda: fake_engine), app_paths, AppSettings())
    studio.start()
    run(studio)
    assert len(qapp.topLevelWidgets()) == before
    assert studio.live_preview.frame is not None  # the first preview was painted all the same
    studio.close()


def test_a_drag_is_one_undo_step_and_undo_brings_the_look_back(studio):
    first = studio.state.settings
    for strength in (0.9, 0.7, 0.5):
        studio.core.edit_settings(first.with_changes(strength=strength), final=False)
    studio.core.edit_settings(first.with_changes(strength=0.4), final=True)
    run(studio)
    assert studio.core.undo_stack.count() == 1
    assert studio.state.settings.strength == 0.4
    studio.core.undo_stack.undo()
    assert studio.state.settings == first
    studio.core.undo_stack.redo()
    assert studio.state.settings.strength == 0.4


def test_only_the_newest_preview_is_rendered(studio, fake_engine):
    painting_looks = [StyleKey.preset(index) for index in (2, 5, 9)]
    rendered_before = len(fake_engine.requests)
    for key in painting_looks:  # three choices before the render thread gets to any of them
        studio.choose_styles([key])
    run(studio)
    newest = fake_engine.requests[rendered_before:]
    assert len(newest) == 1 and newest[0].style.presets == (9,)
    assert studio.live_preview.frame.request_id == newest[0].request_id
    assert not studio.live_preview.rendering


def test_an_export_is_written_and_reports_its_end(studio, tmp_path):
    progress, messages = Recorder(), Recorder()
    studio.exports.export_changed.connect(progress)
    studio.core.message.connect(messages)
    target = tmp_path / "out.png"
    assert studio.exports.export_to(target)
    run(studio)
    assert target.exists() and not studio.exports.busy
    assert progress.seen[-1] is None  # the progress closes
    assert any(m.folder == tmp_path and str(target) in m.text for m in messages.seen)


def test_an_export_never_replaces_a_file_unasked(studio, tmp_path):
    target = tmp_path / "mine.png"
    target.write_bytes(b"the artist's own")
    assert not studio.exports.export_to(target)
    run(studio)
    assert target.read_bytes() == b"the artist's own"


def test_a_saved_session_brings_the_work_back_and_undo_returns(studio, tmp_path):
    studio.choose_styles([StyleKey.preset(4)])
    studio.core.edit_settings(studio.state.settings.with_changes(strength=0.6), final=True)
    saved = studio.state
    path = tmp_path / "work.impasto"
    assert studio.sessions.save(path)
    studio.choose_styles([StyleKey.preset(11)])
    assert studio.sessions.open(path)
    run(studio)
    assert studio.state.style_keys == saved.style_keys and studio.state.settings == saved.settings
    studio.core.undo_stack.undo()
    assert studio.state.style_keys == (StyleKey.preset(11),)
    assert studio.sessions.recent == [str(path.absolute())]


def test_a_stroke_paints_one_region_in_one_undo_step(studio, fake_engine):
    editor = studio.region_editor
    tools = Recorder()
    editor.tool_changed.connect(tools)
    editor.set_mode(True)
    editor.choose_style(StyleKey.preset(3))
    editor.set_brush(Brush(60, 0.2))
    steps = studio.core.undo_stack.count()
    editor.begin_stroke((40, 40))
    for x in range(40, 200, 20):
        editor.continue_stroke((x, 60))
    editor.end_stroke()
    run(studio)
    assert studio.core.undo_stack.count() == steps + 1
    assert studio.state.regions.styles == (StyleKey.preset(3),)
    assert fake_engine.requests[-1].regions  # the preview was asked with the region
    assert tools.seen[-1].on and tools.seen[-1].style == StyleKey.preset(3)
    studio.core.undo_stack.undo()
    assert not studio.state.regions


def test_a_clip_opens_as_one_undo_step_and_its_timeline_follows(studio, fake_engine, tmp_path):
    clip = write_video(tmp_path / "walk.mp4", pan(chelsea(), 8, size=(96, 64), step=(4.0, 1.0))[0])
    timelines, photos = Recorder(), Recorder()
    studio.content.clip_changed.connect(timelines)
    studio.content.photo_changed.connect(photos)
    studio.open_photos([clip])
    run(studio)
    assert studio.state.content_kind == "clip" and studio.content.position == 0
    assert photos.seen[-1].before is not None  # the frame came back with its preview
    studio.clips.scrub(5, final=True)
    run(studio)
    assert studio.content.position == 5 and timelines.seen[-1].position == 5
    assert fake_engine.requests[-1].content.size == (96, 64)
    studio.core.undo_stack.undo()
    assert studio.state.content_kind == "picture" and timelines.seen[-1] is None


def test_removing_a_painting_is_one_undo_step_and_its_file_goes_when_the_studio_closes(studio, tmp_path):
    from PIL import Image

    paintings = []
    for name, colour in (("dawn", (200, 90, 40)), ("dusk", (40, 60, 160))):
        Image.new("RGB", (64, 48), colour).save(tmp_path / f"{name}.png")
        paintings.append(tmp_path / f"{name}.png")
    studio.add_paintings(paintings)
    first, second = (style.style_id for style in studio.library.styles)
    studio.choose_styles([StyleKey.painting(first)])
    steps = studio.core.undo_stack.count()
    file = studio.library.path(studio.library.get(first))
    studio.remove_painting(first)
    run(studio)
    assert [s.style_id for s in studio.library.styles] == [second] and studio.state.style_kind == "preset"
    assert studio.core.undo_stack.count() == steps + 1 and file.exists()  # kept while an undo may want it
    studio.core.undo_stack.undo()
    assert [s.style_id for s in studio.library.styles] == [first, second]  # back in its place
    assert studio.state.style_keys == (StyleKey.painting(first),)
    studio.core.undo_stack.redo()
    studio.close()
    assert not file.exists() and studio.library.path(studio.library.get(second)).exists()


def test_the_studio_imports_no_widgets():
    code = "import sys, desktop.studio; print('PySide6.QtWidgets' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.stdout.strip() == "False"
