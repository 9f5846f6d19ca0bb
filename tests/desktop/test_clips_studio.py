"""Clips in the studio, driven as an artist would, on the fake engine: opening a video or a
folder of frames, scrubbing the timeline, exporting (and cancelling), undo, sessions, and that
no frame is ever decoded on the window's thread."""

import threading
import zipfile

import numpy as np
import pytest

import desktop.studio.clip_media
import desktop.studio.parts.clips
from desktop.studio import StyleKey
from desktop.studio.clip_media import is_frame_sequence
from desktop.studio.region_masks import Brush, Regions, Stroke
from desktop.ui.file_dialogs import CLIP_FILTERS, clip_target
from engine import ClipTarget, open_clip
from engine.video.shots import ShotFinder

from ..engine.video_clips import chelsea, pan, read_frames, write_sequence, write_video
from .conftest import drag, open_window
from .helpers import drop_files, write_image

SIZE = (96, 64)
FRAMES = 12


@pytest.fixture(scope="module")
def frames():
    return pan(chelsea(), FRAMES, size=SIZE, step=(4.0, 1.0))[0]


@pytest.fixture
def clip(tmp_path, frames):
    return write_video(tmp_path / "walk.mp4", frames)


@pytest.fixture
def decoded(clip):
    """The clip's frames as the studio's engine sees them (decoded, so not the arrays written)."""
    return [frame.picture.pixels for frame in open_clip(clip).frames()]


def frame_of(request, decoded) -> int:
    """Which frame of the clip ``request`` painted."""
    return next(i for i, pixels in enumerate(decoded) if np.array_equal(request.content.pixels, pixels))


def settled(qtbot, window, rested: bool = True):
    """Nothing left to do; ``rested``: nor a moving slider's full preview (which comes when it rests)."""
    def searching() -> bool:  # a search job's end reaches the window a moment after the scheduler is idle
        clip = window.studio.content.clip
        return clip is not None and clip.shots.searching

    studio = window.studio  # drafting: a drag's full preview is still to come
    qtbot.waitUntil(lambda: not studio.live_preview.rendering and studio.render_thread.scheduler.idle and not studio.exports.busy
                    and not searching() and not (rested and studio.core.drafting), timeout=20000)


def opened(qtbot, window, clip):
    drop_files(window.content_zone, [clip])
    settled(qtbot, window)
    return window


def test_opening_a_clip_shows_its_first_frame_and_the_timeline(window, qtbot, clip, decoded, fake_engine):
    opened(qtbot, window, clip)
    state = window.studio.state
    assert state.content == str(clip) and state.content_kind == "clip"
    timeline = window.timeline
    assert not timeline.isHidden() and timeline.slider.maximum() == FRAMES - 1 and timeline.slider.value() == 0
    assert "Frame 1 of 12" in timeline.position_label.text() and "0:00.50" in timeline.position_label.text()
    assert "96×64" in timeline.about_label.text() and "24 frames/s" in timeline.about_label.text()
    assert frame_of(fake_engine.requests[-1], decoded) == 0
    assert window.canvas.before is not None and window.canvas.before.size().toTuple() == SIZE
    assert window.canvas.after is not None and window.windowTitle().startswith("walk.mp4")


def test_scrubbing_paints_the_frame_under_the_slider_and_only_the_newest(cpu_window, qtbot, clip, decoded,
                                                                          fake_engine):
    window = opened(qtbot, cpu_window, clip)
    start = len(fake_engine.requests)
    fake_engine.gate.clear()
    fake_engine.started.clear()
    slider = window.timeline.slider
    slider.setSliderDown(True)
    slider.setValue(3)  # a draft of frame 4 starts, and waits at the gate
    qtbot.waitUntil(fake_engine.started.is_set)
    for position in (5, 8):  # each replaces the waiting one
        slider.setValue(position)
    slider.setSliderDown(False)  # let go: the full preview of frame 9 cancels the running draft
    fake_engine.gate.set()
    settled(qtbot, window)
    asked = fake_engine.requests[start:]
    assert [frame_of(request, decoded) for request in asked] == [3, 8]
    assert asked[0].settings.max_working_side and asked[-1].settings.max_working_side is None
    assert fake_engine.rendered_ids[-1] == asked[-1].request_id == window.studio.live_preview.frame.request_id
    assert "Frame 9 of 12" in window.timeline.position_label.text()
    assert window.studio.content.photo() is not None and np.array_equal(window.studio.content.photo().pixels, decoded[8])
    window.studio.clips.step(1)  # the . key
    settled(qtbot, window)
    assert frame_of(fake_engine.requests[-1], decoded) == 9 and window.timeline.slider.value() == 9


