"""The studio: the widget-free model of the desktop app (Qt's core and GUI classes, never its
widgets). The window and the app's start-up use the names below and nothing deeper (an import
contract in ``pyproject.toml`` checks it)."""

from .clip_media import ClipView
from .core import Message, StudioCore
from .frames import DetailFrame, PhotoView, PreviewFrame
from .library import StyleLibrary
from .parts.region_editor import RegionTool
from .paths import AppPaths
from .qt_images import picture_to_qimage, qimage_to_picture
from .region_masks import BRUSH_SIZE_RANGE, Brush, Regions
from .session_file import FILTER as SESSION_FILTER, SUFFIX as SESSION_SUFFIX
from .settings import AppSettings, load_settings, save_settings
from .state import StudioState
from .studio import Studio
from .style_keys import PHOTO_STYLE, StyleKey
from .thumbnails import THUMB_SIZE

__all__ = [
           "BRUSH_SIZE_RANGE",
           "PHOTO_STYLE",
           "SESSION_FILTER",
           "SESSION_SUFFIX",
           "THUMB_SIZE",
           "AppPaths",
           "AppSettings",
           "Brush",
           "ClipView",
           "DetailFrame",
           "Message",
           "PhotoView",
           "PreviewFrame",
           "RegionTool",
           "Regions",
           "Studio",
           "StudioCore",
           "StudioState",
           "StyleKey",
           "StyleLibrary",
           "load_settings",
           "picture_to_qimage",
           "qimage_to_picture",
           "save_settings",
]
