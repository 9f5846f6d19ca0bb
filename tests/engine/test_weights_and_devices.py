import shutil
import subprocess
import sys

import pytest
import torch

from engine import DeviceUnavailableError, ModelFileError
from engine.devices import resolve_device
from engine.weights import load_network, models_dir, verified_weights_file


def test_all_weights_verify():
    for name in ("multistyle26", "arbitrary_predict", "arbitrary_transform"):
        assert verified_weights_file(name).exists()


def test_altered_or_missing_weights_are_refused(tmp_path):
    folder = tmp_path / "models"
    shutil.copytree(models_dir(), folder)
    path = folder / "multistyle26.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="damaged or was altered"):
        load_network("multistyle26", torch.device("cpu"), torch.float32, folder)
    path.unlink()
    with pytest.raises(ModelFileError, match="missing"):
        load_network("multistyle26", torch.device("cpu"), torch.float32, folder)


def test_auto_device_and_explicit_unavailable_device():
    choice = resolve_device("auto")
    assert choice.kind in ("cuda", "mps", "cpu")
    if not torch.cuda.is_available():
        assert choice.kind in ("mps", "cpu")
        with pytest.raises(DeviceUnavailableError, match="CUDA"):
            resolve_device("cuda")


def test_engine_imports_no_qt():
    """The engine must stay usable without Qt: importing all of it pulls in no PySide6."""
    code = ("import sys, pkgutil, importlib, engine\n"
            "for m in pkgutil.walk_packages(engine.__path__, 'engine.'): importlib.import_module(m.name)\n"
            "print([m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'desktop'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.gpu
def test_fp16_on_cuda_stays_within_two_levels_of_fp32():
    from engine import Engine, EngineSettings, RenderRequest, RenderSettings, load_picture, painting, preset
    from engine.resources import resource_path

    photo = load_picture(resource_path("images", "chelsea.png"))
    half = Engine(EngineSettings(device="cuda", precision="fp16"))
    full = Engine(EngineSettings(device="cuda", precision="fp32"))
    for style in (preset(7), painting(photo)):
        request = RenderRequest(photo, style, RenderSettings(stroke=None))
        a = half.render(request).picture.pixels.astype(int)
        b = full.render(request).picture.pixels.astype(int)
        assert abs(a - b).max() <= 2


@pytest.mark.gpu
def test_cuda_matches_cpu():
    from engine import Engine, EngineSettings, RenderRequest, RenderSettings, load_picture, preset
    from engine.resources import resource_path

    photo = load_picture(resource_path("images", "chelsea.png"))
    request = RenderRequest(photo, preset(3), RenderSettings(stroke=None))
    gpu = Engine(EngineSettings(device="cuda", precision="fp32")).render(request).picture.pixels.astype(int)
    cpu = Engine(EngineSettings(device="cpu")).render(request).picture.pixels.astype(int)
    assert abs(gpu - cpu).max() <= 1


@pytest.mark.parametrize("manifest", [
    "[]", '"files"', '{"files": []}', '{"files": {"multistyle26.safetensors": "40a79c"}}',
    '{"files": {"multistyle26.safetensors": {"bytes": 1}}}', '{"files": {"multistyle26.safetensors": {"sha256": 7}}}',
    "{not json", "",
])
def test_a_malformed_manifest_asks_for_a_reinstall(tmp_path, manifest):
    folder = tmp_path / "models"
    shutil.copytree(models_dir(), folder)
    (folder / "manifest.json").write_text(manifest)
    with pytest.raises(ModelFileError, match="manifest.*reinstall Impasto"):
        load_network("multistyle26", torch.device("cpu"), torch.float32, folder)


def test_a_file_that_matches_its_manifest_but_is_not_safetensors_asks_for_a_reinstall(tmp_path):
    import hashlib
    import json

    folder = tmp_path / "models"
    folder.mkdir()
    junk = b"\xff" * 64  # a header length no file could have
    (folder / "multistyle26.safetensors").write_bytes(junk)
    entry = {"sha256": hashlib.sha256(junk).hexdigest()}
    (folder / "manifest.json").write_text(json.dumps({"files": {"multistyle26.safetensors": entry}}))
    with pytest.raises(ModelFileError, match="multistyle26.safetensors.*reinstall Impasto"):
        load_network("multistyle26", torch.device("cpu"), torch.float32, folder)
