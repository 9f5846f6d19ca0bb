"""The hostile corpus through ``impasto stylize``, in-process: every file as a photo, as a
painting and in a folder batch, every odd value and every unusable output.

For each case: the documented exit code, one line naming the file, no traceback, no stray
temporary file, nothing replaced that was not asked for, and a batch that goes on. The cases
that need their own process (signals, strict encodings, permissions as an ordinary user) are in
``test_hostile_processes.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest
from PIL import Image

from engine import is_temporary_name
from engine.commands.cli import main, printable

from .hostile_corpus import ENTRIES, base_image, build_corpus, unreachable_paths

FAST = ["--stroke", "native"]  # the network at the pictures' own (tiny) size


@pytest.fixture(autouse=True)
def one_cpu_thread(monkeypatch):
    """Pictures this small gain nothing from threads, and on a busy 2-core machine a second
    thread that waits for the first made each render 50 times slower (measured)."""
    monkeypatch.setattr("engine.devices.default_cpu_threads", lambda: 1)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "corpus"
    build_corpus(root)
    return root


@pytest.fixture(scope="module")
def good_photo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("photo") / "photo.png"
    base_image().save(path)
    return path


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every regular file under ``folder``: its bytes' digest and mode, to prove nothing changed."""
    files = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            files[str(path)] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.S_IMODE(path.stat().st_mode))
    return files


def leftovers(*folders: Path) -> list[str]:
    return [str(p) for folder in folders for p in folder.rglob("*") if is_temporary_name(p.name)
            and "corpus" not in p.parts]  # the corpus holds one on purpose


def run(capsys, *argv) -> tuple[int, str, str]:
    try:
        code = main(["stylize", *map(str, argv)])
    except SystemExit as exited:  # argparse's own refusals
        code = exited.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def assert_one_error_line(err: str, path: Path, reason: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and reason in lines[0], lines[0]
    assert printable(path.name) in lines[0], lines[0]


def test_the_corpus_is_large_and_varied():
    assert len(ENTRIES) + len(unreachable_paths(Path("/"))) >= 60
    assert sum(e.refused is None for e in ENTRIES) >= 30 and sum(e.refused is not None for e in ENTRIES) >= 25


@pytest.mark.parametrize("entry", ENTRIES, ids=[ascii(e.name)[1:40] for e in ENTRIES])
def test_as_photo(corpus, tmp_path, capsys, entry):
    before = snapshot(corpus)
    out_file = tmp_path / "out.png"
    code, out, err = run(capsys, corpus / entry.name, "-o", out_file, "--preset", "1", *FAST)
    if entry.refused is None:
        assert code == 0 and err == "", err
        assert out.count("\n") == 1 and printable(entry.name) in out
        assert min(Image.open(out_file).size) >= 16
    elif (corpus / entry.name).is_dir():  # a folder named as the photo is a batch, here of nothing
        assert code == 2 and f"no images found in {corpus / entry.name}" in err
    else:
        assert code == 1
        assert_one_error_line(err, corpus / entry.name, entry.refused)
        assert not out_file.exists()
    assert snapshot(corpus) == before and leftovers(tmp_path) == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[ascii(e.name)[1:40] for e in ENTRIES])
def test_as_painting(corpus, good_photo, tmp_path, capsys, entry):
    out_file = tmp_path / "out.png"
    code, _, err = run(capsys, good_photo, "-o", out_file, "--style", corpus / entry.name, *FAST)
    if entry.refused is None:
        assert code == 0 and err == "", err
        assert out_file.exists()
    else:
        assert code == 1
        assert_one_error_line(err, corpus / entry.name, entry.refused)
        assert not out_file.exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("path, reason", unreachable_paths(Path("/corpus")), ids=["too-long", "through-a-file",
                                                                                  "missing", "dev-null"])
def test_unreachable_paths_as_photo_and_painting(corpus, good_photo, tmp_path, capsys, path, reason):
    path = Path(str(path).replace("/corpus", str(corpus), 1))
    code, _, err = run(capsys, path, "-o", tmp_path / "out.png", "--preset", "1", *FAST)
    assert code == 1
    assert_one_error_line(err, path, reason)
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--style", path, *FAST)
    assert code == 1
    assert_one_error_line(err, path, reason)
    assert list(tmp_path.iterdir()) == []


