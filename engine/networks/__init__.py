"""The feed-forward networks, as plain torch modules (no file access, no devices)."""

from .multistyle import PRESET_COUNT, MultiStyleNet
from .style_predictor import STYLE_VECTOR_SIZE, StylePredictor
from .style_transformer import StyleTransformer

# Weight-file stem -> module class. The stems are the ONNX names the weights came from.
NETWORK_CLASSES = {
    "multistyle26": MultiStyleNet,
    "arbitrary_predict": StylePredictor,
    "arbitrary_transform": StyleTransformer,
}

__all__ = ["NETWORK_CLASSES", "PRESET_COUNT", "STYLE_VECTOR_SIZE", "MultiStyleNet", "StylePredictor", "StyleTransformer"]
