"""What the engine accepts, in one place: pixel limits, proportions and file types.

No torch here: the command line reads these to build its help and check its arguments
before anything heavy is imported.
"""

from __future__ import annotations

# Larger images are refused from their header, before decoding, as possible decompression bombs.
MAX_INPUT_PIXELS = 200_000_000
# The networks downsample twice by 2 and pad by reflection: below this a side has nothing to reflect.
MIN_SIDE = 16
# Long side over short side. Beyond it a picture is a strip: at stroke 1 a 250:1 photo becomes
# a 1024 x 4 working image, and the painting networks would have allocated gigabytes for it.
MAX_ASPECT_RATIO = 20

# The style predictor was trained on 256 px paintings; it never sees more than this long side,
# so a panorama used as a painting costs no more than a square one.
PREDICTOR_SHORT_SIDE = 256
PREDICTOR_MAX_LONG_SIDE = 1024

OUTPUT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".tif": "TIFF", ".tiff": "TIFF"}
JPEG_QUALITY_RANGE = (1, 100)

# Formats Pillow registers for reading but cannot decode without extra software or that hold
# no raster picture (vector drawings, science data stubs, MPEG's identify-only reader).
_NOT_PICTURES = {".bufr", ".grib", ".h5", ".hdf", ".mpeg", ".mpg", ".eps", ".ps", ".emf", ".wmf", ".fit", ".fits"}


def readable_suffixes() -> frozenset[str]:
    """File name endings a folder batch takes as pictures: whatever the installed Pillow can open."""
    from PIL import Image

    Image.init()
    return frozenset(e for e, fmt in Image.registered_extensions().items() if fmt in Image.OPEN) - _NOT_PICTURES


def proportions_problem(width: int, height: int) -> str | None:
    """Why a picture of this size cannot be rendered, in words for the user, or None if it can."""
    if min(width, height) < MIN_SIDE:
        return f"{width}x{height} is too small; both sides need at least {MIN_SIDE} px"
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        ratio = max(width, height) / min(width, height)
        return (f"{width}x{height} is a strip ({ratio:.0f}:1); Impasto takes pictures up to "
                f"{MAX_ASPECT_RATIO}:1 — crop it first")
    return None

# Video. A clip longer than this is refused before any work unless the caller says it is meant:
# at 3 frames/s (a 2-core CPU at 640 px) 30 minutes of 30 fps video takes 5 hours.
MAX_CLIP_SECONDS = 30 * 60
MAX_CLIP_FRAMES = MAX_CLIP_SECONDS * 30
# Read as clips through PyAV (animated WebP through Pillow; a still GIF or WebP stays a picture).
VIDEO_SUFFIXES = frozenset({".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".gif", ".webp", ".mpg", ".mpeg",
                            ".ts", ".mts", ".m2ts", ".wmv", ".flv", ".3gp", ".ogv"})
# Written clips: the container of each output suffix (the codec is chosen in engine/video/codecs.py).
VIDEO_OUTPUT_SUFFIXES = {".mp4": "mp4", ".mov": "mov", ".mkv": "matroska", ".webm": "webm"}
# Frames of a sequence written as files; a sequence read as input may be any picture type.
FRAME_OUTPUT_SUFFIXES = (".png", ".tif", ".tiff")