def test_as_a_batch_every_entry_is_accounted_for_and_the_batch_goes_on(corpus, tmp_path, capsys):
    before = snapshot(corpus)
    out_dir = tmp_path / "results"
    code, out, err = run(capsys, corpus, "--out-dir", out_dir, "--preset", "1", *FAST, "--json")
    assert code == 1  # some failed...
    records = [json.loads(line) for line in out.splitlines()]
    by_input = {record["input"]: record for record in records}
    assert len(by_input) == len(records) == len(ENTRIES)  # every entry once, by name
    for entry in ENTRIES:
        record = by_input[str(corpus / entry.name)]
        if entry.skipped is not None:
            assert entry.skipped in record.get("skipped", ""), (entry.name, record)
        elif entry.refused is not None or entry.batch_error is not None:
            assert (entry.refused or entry.batch_error) in record.get("error", ""), (entry.name, record)
        else:
            assert Path(record["output"]).exists(), (entry.name, record)  # ...the rest were done
    outputs = [r["output"] for r in records if "output" in r]
    assert len(set(outputs)) == len(outputs)  # three inputs of one stem: three outputs
    assert {f"same-stem-{t}_preset1.png" for t in ("jpg", "jpeg", "png")} <= {Path(o).name for o in outputs}
    assert any(len(Path(o).name) == 240 for o in outputs)  # LONG_STEM's output
    err_lines = err.splitlines()
    assert len(err_lines) == sum("output" not in r for r in records)  # one line per error or skip
    assert all(line.startswith(("error: ", "skipped ")) for line in err_lines)
    assert snapshot(corpus) == before and leftovers(tmp_path) == []


def test_a_batch_run_again_in_place_never_stylises_its_own_outputs(tmp_path, capsys):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in ("a.png", "b.jpg", "b.png"):
        base_image().save(folder / name)
    inputs = snapshot(folder)
    assert run(capsys, folder, "--preset", "1", *FAST)[0] == 0
    outputs = {"a_preset1.png", "b-jpg_preset1.png", "b-png_preset1.png"}
    assert {p.name for p in folder.iterdir()} == {"a.png", "b.jpg", "b.png"} | outputs
    first = snapshot(folder)

    code, _, err = run(capsys, folder, "--preset", "1", *FAST)  # again, without --overwrite
    assert code == 1 and snapshot(folder) == first
    assert err.count("the output for") == 3 and err.count("already exists") == 3

    code, _, err = run(capsys, folder, "--preset", "1", *FAST, "--overwrite")  # and with it
    assert code == 0 and err.count("the output for") == 3
    assert {p.name for p in folder.iterdir()} == {"a.png", "b.jpg", "b.png"} | outputs  # no *_preset1_preset1
    assert {k: v for k, v in snapshot(folder).items() if k in inputs} == inputs  # inputs untouched


def test_an_input_named_twice_is_rendered_once(tmp_path, capsys, good_photo):
    code, _, err = run(capsys, good_photo, good_photo.parent / "." / good_photo.name, "--out-dir", tmp_path, "--preset",
                       "1", *FAST)
    assert code == 0 and "named twice" in err and len(list(tmp_path.iterdir())) == 1


BAD_VALUES = [  # (arguments, exit code, words of the message)
    (["--max-pixels", "nan"], 2, "positive number of megapixels"),
    (["--max-pixels", "inf"], 2, "positive number of megapixels"),
    (["--max-pixels", "0"], 2, "positive number of megapixels"),
    (["--max-pixels", "-5"], 2, "positive number of megapixels"),
    (["--max-pixels", "lots"], 2, "positive number of megapixels"),
    (["--size", "100000"], 2, "from 16 to 63245"),
    (["--size", "0"], 2, "from 16 to 63245"),
    (["--size", "15"], 2, "from 16 to 63245"),
    (["--size", "1.5"], 2, "whole number of pixels"),
    (["--jpeg-quality", "500"], 2, "from 1 to 100"),
    (["--jpeg-quality", "0"], 2, "from 1 to 100"),
    (["--jpeg-quality", "high"], 2, "from 1 to 100"),
    (["--strength", "nan"], 2, "strength"),
    (["--strength", "2"], 2, "strength"),
    (["--stroke", "nan"], 2, "stroke size"),
    (["--stroke", "inf"], 2, "stroke size"),
    (["--stroke", "0"], 2, "stroke size"),
    (["--stroke", "fat"], 2, "stroke size"),
    (["--precision", "fp8"], 2, "invalid choice"),
    (["--quality", "ultra"], 2, "invalid choice"),
    (["--device", "tpu"], 2, "invalid choice"),
    (["--format", "gif"], 2, "invalid choice"),
]
BAD_PRESETS = ["3:nan", "3:inf", "3:-1", "3:0", "3:1,4:nan", "40", "-1", "three", "", "3:0.5,,x"]


@pytest.mark.parametrize("extra, code, words", BAD_VALUES, ids=[" ".join(v[0]) for v in BAD_VALUES])
def test_bad_values_exit_2_before_anything_is_read(good_photo, tmp_path, capsys, extra, code, words):
    result = run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", "1", *extra)
    assert result[0] == code and words in result[2], result
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("blend", BAD_PRESETS)
def test_bad_preset_blends_exit_2(good_photo, tmp_path, capsys, blend):
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", blend)
    assert code == 2 and err.count("\n") == 1 and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("weight", ["nan", "inf", "-1", "0"])
def test_bad_painting_weights_exit_2(good_photo, tmp_path, capsys, weight):
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--style", f"{good_photo}:{weight}")
    assert code == 2 and "painting weights" in err and list(tmp_path.iterdir()) == []


