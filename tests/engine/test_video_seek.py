"""``frame_at``: one frame of a clip for the studio's timeline, the same as the one streamed, at
the cost of one keyframe interval at most, whatever the clip's length."""

from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from engine.video import containers, frame_at, open_clip

from .video_clips import FPS, ArraySource, chelsea, pan, write_sequence

SMALL = (96, 64)
KEYFRAME_EVERY = 12


@pytest.fixture(scope="module")
def frames():
    return pan(chelsea(), 60, size=SMALL, step=(2.0, 1.0))[0]


def write_keyframed(path, frames, codec="libx264", keyframe_every=KEYFRAME_EVERY):
    """A video with a keyframe every ``keyframe_every`` frames (and B-frames, as cameras write)."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=FPS, options={"g": str(keyframe_every), "sc_threshold": "0"}
                                      if codec == "libx264" else {"g": str(keyframe_every)})
        stream.width, stream.height, stream.pix_fmt = *SMALL, "yuv420p"
        for pixels in frames:
            for packet in stream.encode(av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def streamed(source) -> list[np.ndarray]:
    return [frame.picture.pixels for frame in source.frames()]


@pytest.mark.parametrize("name,codec", [("clip.mp4", "libx264"), ("clip.mkv", "libx264"),
                                        ("clip.webm", "libvpx-vp9")])
def test_a_video_frame_is_the_streamed_one(frames, tmp_path, name, codec):
    source = open_clip(write_keyframed(tmp_path / name, frames, codec))
    every = streamed(source)
    for index in (0, 1, 11, 12, 13, 37, 59):
        frame = frame_at(source, index)
        assert frame.index == index and np.array_equal(frame.picture.pixels, every[index]), index
        assert frame.time == pytest.approx(index / FPS, abs=1e-3)
    assert np.array_equal(frame_at(source, 500).picture.pixels, every[-1])  # past the end: the last


def test_seeking_decodes_one_keyframe_interval_at_most(frames, tmp_path, monkeypatch):
    source = open_clip(write_keyframed(tmp_path / "long.mp4", frames))
    decoded = []
    real_open = av.open

    class Counting:
        def __init__(self, container):
            self._container = container

        def decode(self, *args, **kwargs):
            for frame in self._container.decode(*args, **kwargs):
                decoded.append(frame.time)
                yield frame

        def __getattr__(self, name):
            return getattr(self._container, name)

    monkeypatch.setattr(containers.av, "open", lambda *args, **kwargs: Counting(real_open(*args, **kwargs)))
    for index in (59, 30, 47):
        decoded.clear()
        frame_at(source, index)
        assert len(decoded) <= KEYFRAME_EVERY + 2, (index, len(decoded))  # +2: B-frames around the keyframe


def test_an_animated_gif_and_webp_and_a_sequence_seek_too(frames, tmp_path):
    pictures = [Image.fromarray(pixels) for pixels in frames[:8]]
    pictures[0].save(tmp_path / "anim.gif", save_all=True, append_images=pictures[1:], duration=80, loop=0)
    pictures[0].save(tmp_path / "anim.webp", save_all=True, append_images=pictures[1:], duration=80, lossless=True)
    sequence = write_sequence(tmp_path / "shot", frames[:8])
    for path in (tmp_path / "anim.gif", tmp_path / "anim.webp", sequence):
        source = open_clip(path)
        every = streamed(source)
        for index in (0, 3, 7, 20):
            assert np.array_equal(frame_at(source, index).picture.pixels, every[min(index, 7)]), (path.name, index)
    assert frame_at(open_clip(sequence), 5).name == "shot_0006"


def test_a_source_that_cannot_seek_is_read_from_its_start(frames):
    source = ArraySource(frames[:5])
    assert frame_at(source, 3).index == 3 and np.array_equal(frame_at(source, 3).picture.pixels, frames[3])
    assert frame_at(source, 9).index == 4


def write_varying_rate(path, frames):
    """An MKV that says 30 frames/s but holds its first half 100 ms apart, its second 20 ms apart
    (as phones write): a seek by index / fps lands on the wrong frames."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=30, options={"g": "8"})
        stream.width, stream.height, stream.pix_fmt = *SMALL, "yuv420p"
        stream.codec_context.time_base = stream.time_base = Fraction(1, 1000)
        at = 0
        for index, pixels in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(pixels), format="rgb24")
            frame.pts, frame.time_base = at, Fraction(1, 1000)
            at += 100 if index < len(frames) // 2 else 20
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


class _Samples:
    """An engine that hands back the frames it was asked to measure."""

    def shot_statistics(self, template, frames, token=None):
        return [frame.pixels for frame in frames]


def test_a_shots_samples_are_the_frames_the_export_counts_even_where_the_frame_rate_varies(frames, tmp_path):
    from engine import CancelToken, ShotSearch

    source = open_clip(write_varying_rate(tmp_path / "phone.mkv", frames[:40]))
    in_order = streamed(source)
    search = ShotSearch(source)
    while not search.search(1.0):
        pass
    shot = search.shot_of(0)
    measured = search.statistics(_Samples(), None, shot, CancelToken())
    assert len(measured) == len(shot.samples) > 1
    for index, pixels in zip(shot.samples, measured, strict=True):
        assert np.array_equal(pixels, in_order[index]), index
