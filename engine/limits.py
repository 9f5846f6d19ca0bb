"""What the engine accepts, in one place: pixel limits, proportions and file types.

No torch here: the command line reads these to build its help and check its arguments
before anything heavy is imported.
"""

from __future__ import annotations

import math

# Larger images are refused from their header, before decoding, as possible decompression bombs.
MAX_INPUT_PIXELS = 200_000_000
# The networks downsample twice by 2 and pad by reflection: below this a side has nothing to reflect.
MIN_SIDE = 16
# Long side over short side. Beyond it a picture is a strip: at stroke 1 a 250:1 photo becomes
# a 1024 x 4 working image, and the painting networks would have allocated gigabytes for it.
MAX_ASPECT_RATIO = 20

# An output is bounded like an input: enlarging a photo never makes more pixels than this (a
# larger photo, let in with a raised input limit, may still be rendered at its own size). The
# longest side follows: at the most extreme proportions taken, a longer side is over the limit.
MAX_OUTPUT_PIXELS = MAX_INPUT_PIXELS
MAX_OUTPUT_LONG_SIDE = math.isqrt(MAX_OUTPUT_PIXELS * MAX_ASPECT_RATIO)

# The style predictor was trained on 256 px paintings; it never sees more than this long side,
# so a panorama used as a painting costs no more than a square one.
PREDICTOR_SHORT_SIDE = 256
PREDICTOR_MAX_LONG_SIDE = 1024

# Output quality of the lossy formats (JPEG, WebP).
DEFAULT_JPEG_QUALITY = 92
OUTPUT_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".webp": "WEBP", ".tif": "TIFF", ".tiff": "TIFF"}
JPEG_QUALITY_RANGE = (1, 100)

# Formats Pillow registers for reading but cannot decode without extra software or that hold
# no raster picture (vector drawings, science data stubs, MPEG's identify-only reader).
_NOT_PICTURES = {".bufr", ".grib", ".h5", ".hdf", ".mpeg", ".mpg", ".eps", ".ps", ".emf", ".wmf", ".fit", ".fits"}


def pixels_problem(name: str, width: int, height: int, max_pixels: int = MAX_INPUT_PIXELS) -> str | None:
    """Why a picture (a still, a mask, a clip's frames) of ``width`` x ``height``, told by its
    header, is not decoded: the one guard against decompression bombs."""
    if width * height <= max_pixels:
        return None
    return (f"{name}: {width}x{height} is {width * height / 1e6:.0f} megapixels, over the limit of "
            f"{max_pixels / 1e6:.0f} MP (a safeguard against decompression bombs)")


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


def scaled_size(size: tuple[int, int], long_side: float) -> tuple[int, int]:
    """``size`` brought to ``long_side``, keeping its proportions."""
    width, height = size
    scale = long_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def output_size_problem(size: tuple[int, int], long_side: int | None) -> str | None:
    """Why a picture of ``size`` cannot be rendered at ``long_side`` (None: its own size), in words
    for the user, or None if it can."""
    if long_side is None:
        return None
    width, height = scaled_size(size, long_side)
    if min(width, height) < MIN_SIDE:
        return f"at {long_side} px on its long side it would be {width}x{height}; both sides need at least {MIN_SIDE} px"
    if width * height > max(MAX_OUTPUT_PIXELS, size[0] * size[1]):
        largest = math.isqrt(MAX_OUTPUT_PIXELS * max(size) // min(size))
        while math.prod(scaled_size(size, largest)) > MAX_OUTPUT_PIXELS:  # rounding may add a row
            largest -= 1
        return (f"at {long_side} px on its long side it would be {width}x{height}, {width * height / 1e6:.0f} "
                f"megapixels, over the limit of {MAX_OUTPUT_PIXELS / 1e6:.0f} MP; the largest size for it is {largest} px")
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

LEARNING_STEPS = 120  # a learned style's default length: about 3 minutes on a 2-core CPU
