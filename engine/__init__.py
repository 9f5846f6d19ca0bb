"""Impasto's style-transfer engine: torch only, no Qt.

    from engine import Engine, RenderRequest, load_picture, preset
    result = Engine().render(RenderRequest(load_picture("photo.jpg"), preset(7)))

The names below are the engine's public face: the desktop app imports nothing else (an import
contract in ``pyproject.toml`` checks it).
"""

from .atomic import atomic_write, is_temporary_name
from .commands.synthetic import synthetic_photo
from .engine import Engine
from .errors import (
    Cancelled,
    DeviceUnavailableError,
    ImageReadError,
    ImageWriteError,
    ImpastoError,
    InvalidRequestError,
    ModelFileError,
    OutOfMemoryError,
    PictureTooLargeError,
)
from .imageio import SkippedInput, expand_inputs, folder_problem, load_picture, output_problem, save_picture, to_pil
from .limits import (
    MAX_ASPECT_RATIO,
    MAX_INPUT_PIXELS,
    MAX_OUTPUT_LONG_SIDE,
    MIN_SIDE,
    OUTPUT_FORMATS,
    output_size_problem,
    proportions_problem,
)
from .memory import keep_freed_memory
from .networks import PRESET_COUNT
from .networks.preset_names import PRESET_NAMES
from .picture import Picture
from .progress import CancelToken
from .request import RenderRequest, RenderResult
from .resources import resource_path
from .settings import (
    DEFAULT_ENGINE_SETTINGS,
    DEFAULT_RENDER_SETTINGS,
    REFERENCE_LONG_SIDE,
    STROKE_RANGE,
    EngineSettings,
    RenderSettings,
)
from .styles import PaintingBlend, PresetBlend, painting, parse_preset_blend, preset

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ENGINE_SETTINGS",
    "DEFAULT_RENDER_SETTINGS",
    "MAX_ASPECT_RATIO",
    "MAX_INPUT_PIXELS",
    "MAX_OUTPUT_LONG_SIDE",
    "MIN_SIDE",
    "OUTPUT_FORMATS",
    "PRESET_COUNT",
    "PRESET_NAMES",
    "REFERENCE_LONG_SIDE",
    "STROKE_RANGE",
    "CancelToken",
    "Cancelled",
    "DeviceUnavailableError",
    "Engine",
    "EngineSettings",
    "ImageReadError",
    "ImageWriteError",
    "ImpastoError",
    "InvalidRequestError",
    "ModelFileError",
    "OutOfMemoryError",
    "PaintingBlend",
    "Picture",
    "PictureTooLargeError",
    "PresetBlend",
    "RenderRequest",
    "RenderResult",
    "RenderSettings",
    "SkippedInput",
    "atomic_write",
    "expand_inputs",
    "folder_problem",
    "is_temporary_name",
    "keep_freed_memory",
    "load_picture",
    "output_problem",
    "output_size_problem",
    "painting",
    "parse_preset_blend",
    "preset",
    "proportions_problem",
    "resource_path",
    "save_picture",
    "synthetic_photo",
    "to_pil",
]