def test_the_full_preview_of_a_frame_takes_its_shots_statistics_as_the_export_does(cpu_window, qtbot, clip,
                                                                                      decoded, fake_engine):
    """An export renders each frame with the statistics of its shot's sample frames; once the
    background search has found the shots, the preview's frame takes the same (a draft its own)."""
    window = opened(qtbot, cpu_window, clip)  # settled: the search has run to its end, the preview painted again
    of_frames = [r for r in fake_engine.requests if r.content.size == SIZE]  # not the gallery's thumbnails
    assert [(frame_of(r, decoded), r.statistics is None) for r in of_frames] == [(0, True), (0, False)]
    shots = window.studio.content.clip.shots
    assert shots.search.found and [(s.start, s.frames) for s in shots.search.shots] == [(0, FRAMES)]
    samples = tuple(int(decoded[i].sum()) for i in shots.search.shots[0].samples)
    assert len(samples) == FRAMES // 4  # a short shot: one sample per four frames
    final = fake_engine.requests[-1]
    assert frame_of(final, decoded) == 0 and final.statistics == ("statistics of frames", samples)
    slider = window.timeline.slider
    slider.setSliderDown(True)
    for position in (4, 6):
        slider.setValue(position)
    settled(qtbot, window, rested=False)
    assert fake_engine.requests[-1].statistics is None  # the draft's working size is not the export's
    start = len(fake_engine.requests)
    slider.setSliderDown(False)
    settled(qtbot, window)
    released = fake_engine.requests[start:]  # the shot's statistics for this look are known: one render
    assert [frame_of(r, decoded) for r in released] == [6] and released[0].statistics == final.statistics
    start = len(fake_engine.requests)
    window.studio.core.edit_settings(window.studio.state.settings.with_changes(stroke=2.0), True)  # a new look
    settled(qtbot, window)
    repainted = fake_engine.requests[start:]  # at once with the frame's own, then with its shot's
    assert [r.statistics is None for r in repainted] == [True, False] and repainted[1].settings.stroke == 2.0
    window.studio.clips.set_temporal("off")  # each frame on its own in the export: so in the preview
    settled(qtbot, window)
    assert window.timeline.steadiness.currentData() == "off"  # the window shows the studio's choice
    assert frame_of(fake_engine.requests[-1], decoded) == 6 and fake_engine.requests[-1].statistics is None


def test_a_strength_change_while_the_shots_statistics_are_measured_fades_and_lets_them_come(cpu_window, qtbot, clip,
                                                                                            fake_engine):
    window = opened(qtbot, cpu_window, clip)
    measuring, may_finish = threading.Event(), threading.Event()
    measure = fake_engine.shot_statistics

    def slow_measure(request, frames, token=None):
        measuring.set()
        may_finish.wait(10)
        return measure(request, frames, token)

    fake_engine.shot_statistics = slow_measure
    studio = window.studio
    studio.core.edit_settings(studio.state.settings.with_changes(stroke=2.0), True)  # a new look: measured anew
    qtbot.waitUntil(measuring.is_set)
    studio.core.edit_settings(studio.state.settings.with_changes(strength=0.5), True)  # a preset's fade, meanwhile
    may_finish.set()
    settled(qtbot, window)
    matched = fake_engine.requests[-1]
    assert matched.statistics is not None and matched.settings.stroke == 2.0
    assert studio.live_preview.frame.request_id == matched.request_id  # shown, faded to 0.5 (the fade is the studio's)
    count = len(fake_engine.requests)
    studio.core.edit_settings(studio.state.settings.with_changes(strength=0.6), True)
    settled(qtbot, window)
    assert len(fake_engine.requests) == count  # a fade of the matched picture: nothing rendered


def test_a_search_left_for_a_photo_lets_the_clips_file_go_and_starts_afresh_when_it_comes_back(window, qtbot, clip,
                                                                                                tmp_path, monkeypatch):
    monkeypatch.setattr(desktop.studio.parts.clips, "SEARCH_STEP_SECONDS", 0.0)  # a frame per job
    closed_on = []
    close = ShotFinder.close
    monkeypatch.setattr(ShotFinder, "close", lambda finder: (closed_on.append(threading.current_thread()), close(finder)))
    drop_files(window.content_zone, [clip])
    shots = window.studio.content.clip.shots
    qtbot.waitUntil(lambda: shots.searching)  # it starts after the clip's first preview
    drop_files(window.content_zone, [write_image(tmp_path / "photo.png")])  # while the search reads on
    settled(qtbot, window)
    qtbot.waitUntil(lambda: not shots.searching and window.studio.render_thread.scheduler.idle)  # and its file let go
    assert not shots.search.found and shots.search._finder is None
    assert closed_on and threading.main_thread() not in closed_on  # where the frames are read
    window.studio.core.undo_stack.undo()  # back to the clip: searched from its first frame
    settled(qtbot, window)
    assert window.studio.content.clip.shots is shots and shots.search.found
    assert [(s.start, s.frames) for s in shots.search.shots] == [(0, FRAMES)]


