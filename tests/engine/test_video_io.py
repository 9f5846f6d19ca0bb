"""Reading, writing and the command line for clips: sound kept, sequences in and out, bad files
refused before work with one line, and nothing partial left by a cancel or Ctrl+C."""

import json
import math
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from engine import Cancelled, CancelToken, InvalidRequestError, RenderSettings, preset
from engine.commands.cli import main
from engine.errors import VideoReadError, VideoWriteError
from engine.settings import VideoSettings
from engine.video import ClipTarget, choose_codec, open_clip, stylise_clip
from engine.video.shots import SHOT_SAMPLES, ShotSampler

from .video_clips import audio_packets, chelsea, pan, read_frames, write_sequence, write_video

SMALL = (96, 64)
NATIVE = RenderSettings(stroke=None)


@pytest.fixture(scope="module")
def frames():
    return pan(chelsea(), 12, size=SMALL)[0]


@pytest.fixture(scope="module")
def clip_with_sound(frames, tmp_path_factory):
    return write_video(tmp_path_factory.mktemp("clips") / "tone.mp4", frames, tone_hz=440)


def stylize(*arguments) -> int:
    return main(["stylize", *map(str, arguments), "--preset", "7", "--stroke", "native"])


def test_sound_survives_unchanged_and_the_frame_rate_is_kept(clip_with_sound, tmp_path):
    out = tmp_path / "out.mkv"
    assert stylize(clip_with_sound, "-o", out, "--temporal", "off") == 0
    assert audio_packets(out) == audio_packets(clip_with_sound)  # the same bytes: copied, not re-encoded
    source, result = open_clip(clip_with_sound).info, open_clip(out).info
    assert result.has_audio and result.fps == source.fps == 24
    assert len(read_frames(out)) == 12 and result.size == SMALL


def test_the_default_mp4_is_av1_with_the_sound(clip_with_sound, tmp_path, capsys):
    out = tmp_path / "out.mp4"
    assert stylize(clip_with_sound, "-o", out, "--json", "--temporal", "stats") == 0
    record = json.loads(capsys.readouterr().out)
    assert record["codec"] == "libsvtav1" and record["audio"] and record["frames"] == 12 and record["shots"] == 1
    with av.open(str(out)) as container:
        assert container.streams.video[0].codec_context.name in ("libdav1d", "av1")
    assert audio_packets(out) == audio_packets(clip_with_sound)


def test_sound_that_a_webm_cannot_hold_is_refused_before_work(clip_with_sound, tmp_path, capsys):
    out = tmp_path / "out.webm"
    assert stylize(clip_with_sound, "-o", out) == 1
    error = capsys.readouterr().err
    assert "cannot go unchanged into a .webm" in error and "--no-audio" in error
    assert list(tmp_path.iterdir()) == []
    assert stylize(clip_with_sound, "-o", out, "--no-audio", "--temporal", "off") == 0
    assert not open_clip(out).info.has_audio


def test_a_frame_sequence_becomes_a_sequence_with_the_same_frame_names(frames, tmp_path):
    source = write_sequence(tmp_path / "in", frames, first_number=9)  # shot_0009 ... shot_0020: f9 before f10
    out = tmp_path / "out"
    assert stylize("--sequence", source, "-o", out, "--format", "tif") == 0
    assert sorted(p.name for p in out.iterdir()) == [f"shot_{n:04d}.tif" for n in range(9, 21)]
    assert Image.open(out / "shot_0009.tif").size == SMALL


def test_a_frame_sequence_becomes_a_video_at_the_given_rate(frames, tmp_path):
    source = write_sequence(tmp_path / "in", frames)
    out = tmp_path / "out.mov"
    assert stylize("--sequence", source, "-o", out, "--fps", "12", "--temporal", "off") == 0
    info = open_clip(out).info
    assert info.fps == 12 and info.frame_count == 12 and info.codec == "prores"


def test_a_video_becomes_numbered_frames(clip_with_sound, tmp_path):
    out = tmp_path / "frames"
    assert stylize(clip_with_sound, "-o", out, "--temporal", "off") == 0
    assert sorted(p.name for p in out.iterdir())[:2] == ["frame_000001.png", "frame_000002.png"]


def test_animated_gif_and_webp_are_clips(frames, tmp_path):
    pictures = [Image.fromarray(f) for f in frames]
    for name in ("anim.gif", "anim.webp"):
        pictures[0].save(tmp_path / name, save_all=True, append_images=pictures[1:], duration=50, loop=0)
        info = open_clip(tmp_path / name).info
        assert (info.frame_count, info.size, round(info.duration, 2)) == (12, SMALL, 0.6)
        assert len(list(open_clip(tmp_path / name).frames())) == 12


