"""Hostile inputs on the surfaces added after the still-picture corpus (issue 22): clips and frame
sequences, layered files and region masks. Each input is made here, small."""

import os
import struct
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import av
import numpy as np
import pytest
from PIL import Image

from engine.commands.cli import main
from engine.errors import VideoWriteError
from engine.video import open_clip
from engine.video.atomic import atomic_folder

from .test_hostile_processes import without_file_permission_bypass
from .video_clips import chelsea, pan, write_sequence, write_video

SMALL = (48, 32)


@pytest.fixture(scope="module")
def frames():
    return pan(chelsea(), 6, size=SMALL)[0]


@pytest.fixture
def clip(frames, tmp_path):
    return write_video(tmp_path / "a.mp4", frames)


def stylize(*arguments) -> int:
    return main(["stylize", *map(str, arguments), "--preset", "7", "--stroke", "native", "--codec", "vp9"])


def test_a_clip_is_never_its_own_output_even_with_overwrite(clip, capsys):
    before = clip.read_bytes()
    assert stylize(clip, "-o", clip, "--overwrite") == 2
    assert "is the input itself" in capsys.readouterr().err
    assert clip.read_bytes() == before


def test_two_clips_of_one_name_get_two_outputs_planned_before_any_render(clip, frames, tmp_path, capsys):
    other = write_video(tmp_path / "a.mkv", frames[::-1], codec="libvpx-vp9")
    out = tmp_path / "out"
    assert stylize(clip, other, "--out-dir", out) == 0
    written = sorted(path.name for path in out.iterdir())
    assert len(written) == 2 and written[0].startswith("a-mkv") and written[1].startswith("a-mp4")
    # run again without --overwrite: both refused before either is rendered, nothing changed
    stamps = {path: path.stat().st_mtime_ns for path in out.iterdir()}
    assert stylize(clip, other, "--out-dir", out) == 1
    assert capsys.readouterr().err.count("already exists") == 2
    assert {path: path.stat().st_mtime_ns for path in out.iterdir()} == stamps


@pytest.mark.parametrize("kind", ["fifo", "link loop"])
def test_a_sequence_frame_that_cannot_be_read_stops_it_before_work(frames, tmp_path, capsys, kind):
    folder = write_sequence(tmp_path / "shot", frames)
    third = sorted(folder.iterdir())[2]
    third.unlink()
    if kind == "fifo":
        os.mkfifo(third)
    else:
        os.symlink(third.name, third)  # a link to itself
    out = tmp_path / "out"
    assert main(["stylize", str(folder), "--sequence", "-o", str(out), "--preset", "7", "--stroke", "native"]) == 1
    err = capsys.readouterr().err
    assert third.name in err and "frames after it" in err
    assert not out.exists()