def test_no_frame_is_decoded_on_the_windows_thread(cpu_window, qtbot, clip, monkeypatch):
    calls = []
    real_frame_at, real_open_clip = desktop.studio.clip_media.frame_at, desktop.studio.clip_media.open_clip

    def frame_at(source, index):
        calls.append(("frame", threading.current_thread()))
        return real_frame_at(source, index)

    def open_clip_checked(*args):
        calls.append(("open", threading.current_thread()))
        return real_open_clip(*args)

    monkeypatch.setattr(desktop.studio.clip_media, "frame_at", frame_at)
    monkeypatch.setattr(desktop.studio.clip_media, "open_clip", open_clip_checked)
    window = opened(qtbot, cpu_window, clip)
    assert calls[0] == ("open", threading.main_thread())  # the check when it opens, as a photo is read
    drag(window.timeline.slider, range(1, FRAMES))
    settled(qtbot, window)
    decodes = [thread for what, thread in calls if what == "frame"]
    assert len(decodes) >= 2 and all(thread is not threading.main_thread() for thread in decodes)
    assert [what for what, _ in calls].count("open") == 1  # the clip is not opened again per tick


def test_exporting_a_clip_writes_it_with_its_regions_and_says_so(window, qtbot, clip, tmp_path, fake_engine):
    opened(qtbot, window, clip)
    progress = []
    window.studio.exports.export_changed.connect(lambda p: progress.append(p.text if p else None))
    stroke = Stroke(Regions.empty_for(SIZE), StyleKey.preset(4), Brush(30, 0.0), SIZE)
    stroke.add((20, 20))
    window.studio.core.change(window.studio.state.with_changes(regions=stroke.regions()), True, "Paint region")
    settled(qtbot, window)
    start = len(fake_engine.requests)
    target = tmp_path / "out" / "walk_impasto.mkv"
    target.parent.mkdir()
    assert window.studio.exports.export_clip_to(ClipTarget(target))
    settled(qtbot, window)
    assert [p.name for p in target.parent.iterdir()] == ["walk_impasto.mkv"]
    assert open_clip(target).info.frame_count == FRAMES and len(read_frames(target)) == FRAMES
    exported = [r for r in fake_engine.requests[start:] if r.settings.output_long_side is None]
    assert len(exported) == FRAMES and all(len(r.regions) == 1 for r in exported)  # a region on every frame
    assert any(text and "frame 12 of 12" in text for text in progress) and progress[-1] is None
    assert "Exported" in window.export_status.label.text() and "12 frames" in window.export_status.label.text()
    assert not window.export_status.folder_button.isHidden() and window.export_status.folder == target.parent


def test_a_clip_exports_to_a_folder_of_frames(window, qtbot, clip, tmp_path):
    opened(qtbot, window, clip)
    folder = tmp_path / "frames"
    assert window.studio.exports.export_clip_to(clip_target(str(folder), "PNG frames in a new folder (*)"))
    settled(qtbot, window)
    assert sorted(p.name for p in folder.iterdir())[:2] == ["frame_000001.png", "frame_000002.png"]
    assert len(list(folder.iterdir())) == FRAMES


def test_cancelling_a_clip_export_leaves_nothing(window, qtbot, clip, tmp_path, fake_engine):
    opened(qtbot, window, clip)
    out = tmp_path / "out"
    out.mkdir()
    fake_engine.gate.clear()
    fake_engine.started.clear()
    assert window.studio.exports.export_clip_to(ClipTarget(out / "walk.mp4"))
    qtbot.waitUntil(fake_engine.started.is_set)
    assert not window.export_status.cancel_button.isHidden()
    window.export_status.cancel_button.click()
    qtbot.waitUntil(lambda: not window.studio.exports.busy, timeout=10000)
    fake_engine.gate.set()
    assert list(out.iterdir()) == [] and "nothing was written" in window.statusBar().currentMessage()
    assert window.export_status.label.text() == ""  # no stale percentage once the export has ended


