"""Impasto's style-transfer engine: torch only, no Qt.

    from engine import Engine, RenderRequest, load_picture, preset
    result = Engine().render(RenderRequest(load_picture("photo.jpg"), preset(7)))

The names below are the engine's public face: the desktop app imports nothing else (an import
contract in ``pyproject.toml`` checks it). Each is imported when first used, so that a program
that needs only the light parts (``impasto --help``, the limits) does not pay for torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_MODULE_OF = {name: module for module, names in {
    "io.atomic": ("atomic_write", "is_temporary_name"),
    "caching": ("LruCache",),
    "commands.synthetic": ("synthetic_photo",),
    "engine": ("Engine",),
    "errors": ("Cancelled", "DeviceUnavailableError", "ImageReadError", "ImageWriteError", "ImpastoError", "InvalidRequestError", "ModelFileError", "OutOfMemoryError", "PictureTooLargeError", "VideoReadError", "VideoWriteError"),
    "io.imageio": ("SkippedInput", "eight_bit_pixels", "expand_inputs", "folder_problem", "load_picture", "output_problem", "save_picture", "to_pil"),
    "layered": ("LayeredResult", "render_layers"),
    "limits": ("MAX_ASPECT_RATIO", "MAX_INPUT_PIXELS", "MAX_OUTPUT_LONG_SIDE", "MIN_SIDE", "OUTPUT_FORMATS", "VIDEO_OUTPUT_SUFFIXES", "VIDEO_SUFFIXES", "output_size_problem", "proportions_problem"),
    "memory": ("keep_freed_memory",),
    "networks": ("PRESET_COUNT",),
    "networks.preset_names": ("PRESET_NAMES",),
    "io.openraster": ("write_openraster",),
    "picture": ("Picture",),
    "progress": ("CancelToken",),
    "regions": ("PHOTO", "StyleRegion", "default_region_strength", "mask_from_picture"),
    "rendering.resizing": ("resized",),
    "request": ("RenderRequest", "RenderResult"),
    "resources": ("resource_path",),
    "settings": ("COLOURS", "DEFAULT_ENGINE_SETTINGS", "DEFAULT_RENDER_SETTINGS", "DEFAULT_VIDEO_SETTINGS", "EngineSettings", "REFERENCE_LONG_SIDE", "RenderSettings", "STROKE_RANGE", "TEMPORAL_MODES", "VideoSettings"),
    "styles": ("PaintingBlend", "PresetBlend", "painting", "parse_preset_blend", "preset"),
    "video": ("ClipInfo", "ClipResult", "ClipTarget", "ShotSearch", "first_frame", "frame_at", "is_clip_file", "open_clip", "stylise_clip"),
}.items() for name in names}

__all__ = sorted(_MODULE_OF)  # noqa: PLE0605 - the names live once, in the table above


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next use is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # the names as a type checker sees them
    from .caching import (
        LruCache as LruCache,
    )
    from .commands.synthetic import (
        synthetic_photo as synthetic_photo,
    )
    from .engine import (
        Engine as Engine,
    )
    from .errors import (
        Cancelled as Cancelled,
    )
    from .errors import (
        DeviceUnavailableError as DeviceUnavailableError,
    )
    from .errors import (
        ImageReadError as ImageReadError,
    )
    from .errors import (
        ImageWriteError as ImageWriteError,
    )
    from .errors import (
        ImpastoError as ImpastoError,
    )
    from .errors import (
        InvalidRequestError as InvalidRequestError,
    )
    from .errors import (
        ModelFileError as ModelFileError,
    )
    from .errors import (
        OutOfMemoryError as OutOfMemoryError,
    )
    from .errors import (
        PictureTooLargeError as PictureTooLargeError,
    )
    from .errors import (
        VideoReadError as VideoReadError,
    )
    from .errors import (
        VideoWriteError as VideoWriteError,
    )
    from .io.atomic import (
        atomic_write as atomic_write,
    )
    from .io.atomic import (
        is_temporary_name as is_temporary_name,
    )
    from .io.imageio import (
        SkippedInput as SkippedInput,
    )
    from .io.imageio import (
        eight_bit_pixels as eight_bit_pixels,
    )
    from .io.imageio import (
        expand_inputs as expand_inputs,
    )
    from .io.imageio import (
        folder_problem as folder_problem,
    )
    from .io.imageio import (
        load_picture as load_picture,
    )
    from .io.imageio import (
        output_problem as output_problem,
    )
    from .io.imageio import (
        save_picture as save_picture,
    )
    from .io.imageio import (
        to_pil as to_pil,
    )
    from .io.openraster import (
        write_openraster as write_openraster,
    )
    from .layered import (
        LayeredResult as LayeredResult,
    )
    from .layered import (
        render_layers as render_layers,
    )
    from .limits import (
        MAX_ASPECT_RATIO as MAX_ASPECT_RATIO,
    )
    from .limits import (
        MAX_INPUT_PIXELS as MAX_INPUT_PIXELS,
    )
    from .limits import (
        MAX_OUTPUT_LONG_SIDE as MAX_OUTPUT_LONG_SIDE,
    )
    from .limits import (
        MIN_SIDE as MIN_SIDE,
    )
    from .limits import (
        OUTPUT_FORMATS as OUTPUT_FORMATS,
    )
    from .limits import (
        VIDEO_OUTPUT_SUFFIXES as VIDEO_OUTPUT_SUFFIXES,
    )
    from .limits import (
        VIDEO_SUFFIXES as VIDEO_SUFFIXES,
    )
    from .limits import (
        output_size_problem as output_size_problem,
    )
    from .limits import (
        proportions_problem as proportions_problem,
    )
    from .memory import (
        keep_freed_memory as keep_freed_memory,
    )
    from .networks import (
        PRESET_COUNT as PRESET_COUNT,
    )
    from .networks.preset_names import (
        PRESET_NAMES as PRESET_NAMES,
    )
    from .picture import (
        Picture as Picture,
    )
    from .progress import (
        CancelToken as CancelToken,
    )
    from .regions import (
        PHOTO as PHOTO,
    )
    from .regions import (
        StyleRegion as StyleRegion,
    )
    from .regions import (
        default_region_strength as default_region_strength,
    )
    from .regions import (
        mask_from_picture as mask_from_picture,
    )
    from .rendering.resizing import (
        resized as resized,
    )
    from .request import (
        RenderRequest as RenderRequest,
    )
    from .request import (
        RenderResult as RenderResult,
    )
    from .resources import (
        resource_path as resource_path,
    )
    from .settings import (
        COLOURS as COLOURS,
    )
    from .settings import (
        DEFAULT_ENGINE_SETTINGS as DEFAULT_ENGINE_SETTINGS,
    )
    from .settings import (
        DEFAULT_RENDER_SETTINGS as DEFAULT_RENDER_SETTINGS,
    )
    from .settings import (
        DEFAULT_VIDEO_SETTINGS as DEFAULT_VIDEO_SETTINGS,
    )
    from .settings import (
        REFERENCE_LONG_SIDE as REFERENCE_LONG_SIDE,
    )
    from .settings import (
        STROKE_RANGE as STROKE_RANGE,
    )
    from .settings import (
        TEMPORAL_MODES as TEMPORAL_MODES,
    )
    from .settings import (
        EngineSettings as EngineSettings,
    )
    from .settings import (
        RenderSettings as RenderSettings,
    )
    from .settings import (
        VideoSettings as VideoSettings,
    )
    from .styles import (
        PaintingBlend as PaintingBlend,
    )
    from .styles import (
        PresetBlend as PresetBlend,
    )
    from .styles import (
        painting as painting,
    )
    from .styles import (
        parse_preset_blend as parse_preset_blend,
    )
    from .styles import (
        preset as preset,
    )
    from .video import (
        ClipInfo as ClipInfo,
    )
    from .video import (
        ClipResult as ClipResult,
    )
    from .video import (
        ClipTarget as ClipTarget,
    )
    from .video import (
        ShotSearch as ShotSearch,
    )
    from .video import (
        first_frame as first_frame,
    )
    from .video import (
        frame_at as frame_at,
    )
    from .video import (
        is_clip_file as is_clip_file,
    )
    from .video import (
        open_clip as open_clip,
    )
    from .video import (
        stylise_clip as stylise_clip,
    )
