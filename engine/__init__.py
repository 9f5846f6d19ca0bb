"""Impasto's style-transfer engine: torch only, no Qt.

    from engine import Engine, RenderRequest, load_picture, preset
    result = Engine().render(RenderRequest(load_picture("photo.jpg"), preset(7)))
"""

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
)
from .imageio import load_picture, save_picture
from .picture import Picture
from .progress import CancelToken
from .request import RenderRequest, RenderResult
from .settings import DEFAULT_ENGINE_SETTINGS, DEFAULT_RENDER_SETTINGS, EngineSettings, RenderSettings
from .styles import PaintingBlend, PresetBlend, painting, parse_preset_blend, preset

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_ENGINE_SETTINGS",
    "DEFAULT_RENDER_SETTINGS",
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
    "PresetBlend",
    "RenderRequest",
    "RenderResult",
    "RenderSettings",
    "load_picture",
    "painting",
    "parse_preset_blend",
    "preset",
    "save_picture",
]