def test_the_preview_follows_the_timeline_while_a_clip_exports(window, qtbot, clip, decoded, tmp_path, fake_engine):
    opened(qtbot, window, clip)
    happened = []
    window.studio.live_preview.preview_ready.connect(lambda frame: happened.append("preview"))
    window.studio.core.message.connect(lambda m: happened.append("exported") if m.text.startswith("Exported") else None)
    fake_engine.gate.clear()
    fake_engine.started.clear()
    window.studio.exports.export_clip_to(ClipTarget(tmp_path / "long.mp4"))
    qtbot.waitUntil(fake_engine.started.is_set)  # the export's first frame waits at the gate
    window.timeline.slider.setValue(6)
    fake_engine.gate.set()
    settled(qtbot, window)
    assert happened.index("preview") < happened.index("exported")  # painted between two of the export's frames
    assert frame_of(fake_engine.requests[-1], decoded) != 6  # the export went on after it
    previews = [r for r in fake_engine.requests if r.content.size == SIZE and r.settings.output_long_side]
    assert window.studio.live_preview.frame.request_id == previews[-1].request_id and frame_of(previews[-1], decoded) == 6


@pytest.mark.parametrize("kind,words", [("truncated", "damaged or truncated"), ("not a video", "not a video")])
def test_a_bad_clip_gives_the_engines_message_and_keeps_the_picture(window, qtbot, clip, tmp_path, kind, words):
    bad = tmp_path / "bad.mp4"
    data = clip.read_bytes()
    bad.write_bytes(data[: len(data) // 2] if kind == "truncated" else b"\x00\x01garbage" * 500)
    before, shown = window.studio.state, window.canvas.after
    drop_files(window.canvas, [bad])
    assert not window.banner.isHidden() and "bad.mp4" in window.banner.text() and words in window.banner.text()
    assert window.studio.state == before and window.canvas.after is shown and window.timeline.isHidden()


def test_undo_returns_to_the_photo_and_redo_to_the_frame(window, qtbot, clip, decoded, fake_engine):
    opened(qtbot, window, clip)
    window.timeline.slider.setValue(5)
    settled(qtbot, window)
    window.studio.core.undo_stack.undo()
    settled(qtbot, window)
    assert window.studio.state.content == "" and window.studio.state.content_kind == "picture"
    assert window.timeline.isHidden() and fake_engine.requests[-1].content.size == (451, 300)
    window.studio.core.undo_stack.redo()
    settled(qtbot, window)
    assert window.studio.state.content_kind == "clip" and window.timeline.slider.value() == 5
    assert frame_of(fake_engine.requests[-1], decoded) == 5


def test_a_folder_of_numbered_frames_opens_as_a_clip(window, qtbot, frames, tmp_path, fake_engine):
    folder = write_sequence(tmp_path / "shot", frames[:6])
    drop_files(window.content_zone, [folder])
    settled(qtbot, window)
    assert window.studio.state.content_kind == "clip" and window.studio.content.batch == []
    assert window.timeline.slider.maximum() == 5 and "24 frames/s" in window.timeline.about_label.text()
    assert "numbered frames, opened as a clip" in window.statusBar().currentMessage()
    assert np.array_equal(fake_engine.requests[-1].content.pixels, frames[0])


def test_which_folders_are_clips(tmp_path):
    def names(*stems):
        return [tmp_path / stem for stem in stems]

    assert is_frame_sequence(names("shot_0009.png", "shot_0010.png", "shot_0011.png"))
    assert not is_frame_sequence(names("IMG_0412.jpg", "IMG_0415.jpg"))  # a gap: photos, a batch
    assert not is_frame_sequence(names("a_001.png", "b_002.png"))  # two names
    assert not is_frame_sequence(names("frame_1.png", "cover.png"))
    assert not is_frame_sequence(names("shot_0001.png"))


def test_the_save_dialogs_answer_never_replaces_a_file_it_did_not_ask_about(tmp_path):
    mp4, frames = next(iter(CLIP_FILTERS)), "PNG frames in a new folder (*)"
    assert clip_target(str(tmp_path / "a.mp4"), mp4) == ClipTarget(tmp_path / "a.mp4", overwrite=True)
    assert clip_target(str(tmp_path / "a"), mp4) == ClipTarget(tmp_path / "a.mp4")
    assert clip_target(str(tmp_path / "a.webm"), frames) == ClipTarget(tmp_path / "a.webm", overwrite=True)
    assert clip_target(str(tmp_path / "a"), frames).path == tmp_path / "a"


def test_an_existing_clip_or_folder_is_never_replaced_without_the_dialog_asking(window, qtbot, clip, tmp_path):
    opened(qtbot, window, clip)
    kept = tmp_path / "kept.mp4"
    kept.write_bytes(b"precious")
    assert not window.studio.exports.export_clip_to(ClipTarget(kept))
    assert "already exists" in window.banner.text() and kept.read_bytes() == b"precious"
    full = tmp_path / "full"
    write_image(full.mkdir() or full / "mine.png")
    assert not window.studio.exports.export_clip_to(ClipTarget(full))
    assert "not an empty folder" in window.banner.text()


def test_the_export_button_asks_for_a_video_and_exports_the_clip(window, qtbot, clip, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    opened(qtbot, window, clip)
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args: asked.append(args) or (str(tmp_path / "from_button"), "WebM video (*.webm)"))
    window.export_button.click()
    settled(qtbot, window)
    assert asked[0][1] == "Export clip" and "PNG frames" in asked[0][3]
    assert open_clip(tmp_path / "from_button.webm").info.frame_count == FRAMES


def test_a_session_records_the_clip_and_the_app_remembers_it(window, qtbot, clip, tmp_path, app_paths, fake_engine):
    opened(qtbot, window, clip)
    session = tmp_path / "work.impasto"
    assert window.studio.sessions.save(session)
    with zipfile.ZipFile(session) as archive:
        manifest = archive.read("manifest.json").decode()
    assert '"kind": "clip"' in manifest and '"version": 2' in manifest
    window.studio.open_photos([write_image(tmp_path / "photo.png")])
    assert window.studio.sessions.open(session)
    settled(qtbot, window)
    assert window.studio.state.content == str(clip) and window.studio.state.content_kind == "clip"
    clip.rename(tmp_path / "gone.mp4")
    assert not window.studio.sessions.open(session) and "walk.mp4, is missing" in window.banner.text()
    clip_again = tmp_path / "gone.mp4"
    window.studio.clips.open(clip_again)
    settled(qtbot, window)
    kept = window.studio.settings_to_keep("")
    window.close()
    second = open_window(qtbot, app_paths, fake_engine, kept)
    assert second.studio.state.content == str(clip_again) and not second.timeline.isHidden()
    second.close()


def test_regions_are_painted_on_the_frame_shown_and_go_on_every_frame(window, qtbot, clip, decoded, fake_engine):
    from .test_regions_studio import SKY, paint

    opened(qtbot, window, clip)
    window.timeline.slider.setValue(4)
    settled(qtbot, window)
    paint(window, [(0.1, 0.2), (0.9, 0.2)])  # with the mouse, on frame 5 as the canvas shows it
    settled(qtbot, window)
    assert window.studio.state.regions.styles == (SKY,) and window.studio.state.content_kind == "clip"
    assert frame_of(fake_engine.requests[-1], decoded) == 4 and len(fake_engine.requests[-1].regions) == 1
    window.timeline.slider.setValue(9)
    settled(qtbot, window)
    request = fake_engine.requests[-1]
    assert frame_of(request, decoded) == 9 and request.regions[0].mask.shape == window.studio.state.regions.size[::-1]


def test_play_runs_the_clip_in_drafts_to_its_end_and_paints_the_last_frame_in_full(cpu_window, qtbot, clip, decoded,
                                                                                   fake_engine):
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window = opened(qtbot, cpu_window, clip)
    start = len(fake_engine.requests)
    QTest.mouseClick(window.timeline.play_button, Qt.MouseButton.LeftButton)
    assert window.timeline.playing and window.timeline.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: not window.timeline.playing, timeout=5000)  # 12 frames at 24 frames/s
    settled(qtbot, window)
    asked = fake_engine.requests[start:]
    assert frame_of(asked[-1], decoded) == FRAMES - 1 and asked[-1].settings.max_working_side is None
    assert any(request.settings.max_working_side for request in asked[:-1]), "drafts while playing"
    assert window.timeline.play_button.text() == "Play" and window.timeline.slider.value() == FRAMES - 1


def test_pausing_paints_the_frame_it_stopped_on(window, qtbot, clip, decoded, fake_engine):
    window = opened(qtbot, window, clip)
    window.timeline.play(True)
    qtbot.waitUntil(lambda: window.timeline.slider.value() >= 3, timeout=5000)
    window.timeline.play(False)
    settled(qtbot, window)
    stopped = window.timeline.slider.value()
    assert frame_of(fake_engine.requests[-1], decoded) == stopped and not window.timeline.playing
