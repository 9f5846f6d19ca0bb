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

# Output quality of the lossy formats (JPEG, WebP).
DEFAULT_JPEG_QUALITY = 92
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