def test_huge_blend_weights_paint_like_equal_ones(good_photo, tmp_path, capsys):
    run(capsys, good_photo, "-o", tmp_path / "huge.png", "--preset", "3:1e308,4:1e308", *FAST)
    run(capsys, good_photo, "-o", tmp_path / "equal.png", "--preset", "3:1,4:1", *FAST)
    assert (tmp_path / "huge.png").read_bytes() == (tmp_path / "equal.png").read_bytes()


def test_a_painting_whose_name_ends_like_a_weight(good_photo, tmp_path, capsys):
    painting = tmp_path / "study.png:0.5"
    base_image().save(painting, "PNG")
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--style", painting, *FAST)
    assert code == 0, err


def test_an_enlargement_over_the_pixel_limit_is_refused_before_rendering(good_photo, tmp_path, capsys):
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", "1", "--size", "30000")
    assert code == 1 and "largest size for it is 16329" in err and not (tmp_path / "out.png").exists()


def test_an_absent_device_is_a_bad_argument(good_photo, tmp_path, capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA is present here")
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", "1", "--device", "cuda")
    assert code == 2 and "CUDA" in err and err.count("\n") == 1


def test_the_pixel_limit_says_how_to_raise_it(good_photo, tmp_path, capsys):
    code, _, err = run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", "1", "--max-pixels", "0.001")
    assert code == 1 and "over the limit" in err and "--max-pixels raises" in err


def test_no_images_found_names_the_folder(tmp_path, capsys):
    empty = tmp_path / "nothing here"
    empty.mkdir()
    (empty / "notes.txt").write_text("no pictures")
    code, _, err = run(capsys, empty, "--preset", "1")
    assert code == 2 and "skipped" in err and f"no images found in {empty}" in err


@pytest.fixture
def existing(tmp_path) -> Path:
    path = tmp_path / "existing.png"
    path.write_bytes(b"the artist's own file")
    path.chmod(0o640)
    return path


def output_cases(tmp_path: Path, photo: Path, existing: Path):
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "a-folder").mkdir()
    return [  # (arguments after the photo, exit code, words of the message)
        (["-o", tmp_path / "a-folder"], 2, "is a folder"),
        (["-o", tmp_path / "out.gif"], 2, "unsupported output type .gif"),
        (["-o", tmp_path / "no-type"], 2, "unsupported output type (none)"),
        (["-o", photo], 2, "is the input itself"),
        (["-o", photo, "--overwrite"], 2, "is the input itself"),
        (["-o", tmp_path / "missing" / "out.png"], 2, "no such folder"),
        (["-o", tmp_path / "a-file" / "out.png"], 2, "not a folder"),
        (["-o", "/proc/out.png"], 2, "cannot save into this folder"),
        (["-o", tmp_path / ("n" * 300 + ".png")], 2, "longer than the file system allows"),
        (["--out-dir", tmp_path / "a-file"], 2, "is a file, not a folder"),
        (["--out-dir", tmp_path / "a-file" / "sub"], 2, "cannot be created"),
        (["--out-dir", "/proc"], 2, "cannot save into this folder"),
        (["-o", existing], 1, "already exists"),
        (["-o", tmp_path / "x.png", "--out-dir", tmp_path], 2, "not allowed with"),
    ]


def test_unusable_outputs_are_refused_before_rendering(good_photo, tmp_path, existing, capsys):
    for extra, code, words in output_cases(tmp_path, good_photo, existing):
        before = snapshot(tmp_path)
        result = run(capsys, good_photo, "--preset", "1", *extra)[::2]
        assert result[0] == code and words in result[1], (extra, result)
        assert snapshot(tmp_path) == before and leftovers(tmp_path) == [], extra
        assert stat.S_IMODE(existing.stat().st_mode) == 0o640


def test_outputs_are_replaced_only_when_asked_and_keep_their_mode(good_photo, existing, capsys):
    assert run(capsys, good_photo, "-o", existing, "--preset", "1", *FAST)[0] == 1
    assert existing.read_bytes() == b"the artist's own file"
    assert run(capsys, good_photo, "-o", existing, "--preset", "1", *FAST, "--overwrite")[0] == 0
    assert existing.read_bytes()[:4] == b"\x89PNG" and stat.S_IMODE(existing.stat().st_mode) == 0o640


def test_a_new_output_gets_the_umask_permissions(good_photo, tmp_path, capsys):
    previous = os.umask(0o027)
    try:
        assert run(capsys, good_photo, "-o", tmp_path / "out.png", "--preset", "1", *FAST)[0] == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.png").stat().st_mode) == 0o640


def test_a_long_output_name_saves(good_photo, tmp_path, capsys):
    target = tmp_path / ("l" * 236 + ".png")
    assert len(target.name) == 240
    assert run(capsys, good_photo, "-o", target, "--preset", "1", *FAST)[0] == 0 and target.exists()
    assert leftovers(tmp_path) == []
