"""Regions, colour modes and layered files from the command line."""

import zipfile
from xml.etree import ElementTree

import numpy as np
import pytest
from PIL import Image

from engine import PRESET_NAMES
from engine.commands.cli import main
from engine.resources import resource_path


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "cat.png"
    Image.open(resource_path("images", "chelsea.png")).convert("RGB").resize((160, 106)).save(photo)
    mask = np.zeros((53, 80), np.uint8)  # half the photo's size: stretched to it
    mask[:, :40] = 255
    Image.fromarray(mask).save(tmp_path / "left.png")
    Image.fromarray(np.zeros((20, 20), np.uint8)).save(tmp_path / "black.png")
    Image.open(resource_path("images", "chelsea.png")).convert("RGB").rotate(90).save(tmp_path / "painting.jpg")
    return tmp_path


def test_a_region_paints_its_style_where_the_mask_is_white(files):
    out, plain = files / "out.png", files / "plain.png"
    assert main(["stylize", str(files / "cat.png"), "-o", str(plain), "--preset", "3"]) == 0
    assert main(["stylize", str(files / "cat.png"), "-o", str(out), "--preset", "3",
                 "--region", f"preset:12={files / 'left.png'}", "--feather", "4", "--snap-edges"]) == 0
    regioned, only_3 = (np.asarray(Image.open(p), dtype=float) for p in (out, plain))
    assert regioned.shape == only_3.shape == (106, 160, 3)
    assert np.abs(regioned[:, 110:] - only_3[:, 110:]).mean() < np.abs(regioned[:, :50] - only_3[:, :50]).mean()


def test_a_regions_strength_is_written_after_an_at(files):
    plain, photo_back, half = files / "plain.png", files / "photo.png", files / "half.png"
    assert main(["stylize", str(files / "cat.png"), "-o", str(plain), "--preset", "3"]) == 0
    assert main(["stylize", str(files / "cat.png"), "-o", str(photo_back), "--preset", "3",
                 "--region", f"photo={files / 'left.png'}"]) == 0
    assert main(["stylize", str(files / "cat.png"), "-o", str(half), "--preset", "3",
                 "--region", f"photo@50%={files / 'left.png'}"]) == 0
    cat = np.asarray(Image.open(files / "cat.png"), dtype=float)[:, :60]
    only_3, back, halfway = (np.asarray(Image.open(p), dtype=float)[:, :60] for p in (plain, photo_back, half))
    assert np.abs(back - cat).max() <= 1  # the photo's own pixels where the mask is white
    assert np.abs(halfway - (cat + only_3) / 2).mean() < 1


def test_a_painting_whose_name_holds_an_at_is_still_a_painting(files):
    odd = files / "me@home.jpg"
    (files / "painting.jpg").rename(odd)
    assert main(["stylize", str(files / "cat.png"), "-o", str(files / "at.png"), "--preset", "3",
                 "--region", f"{odd}={files / 'left.png'}"]) == 0


def test_colour_modes_and_the_old_spelling(files):
    for mode in ("photo", "palette"):
        out = files / f"{mode}.png"
        assert main(["stylize", str(files / "cat.png"), "-o", str(out), "--style", str(files / "painting.jpg"),
                     "--colour", mode]) == 0
    assert main(["stylize", str(files / "cat.png"), "-o", str(files / "old.png"), "--preset", "1",
                 "--preserve-colors"]) == 0


def test_layers_make_an_openraster_file(files):
    target = files / "layers.ora"
    assert main(["stylize", str(files / "cat.png"), "-o", str(files / "flat.png"), "--preset", "3",
                 "--region", f"photo={files / 'left.png'}", "--region", f"{files / 'painting.jpg'}={files / 'left.png'}",
                 "--layers", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"image/openraster"
        stack = ElementTree.fromstring(archive.read("stack.xml"))
        assert (stack.get("w"), stack.get("h")) == ("160", "106")
        layers = stack.findall("./stack/layer")
        assert len(layers) == 4 and layers[-1].get("name") == "photo"  # top first: the photo at the bottom
        for layer in layers:
            with archive.open(layer.get("src")) as png:
                image = Image.open(png)
                image.load()
            assert image.size == (160, 106) and image.mode == "RGBA"
        top = np.asarray(Image.open(archive.open(layers[0].get("src"))))
        assert top[:, :30, 3].min() > 200 and top[:, 130:, 3].max() < 50  # the region's mask is its alpha
        thumbnail = Image.open(archive.open("Thumbnails/thumbnail.png"))
        assert max(thumbnail.size) <= 256 and "mergedimage.png" in archive.namelist()


def exit_code(arguments) -> int:
    """What the command exits with, whether argparse refuses the arguments or the command does."""
    try:
        return main(arguments)
    except SystemExit as exc:
        return exc.code


@pytest.mark.parametrize("extra, code, message", [
    (["--region", "preset:12={black}"], 1, "all black"),
    (["--region", "preset:12={missing}"], 1, "missing.png"),
    (["--region", "preset:12"], 2, "STYLE=MASK"),
    (["--region", "preset:12@1.5={black}"], 2, "strength runs from 0 to 1"),
    (["--region", "photo@-5%={black}"], 2, "strength runs from 0 to 1"),
    (["--region", "@0.5={black}"], 2, "STYLE=MASK"),
    (["--region", "preset:99={black}"], 2, "0 to 25"),
    (["--layers", "{dir}/layers.png"], 2, "name it .ora"),
    (["--feather", "-3"], 2, "feather"),
    (["--colour", "sepia"], 2, "colour"),
])
def test_bad_region_arguments_are_one_clear_line(files, capsys, extra, code, message):
    names = {"black": files / "black.png", "missing": files / "missing.png", "dir": files}
    out = files / "never.png"
    arguments = [argument.format(**names) for argument in extra]
    assert exit_code(["stylize", str(files / "cat.png"), "-o", str(out), "--preset", "3", *arguments]) == code
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not out.exists()


def test_layers_without_regions_hold_the_photo_and_the_style(files):
    target = files / "plain.ora"
    assert main(["stylize", str(files / "cat.png"), "-o", str(files / "plain.png"), "--preset", "3",
                 "--layers", str(target)]) == 0
    with zipfile.ZipFile(target) as archive:
        names = [layer.get("name") for layer in ElementTree.fromstring(archive.read("stack.xml")).findall("./stack/layer")]
    assert names == [PRESET_NAMES[3], "photo"]  # as the gallery names the preset


def test_a_mask_drawn_only_in_its_alpha_is_its_alpha(files):
    from engine import load_picture, mask_from_picture

    cut_out = np.zeros((40, 60, 4), np.uint8)
    cut_out[:, :30, 3] = 255  # black everywhere, opaque on the left: a selection saved from a painting program
    Image.fromarray(cut_out, "RGBA").save(files / "cut_out.png")
    mask = mask_from_picture(load_picture(files / "cut_out.png"))
    assert mask[:, :30].min() == 1.0 and mask[:, 30:].max() == 0.0
