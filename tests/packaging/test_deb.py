"""Build the .deb, install it with apt, run the installed app offscreen, uninstall.

Slow (minutes) and it installs system packages: it runs in CI (CI=true) or when asked with
IMPASTO_TEST_PACKAGING=1, and skips with that reason elsewhere.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ASKED = os.environ.get("CI") == "true" or os.environ.get("IMPASTO_TEST_PACKAGING") == "1"

pytestmark = [
    pytest.mark.packaging,
    pytest.mark.skipif(not ASKED, reason="packaging test runs in CI or with IMPASTO_TEST_PACKAGING=1"),
    pytest.mark.skipif(not shutil.which("dpkg-deb") or not shutil.which("apt-get"), reason="needs dpkg-deb and apt"),
    pytest.mark.skipif(os.geteuid() != 0, reason="installing a .deb needs root"),
]


def run(*command, **options):
    return subprocess.run(command, check=True, capture_output=True, text=True, **options)


def test_deb_installs_starts_stylises_and_uninstalls(tmp_path):
    run(sys.executable, str(ROOT / "packaging" / "build.py"), "--no-tar", cwd=ROOT)
    package = next((ROOT / "dist").glob("impasto_*_amd64.deb"))
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = Path("/opt/impasto")
    run("apt-get", "update", "-q", env=apt_env, timeout=600)  # the .deb's dependencies come from Debian
    run("apt-get", "install", "-y", "-q", str(package), env=apt_env, timeout=900)
    try:
        before = sorted(p.relative_to(install) for p in install.rglob("*"))
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
        shot = tmp_path / "window.png"
        done = run("/usr/bin/impasto", "selftest", "--screenshot", str(shot), env=env, timeout=600)
        assert "selftest passed" in done.stdout and shot.stat().st_size > 10_000
        photo = next(install.rglob("resources/images/chelsea.png"))
        out = tmp_path / "cat.png"
        run("/usr/bin/impasto", "stylize", str(photo), "-o", str(out), "--preset", "7", env=env, timeout=600)
        assert out.stat().st_size > 10_000
        # The bundled FFmpeg (PyAV), OpenCV's optical flow and torchvision (the contact sheet) work frozen.
        clip, styled = tmp_path / "clip.mp4", tmp_path / "styled.webm"
        write_clip(clip)
        run("/usr/bin/impasto", "stylize", str(clip), "-o", str(styled), "--preset", "7", "--temporal", "full",
            env=env, timeout=600)
        assert styled.stat().st_size > 1_000
        sheet = tmp_path / "sheet.png"
        run("/usr/bin/impasto", "presets", "-o", str(sheet), "--tile", "32", env=env, timeout=600)
        assert sheet.stat().st_size > 1_000
        assert Path("/usr/share/applications/impasto.desktop").exists()
        # The frozen app writes to the user's folders, never inside its install folder.
        assert sorted(p.relative_to(install) for p in install.rglob("*")) == before
    finally:
        run("apt-get", "remove", "-y", "-q", "impasto", env=apt_env, timeout=600)
    assert not install.exists() and not Path("/usr/bin/impasto").exists()


def write_clip(path: Path, frames: int = 6) -> None:
    """A few frames of a colour gradient moving sideways, as MPEG-4 part 2 in MP4."""
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=12)
        stream.width, stream.height, stream.pix_fmt = 96, 64, "yuv420p"
        for index in range(frames):
            x = np.arange(96)[None, :, None] + index * 4
            y = np.arange(64)[:, None, None]
            rgb = np.concatenate([(x * 2) % 256 + 0 * y, (y * 3 + 0 * x) % 256, ((x + y) * 2) % 256], axis=2)
            frame = av.VideoFrame.from_ndarray(rgb.astype(np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
