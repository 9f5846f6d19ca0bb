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