def test_phone_video_comes_out_upright(tmp_path):
    pixels = np.zeros((64, 96, 3), np.uint8)
    pixels[:10, :20] = 255  # a mark at the top left of the stored frame
    path = tmp_path / "phone.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        turn = math.radians(90)  # shown turned a quarter counterclockwise
        c, s = round(math.cos(turn) * 65536), round(math.sin(turn) * 65536)
        stream.set_display_matrix([c, -s, 0, s, c, 0, 0, 0, 1 << 30])
        for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    source = open_clip(path)
    upright = next(source.frames()).picture.pixels
    assert source.info.size == (64, 96) and upright[90, 5, 0] > 200 and upright[5, 5, 0] < 50


def _bad(tmp_path: Path, kind: str) -> Path:
    good = write_video(tmp_path / "good.mp4", pan(chelsea(), 4, size=SMALL)[0])
    path = tmp_path / f"{kind}.{ {'unknown codec': 'avi', 'no frames': 'mkv'}.get(kind, 'mp4')}"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "not a video":
        path.write_bytes(b"\x00\x01garbage" * 500)
    elif kind == "truncated":
        path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif kind == "no video stream":
        with av.open(str(path), "w") as container:
            stream = container.add_stream("aac", rate=48_000, layout="mono")
            frame = av.AudioFrame.from_ndarray(np.zeros((1, 1024), np.float32), format="fltp", layout="mono")
            frame.sample_rate, frame.pts = 48_000, 0
            for packet in [*stream.encode(frame), *stream.encode()]:
                container.mux(packet)
    elif kind == "unknown codec":
        avi = write_video(tmp_path / "mpeg4.avi", pan(chelsea(), 4, size=SMALL)[0], codec="mpeg4")
        path.write_bytes(avi.read_bytes().replace(b"FMP4", b"QZQZ"))
    elif kind == "no frames":
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=24)
            stream.width, stream.height, stream.pix_fmt = *SMALL, "yuv420p"
            container.start_encoding()
    elif kind == "cut before its first frame":
        whole = write_video(tmp_path / "faststart.mp4", pan(chelsea(), 4, size=SMALL)[0], faststart=True)
        data = whole.read_bytes()
        path.write_bytes(data[: data.find(b"mdat") + 8])  # the index survives, the pictures do not
    return path


BAD_VIDEOS = {
    "empty": "the file is empty",
    "not a video": "not a video Impasto can read",
    "truncated": "damaged or truncated",
    "no video stream": "has no video stream (only sound)",
    "unknown codec": "video codec is not one that this build of FFmpeg can decode",
    "no frames": "has no frames",
    "cut before its first frame": "its first frame cannot be decoded; the file is damaged or truncated",
}


@pytest.mark.parametrize("kind", BAD_VIDEOS)
def test_bad_videos_get_one_clear_line_and_no_output(kind, tmp_path, capsys):
    path = _bad(tmp_path, kind)
    out = tmp_path / "out.mp4"
    assert stylize(path, "-o", out) == 1
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1 and lines[0].startswith("error: ") and BAD_VIDEOS[kind] in lines[0], lines
    assert not out.exists()


def test_a_clip_cut_short_is_caught_before_work(tmp_path):
    frames = pan(chelsea(), 72, size=SMALL, step=(1.0, 0.0))[0]
    whole = write_video(tmp_path / "whole.mkv", frames, codec="libvpx-vp9")
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # Matroska: it still opens
    with pytest.raises(VideoReadError, match="truncated or damaged: it says it lasts 3.0 s"):
        open_clip(cut)


def test_a_two_hour_clip_is_refused_unless_allowed(tmp_path, capsys):
    path = tmp_path / "long.mkv"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=24)
        stream.width, stream.height, stream.pix_fmt = *SMALL, "yuv420p"
        for seconds in (0, 7200):  # two frames two hours apart: a long clip, cheap to make
            frame = av.VideoFrame.from_ndarray(np.zeros((64, 96, 3), np.uint8), format="rgb24")
            frame.pts, frame.time_base = seconds * 24, Fraction(1, 24)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    assert stylize(path, "-o", tmp_path / "out.mp4") == 2
    error = capsys.readouterr().err
    assert "lasts 2 h 00 min" in error and "--allow-long" in error
    with pytest.raises(InvalidRequestError, match="Cut it into parts"):
        stylise_clip(None, open_clip(path), preset(7), NATIVE, ClipTarget(tmp_path / "o.mp4"))


