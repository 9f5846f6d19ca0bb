"""``impasto stylize`` and ``impasto presets`` as a user runs them."""

import json

import numpy as np
import pytest
from PIL import Image

from engine.commands.cli import main
from engine.resources import resource_path


@pytest.fixture
def photos(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    source = Image.open(resource_path("images", "chelsea.png")).convert("RGB").resize((160, 106))
    source.save(folder / "cat.png")
    source.transpose(Image.FLIP_LEFT_RIGHT).save(folder / "cat2.jpg")
    return folder


def test_stylize_one_file_with_json(photos, tmp_path, capsys):
    out = tmp_path / "out.png"
    assert main(["stylize", str(photos / "cat.png"), "-o", str(out), "--preset", "7", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["output"] == str(out) and record["size"] == [160, 106] and "CPU" in record["device"]
    assert {"seconds", "peak_memory_mb", "working_size"} <= record.keys()
    assert Image.open(out).size == (160, 106)


def test_refuses_to_overwrite_unless_asked(photos, tmp_path, capsys):
    out = tmp_path / "out.png"
    out.write_bytes(b"precious")
    assert main(["stylize", str(photos / "cat.png"), "-o", str(out), "--preset", "1"]) == 1
    assert out.read_bytes() == b"precious"
    assert "already exists" in capsys.readouterr().err
    assert main(["stylize", str(photos / "cat.png"), "-o", str(out), "--preset", "1", "--overwrite"]) == 0


def test_folder_batch_survives_a_bad_file(photos, tmp_path, capsys):
    (photos / "notes.png").write_text("not a picture")
    out_dir = tmp_path / "results"
    code = main(["stylize", str(photos), "--out-dir", str(out_dir), "--style", str(photos / "cat2.jpg"),
                 "--strength", "0.8", "--json"])
    assert code == 1  # something failed...
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum("error" in r for r in records) == 1 and "notes.png" in next(r["error"] for r in records if "error" in r)
    assert sorted(p.name for p in out_dir.iterdir()) == ["cat2_style.png", "cat_style.png"]  # ...the rest did not


def test_blends_sizes_and_formats(photos, tmp_path):
    out = tmp_path / "blend.jpg"
    assert main(["stylize", str(photos / "cat.png"), "-o", str(out), "--preset", "3:0.5,12:0.5",
                 "--size", "300", "--stroke", "1.5", "--preserve-colors"]) == 0
    assert max(Image.open(out).size) == 300


@pytest.mark.parametrize("args, message", [
    (["--preset", "40"], "0 to 25"),
    (["--preset", "7", "--strength", "2"], "strength"),
    (["--style", "missing.png"], "no such file"),
])
def test_bad_arguments_give_a_clear_error(photos, tmp_path, capsys, args, message):
    code = main(["stylize", str(photos / "cat.png"), "-o", str(tmp_path / "x.png"), *args])
    assert code != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_presets_contact_sheet(tmp_path):
    out = tmp_path / "sheet.png"
    assert main(["presets", "-o", str(out), "--tile", "64"]) == 0
    sheet = np.asarray(Image.open(out))
    assert sheet.shape[1] > 7 * 64 and sheet.shape[0] > 4 * 64


def test_an_unexpected_fault_is_one_line_not_a_traceback(photos, tmp_path, capsys, monkeypatch):
    from engine.commands import stylize

    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr(stylize, "render_one", broken)
    assert main(["stylize", str(photos / "cat.png"), "-o", str(tmp_path / "x.png"), "--preset", "1"]) == 1
    err = capsys.readouterr().err
    assert "a bug of ours" in err and "IMPASTO_DEBUG" in err and "Traceback" not in err
