"""The engine's public names: the one list of them. ``engine/__init__.py`` reads this file to
load each name when it is first used; type checkers read it as the package's interface."""

from .caching import LruCache as LruCache
from .commands.synthetic import synthetic_photo as synthetic_photo
from .engine import Engine as Engine
from .errors import (
    Cancelled as Cancelled,
    DeviceUnavailableError as DeviceUnavailableError,
    ImageReadError as ImageReadError,
    ImageWriteError as ImageWriteError,
    ImpastoError as ImpastoError,
    InvalidRequestError as InvalidRequestError,
    ModelFileError as ModelFileError,
    OutOfMemoryError as OutOfMemoryError,
    PictureTooLargeError as PictureTooLargeError,
    VideoReadError as VideoReadError,
    VideoWriteError as VideoWriteError,
)
from .io.atomic import atomic_write as atomic_write, is_temporary_name as is_temporary_name
from .io.imageio import (
    SkippedInput as SkippedInput,
    eight_bit_pixels as eight_bit_pixels,
    expand_inputs as expand_inputs,
    folder_problem as folder_problem,
    load_picture as load_picture,
    output_problem as output_problem,
    save_picture as save_picture,
    to_pil as to_pil,
)
from .io.openraster import write_openraster as write_openraster
from .layered import render_layers as render_layers
from .learned_style import (
    LEARNED_STYLE_SUFFIX as LEARNED_STYLE_SUFFIX,
    LearnedStyle as LearnedStyle,
    LearnedStyleError as LearnedStyleError,
    read_learned as read_learned,
    save_learned as save_learned,
)
from .learning import learn_style as learn_style
from .limits import (
    LEARNING_STEPS as LEARNING_STEPS,
    MAX_ASPECT_RATIO as MAX_ASPECT_RATIO,
    MAX_INPUT_PIXELS as MAX_INPUT_PIXELS,
    MAX_OUTPUT_LONG_SIDE as MAX_OUTPUT_LONG_SIDE,
    MIN_SIDE as MIN_SIDE,
    OUTPUT_FORMATS as OUTPUT_FORMATS,
    VIDEO_OUTPUT_SUFFIXES as VIDEO_OUTPUT_SUFFIXES,
    VIDEO_SUFFIXES as VIDEO_SUFFIXES,
    output_size_problem as output_size_problem,
    proportions_problem as proportions_problem,
)
from .memory import keep_freed_memory as keep_freed_memory
from .networks import PRESET_COUNT as PRESET_COUNT
from .networks.preset_names import PRESET_NAMES as PRESET_NAMES
from .picture import Picture as Picture
from .planning import output_size as output_size
from .progress import CancelToken as CancelToken
from .regions import (
    PHOTO as PHOTO,
    RegionStyle as RegionStyle,
    StyleRegion as StyleRegion,
    default_region_strength as default_region_strength,
    mask_from_picture as mask_from_picture,
)
from .rendering.resizing import resized as resized
from .request import LayeredResult as LayeredResult, RenderRequest as RenderRequest, RenderResult as RenderResult
from .resources import resource_path as resource_path
from .settings import (
    COLOURS as COLOURS,
    DEFAULT_ENGINE_SETTINGS as DEFAULT_ENGINE_SETTINGS,
    DEFAULT_RENDER_SETTINGS as DEFAULT_RENDER_SETTINGS,
    DEFAULT_VIDEO_SETTINGS as DEFAULT_VIDEO_SETTINGS,
    REFERENCE_LONG_SIDE as REFERENCE_LONG_SIDE,
    STROKE_RANGE as STROKE_RANGE,
    TEMPORAL_MODES as TEMPORAL_MODES,
    EngineSettings as EngineSettings,
    RenderSettings as RenderSettings,
    VideoSettings as VideoSettings,
)
from .styles import (
    PaintingBlend as PaintingBlend,
    PresetBlend as PresetBlend,
    painting as painting,
    parse_preset_blend as parse_preset_blend,
    preset as preset,
)
from .video import (
    ClipInfo as ClipInfo,
    ClipResult as ClipResult,
    ClipTarget as ClipTarget,
    ShotSearch as ShotSearch,
    first_frame as first_frame,
    frame_at as frame_at,
    is_clip_file as is_clip_file,
    open_clip as open_clip,
    stylise_clip as stylise_clip,
)

__version__: str
