"""The real window on the real engine, as ``impasto selftest`` runs it (also from the installed app)."""

import os
import subprocess
import sys

import numpy as np
from PIL import Image


def test_selftest_renders_the_sample_and_saves_a_screenshot(tmp_path):
    shot = tmp_path / "window.png"
    # No display at all: selftest must fall back to drawing offscreen by itself.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "desktop", "selftest", "--screenshot", str(shot)],
                          check=False, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "selftest passed" in done.stdout
    with Image.open(shot) as image:
        assert image.width >= 800 and image.height >= 500
        # the preview area is not empty: the stylised sample has many colours
        preview = np.asarray(image.crop((600, 200, 1000, 500)).convert("RGB")).reshape(-1, 3)
        assert len(np.unique(preview, axis=0)) > 500