@pytest.mark.parametrize("target", ["out.mp4", "frames"])
@pytest.mark.parametrize("how", ["token", "ctrl-c"])
def test_cancelling_mid_clip_leaves_nothing(cpu_engine, clip_with_sound, tmp_path, target, how):
    token = CancelToken()

    def after_frame(done, expected):
        if done == 4:
            if how == "ctrl-c":
                raise KeyboardInterrupt
            token.cancel()

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(KeyboardInterrupt if how == "ctrl-c" else Cancelled):
        stylise_clip(cpu_engine, open_clip(clip_with_sound), preset(7), NATIVE, ClipTarget(out_dir / target),
                     VideoSettings(temporal="full"), token, after_frame)
    assert list(out_dir.iterdir()) == []


def test_an_existing_output_is_kept_unless_overwriting(clip_with_sound, tmp_path, capsys):
    out = tmp_path / "out.mp4"
    out.write_bytes(b"precious")
    assert stylize(clip_with_sound, "-o", out, "--temporal", "off") == 1
    assert out.read_bytes() == b"precious" and "already exists" in capsys.readouterr().err
    assert stylize(clip_with_sound, "-o", out, "--temporal", "off", "--overwrite") == 0
    assert open_clip(out).info.frame_count == 12


def test_codecs_by_container():
    assert choose_codec(".mp4").encoder == choose_codec(".mkv").encoder == choose_codec(".webm").encoder == "libsvtav1"
    assert choose_codec(".mov").encoder == "prores_ks"
    assert choose_codec(".mp4", "vp9").encoder == "libvpx-vp9"
    with pytest.raises(InvalidRequestError, match="cannot hold h264"):
        choose_codec(".webm", "h264")
    with pytest.raises(InvalidRequestError, match="not .avi"):
        choose_codec(".avi")


def test_a_still_asked_to_become_a_video_is_told_why_not(tmp_path, capsys):
    Image.fromarray(chelsea()).save(tmp_path / "one frame.gif")  # a GIF of one frame is a picture
    assert stylize(tmp_path / "one frame.gif", "-o", tmp_path / "out.mkv") == 2
    error = capsys.readouterr().err
    assert "out.mkv is a video, but the input is a still picture" in error and ".png" in error
    assert not (tmp_path / "out.mkv").exists()


def test_mixing_clips_and_pictures_is_a_bad_argument(clip_with_sound, tmp_path, capsys):
    Image.fromarray(chelsea()).save(tmp_path / "still.png")
    assert stylize(clip_with_sound, tmp_path / "still.png", "--out-dir", tmp_path / "o") == 2
    assert "separate runs" in capsys.readouterr().err


def test_shot_samples_spread_over_any_length_in_bounded_memory():
    sampler = ShotSampler(lambda picture: picture)
    for index in range(1000):
        sampler.add(index, index)
        assert len(sampler._kept) <= 2 * SHOT_SAMPLES
    samples = sampler.samples()
    assert len(samples) == SHOT_SAMPLES and samples[0] == 0 and samples[-1] >= 900
    assert max(np.diff(samples)) <= 2 * min(np.diff(samples))


def test_writing_into_a_missing_folder_fails_before_work(clip_with_sound, tmp_path):
    with pytest.raises(VideoWriteError, match="no such folder"):
        stylise_clip(None, open_clip(clip_with_sound), preset(7), NATIVE, ClipTarget(tmp_path / "nope" / "o.mp4"))


def test_ctrl_c_on_the_command_line_exits_130_and_leaves_nothing(clip_with_sound, tmp_path, monkeypatch, capsys):
    from engine.commands import video

    def interrupted(self, done, expected):
        if done == 3:
            raise KeyboardInterrupt

    monkeypatch.setattr(video.ClipProgress, "frame", interrupted)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert stylize(clip_with_sound, "-o", out_dir / "clip.mp4") == 130
    assert list(out_dir.iterdir()) == [] and "cancelled" in capsys.readouterr().err


def test_a_short_clip_cut_short_is_caught_too(tmp_path):
    frames = pan(chelsea(), 24, size=SMALL, step=(1.0, 0.0))[0]
    whole = write_video(tmp_path / "whole.mkv", frames, codec="libvpx-vp9")
    cut = tmp_path / "cut.mkv"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size * 6 // 10])
    with pytest.raises(VideoReadError, match="truncated or damaged"):
        open_clip(cut)


def test_clips_get_the_permissions_any_new_file_gets(clip_with_sound, frames, tmp_path):
    import os

    umask = os.umask(0o022)
    try:
        video, folder = tmp_path / "out.mkv", tmp_path / "frames"
        assert stylize(clip_with_sound, "-o", video) == 0
        assert stylize(clip_with_sound, "-o", folder, "--format", "png") == 0
    finally:
        os.umask(umask)
    assert video.stat().st_mode & 0o777 == 0o644 and folder.stat().st_mode & 0o777 == 0o755
    assert all(frame.stat().st_mode & 0o777 == 0o644 for frame in folder.iterdir())