def test_the_output_place_is_checked_before_the_clip_is_opened(tmp_path, capsys):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all")
    assert stylize(broken, "-o", "/proc/out.mp4") == 2
    err = capsys.readouterr().err
    assert "/proc: cannot save into this folder" in err and "broken.mp4" not in err and "unexpected" not in err
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    done = subprocess.run([*without_file_permission_bypass(), sys.executable, "-m", "engine.commands.cli", "stylize",
                           str(broken), "-o", str(read_only / "frames"), "--preset", "7"],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2 and "cannot save into this folder" in done.stderr and "Traceback" not in done.stderr


def test_a_frames_folder_that_appears_while_writing_is_said_so(tmp_path):
    target = tmp_path / "frames"
    with pytest.raises(VideoWriteError, match="appeared while writing"), atomic_folder(target) as temporary:
        (temporary / "frame_000001.png").write_bytes(b"ours")
        target.mkdir()
        (target / "theirs.png").write_bytes(b"theirs")  # the other export won the race
    assert [path.name for path in target.iterdir()] == ["theirs.png"]
    assert [path.name for path in tmp_path.iterdir()] == ["frames"]  # ours removed, theirs kept


def _gif_with_canvas(path: Path, width: int, height: int) -> Path:
    """A GIF of a few hundred bytes whose header declares a ``width`` x ``height`` canvas, holding
    two 1x1 frames."""
    header = b"GIF89a" + struct.pack("<HHBBB", width, height, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    frame = (b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # graphic control: 0.1 s
             + b"\x2c" + struct.pack("<HHHHB", 0, 0, 1, 1, 0) + b"\x02\x02\x44\x01\x00")
    path.write_bytes(header + frame + frame + b"\x3b")
    return path


def test_a_clip_declaring_a_huge_canvas_is_refused_from_its_header(tmp_path, capsys):
    bomb = _gif_with_canvas(tmp_path / "bomb.gif", 16000, 16000)
    assert bomb.stat().st_size < 100
    assert stylize(bomb, "-o", tmp_path / "out.mp4") == 1
    err = capsys.readouterr().err
    assert "16000x16000" in err and "over the limit" in err
    assert not (tmp_path / "out.mp4").exists()


def test_a_long_last_frame_is_not_taken_for_a_truncated_file(tmp_path):
    pictures = [Image.fromarray(np.full((32, 48, 3), i * 40, np.uint8)) for i in range(5)]
    held = tmp_path / "held.gif"
    pictures[0].save(held, save_all=True, append_images=pictures[1:], duration=[100] * 4 + [3000], loop=0)
    assert open_clip(held).info.frame_count == 5
    slideshow = write_video(tmp_path / "slides.mp4", [np.asarray(p) for p in pictures], fps=Fraction(1, 5))
    assert open_clip(slideshow).info.duration > 20


def test_layer_names_that_xml_cannot_hold_still_make_a_well_formed_file(tmp_path):
    photo = tmp_path / "cat.png"
    Image.fromarray(chelsea()).resize((64, 48)).save(photo)
    mask = np.zeros((48, 64), np.uint8)
    mask[:, :32] = 255
    odd = tmp_path / os.fsdecode(b"sky\x01\xff.png")  # a control character and a byte that is not UTF-8
    Image.fromarray(mask).save(odd)
    target = tmp_path / "layers.ora"
    assert main(["stylize", str(photo), "-o", str(tmp_path / "flat.png"), "--preset", "3", "--stroke", "native",
                 "--region", f"preset:12={odd}", "--layers", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        stack = ElementTree.fromstring(archive.read("stack.xml"))  # well-formed
    names = [layer.get("name") for layer in stack.findall("./stack/layer")]
    assert names[0] == "preset:12 where sky\ufffd\ufffd.png is white"


# The high-water mark of this process's memory in MB (ru_maxrss would count the parent's, kept across exec).
PEAK_MB = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) // 1024"
MASK_MEASURE = f"""
import sys
from engine.commands.region_arguments import parse_region
before = {PEAK_MB}
region = parse_region("preset:3=" + sys.argv[1], 200_000_000)
print(region.mask.shape, {PEAK_MB} - before)
"""


def test_a_huge_mask_is_read_at_the_size_it_is_used(tmp_path):
    mask = np.zeros((14000, 14000), np.uint8)
    mask[:, :7000] = 255
    path = tmp_path / "huge.png"
    Image.fromarray(mask).save(path, compress_level=1)
    del mask
    done = subprocess.run([sys.executable, "-c", MASK_MEASURE, str(path)], capture_output=True, text=True,
                          timeout=120, check=True)
    shape, grown_mb = done.stdout.rsplit(" ", 1)
    assert shape == "(3500, 3500)"  # at most 4096 on its long side
    assert int(grown_mb) < 800  # it took 8.6 GB made into floats at full size; now 480 MB (decoding is 196)


@pytest.mark.parametrize("mode", ["L", "I;16", "RGBA", "P", "F"])
def test_masks_of_any_kind_of_picture_read_alike(tmp_path, mode):
    from engine.io.imageio import load_mask

    grey = np.zeros((40, 60), np.uint8)
    grey[:, :30] = 255
    if mode == "I;16":
        image = Image.fromarray(grey.astype(np.uint16) * 257)
    elif mode == "F":  # a float TIFF, 0..1
        image = Image.fromarray(grey.astype(np.float32) / 255)
    elif mode == "RGBA":
        image = Image.fromarray(np.dstack([grey] * 3 + [np.full_like(grey, 255)]))
    else:
        image = Image.fromarray(grey).convert(mode)
    path = tmp_path / ("mask.tif" if mode == "F" else "mask.png")
    image.save(path)
    brightness, _alpha = load_mask(path, long_side=30)
    assert brightness.shape == (20, 30)
    assert brightness[:, :14].min() > 0.99 and brightness[:, 16:].max() < 0.01


@pytest.fixture
def slow_motion(frames, tmp_path):
    """A clip at 480 frames/s, more than SVT-AV1 takes."""
    return write_video(tmp_path / "slow.mp4", frames, fps=480)


def test_what_av1_cannot_take_falls_back_to_vp9_or_is_said_in_one_line(slow_motion, tmp_path, capsys):
    from engine.video.codecs import choose_codec

    if choose_codec(".mp4").encoder != "libsvtav1":
        pytest.skip("this FFmpeg has no SVT-AV1, whose limits these are")
    out = tmp_path / "out.mp4"
    assert main(["stylize", str(slow_motion), "-o", str(out), "--preset", "7", "--stroke", "native"]) == 0
    captured = capsys.readouterr()
    assert "at most 240 frames/s" in captured.out and "encoded as VP9 instead" in captured.out
    with av.open(str(out)) as container:
        assert container.streams.video[0].codec_context.name == "vp9"
    asked = tmp_path / "asked.mp4"
    assert main(["stylize", str(slow_motion), "-o", str(asked), "--preset", "7", "--codec", "av1"]) == 2
    err = capsys.readouterr().err
    assert "at most 240 frames/s" in err and "--codec vp9" in err and "Svt[" not in err and "unexpected" not in err
    assert not asked.exists()


def test_the_av1_encoders_frame_limits_are_known():
    from engine.video.codecs import choose_codec

    av1 = choose_codec(".mp4")
    if av1.encoder != "libsvtav1":
        pytest.skip("this FFmpeg has no SVT-AV1")
    assert av1.limit_problem((1920, 1080), 240) is None
    assert "8704 px tall" in av1.limit_problem((4000, 9000), 24)
    assert "16384 px wide" in av1.limit_problem((16386, 4000), 24)


def test_a_codec_the_automatic_mp4_cannot_hold_is_a_bad_argument(clip, capsys):
    assert main(["stylize", str(clip), "--preset", "7", "--codec", "prores"]) == 2
    assert "cannot hold prores" in capsys.readouterr().err
