"""Reading and writing pictures robustly.

Reading applies EXIF orientation, keeps alpha, handles palette, grey, CMYK and 16-bit files,
keeps the ICC profile, and refuses images over a pixel limit before decoding them.
Reading refuses, with a message naming the file, what is not a regular readable file (a
folder, a pipe, a device, no permission) before opening it, and image data that stops short.
Writing goes through ``atomic_write``: whole or not at all, never replacing a file unless asked.
"""

from __future__ import annotations

import errno
import math
import os
import stat
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..devices import default_cpu_threads
from ..errors import ImageReadError, ImageWriteError, PictureTooLargeError, describe_os_error
from ..limits import (
    DEFAULT_JPEG_QUALITY,
    JPEG_QUALITY_RANGE,
    MAX_INPUT_PIXELS,
    OUTPUT_FORMATS,
    pixels_problem,
    readable_suffixes,
)
from ..picture import Picture
from .atomic import atomic_write, check_can_create_files, is_temporary_name, name_too_long
from .png import write_png
from .tiff16 import write_tiff16

# We check the pixel count ourselves, from the header, before decoding (see ``load_picture``),
# with a limit the caller chooses; Pillow's own global limit would refuse a legitimate 200 MP scan.
Image.MAX_IMAGE_PIXELS = None

_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")
_NOT_REGULAR = "not a regular file (a pipe, socket or device)"

# Deflate never packs more than 1032 bytes into one (a 258-byte match in two bits). A PNG whose
# file is smaller than its pixels need at that ratio cannot hold them all: Pillow would pad the
# missing rows without a word (and a 14000 x 14000 header over one row costs gigabytes).
_DEFLATE_MAX_RATIO = 1032
# A region mask is read at most this long (it is stretched to the photo, and the networks see it
# at their working size, which is smaller at any stroke size but "native" on a huge photo).
MASK_MAX_LONG_SIDE = 4096
# The fewest bits a PNG can store a pixel of each Pillow mode in (grey may be 2-bit, palettes 1-bit).
_PNG_MIN_BITS = {"1": 1, "P": 1, "L": 2, "LA": 16, "I;16": 16, "I": 16, "RGB": 24, "RGBA": 32}


def load_picture(path: str | os.PathLike, max_pixels: int = MAX_INPUT_PIXELS) -> Picture:
    return _decoded(Path(path), max_pixels, _to_picture)


def load_mask(path: str | os.PathLike, max_pixels: int = MAX_INPUT_PIXELS,
              long_side: int = MASK_MAX_LONG_SIDE) -> tuple[np.ndarray, np.ndarray | None]:
    """A greyscale picture's brightness and alpha (None: opaque), float32 in [0, 1], shrunk to at
    most ``long_side`` as it is read: a mask is stretched to the photo anyway, and a 14000 px one
    made into floats at full size took 8.6 GB. Checked and refused as ``load_picture`` refuses."""
    return _decoded(Path(path), max_pixels, lambda image, _icc, _name: _mask_channels(image, long_side),
                    draft_long_side=long_side)


def _mask_channels(image: Image.Image, long_side: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Shrunk in the picture's own 8 or 32 bits (box filter) before anything is made of floats;
    grey of 16 bits and float grey read as ``load_picture`` reads them (0..65535, 0..1)."""
    factor = math.ceil(max(image.size) / long_side)
    top = 255.0
    if image.mode in _SIXTEEN_BIT_MODES:
        image, top = image.convert("I"), 65535.0  # the box filter takes 32-bit integers, not 16
    elif image.mode == "F":
        top = 1.0
    elif image.mode not in ("L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA" if "transparency" in image.info or "A" in image.getbands() else "RGB")
    if factor > 1:
        image = image.reduce(factor)
    alpha = None
    if "A" in image.getbands():
        alpha = np.asarray(image.getchannel("A"), dtype=np.float32) / np.float32(255)
    plane = image if image.mode in ("I", "F", "L") else image.convert("L")
    brightness = np.asarray(plane, dtype=np.float32) / np.float32(top)
    return np.clip(brightness, 0, 1), alpha


def _decoded(path: Path, max_pixels: int, finish, draft_long_side: int | None = None):
    """``finish(image, icc_profile, name)`` of the picture in ``path``, checked from its header
    before it is decoded: its pixel count, its size against the file's."""
    with _open_picture_file(path) as handle:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with Image.open(handle) as image:
                    width, height = image.size
                    too_large = pixels_problem(path.name, width, height, max_pixels)
                    if too_large is not None:
                        raise PictureTooLargeError(too_large)
                    if _too_little_data(image, os.fstat(handle.fileno()).st_size):
                        raise ImageReadError(f"{path.name}: the image is damaged or truncated (the file is too small "
                                             f"to hold {width}x{height} pixels)")
                    if draft_long_side is not None and image.format == "JPEG":  # decoded smaller: less memory
                        image.draft(image.mode, (draft_long_side, draft_long_side))
                    image.load()
                    icc = image.info.get("icc_profile")
                    return finish(ImageOps.exif_transpose(image), icc, path.name)
        except ImageReadError:
            raise
        except UnidentifiedImageError:
            kind = _signature_format(handle)
            if kind is not None:  # it starts like a picture, but no decoder could make sense of the rest
                raise ImageReadError(f"{path.name}: the image is damaged or truncated (a {kind} file that "
                                     "cannot be decoded)") from None
            raise ImageReadError(f"{path.name}: not an image file that Impasto can read") from None
        except MemoryError:
            raise ImageReadError(f"{path.name}: not enough memory to open this picture") from None
        except Exception as exc:  # noqa: BLE001 - a damaged file can make a decoder raise almost anything
            raise ImageReadError(f"{path.name}: the image is damaged or truncated ({exc})") from None


def _open_picture_file(path: Path) -> BinaryIO:
    """The file, open for reading, or an ``ImageReadError`` saying why it cannot be: missing,
    a folder, a pipe or a device (never opened: a pipe would block), empty, no permission."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise ImageReadError(_unreachable(path, exc)) from None
    if stat.S_ISDIR(mode):
        raise ImageReadError(f"{path}: is a folder, not an image")
    if not stat.S_ISREG(mode):
        raise ImageReadError(f"{path.name}: {_NOT_REGULAR}")
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as exc:
        raise ImageReadError(f"{path.name}: cannot be read ({describe_os_error(exc)})") from None
    handle = os.fdopen(descriptor, "rb")
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode) or info.st_size == 0:  # replaced since the check above, or empty
        handle.close()
        raise ImageReadError(f"{path.name}: " + (_NOT_REGULAR if not stat.S_ISREG(info.st_mode) else "the file is empty"))
    return handle


def _unreachable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ENOENT:
        return f"{path}: " + ("a link to a file that does not exist" if os.path.islink(path) else "no such file")
    return f"{path}: cannot be read ({describe_os_error(exc)})"


def _save_with_pillow(image: Image.Image, out: BinaryIO, fmt: str, quality: int, icc_profile: bytes | None) -> None:
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        image = image.convert("RGB")  # JPEG has no alpha
        options.update(quality=quality, subsampling=0 if quality >= 90 else 2)
    elif fmt == "WEBP":
        options.update(quality=quality)
    elif fmt == "TIFF":
        options.update(compression="tiff_deflate")
    image.save(out, fmt, **options)


def _signature_format(handle: BinaryIO) -> str | None:
    """The picture type whose signature the file starts with, by Pillow's own checks."""
    handle.seek(0)
    prefix = handle.read(16)  # what Pillow looks at
    for kind, (_open, accept) in Image.OPEN.items():
        try:
            if accept is not None and accept(prefix):
                return kind
        except Exception:  # noqa: BLE001, S112 - a check that cannot read a short prefix says no
            continue
    return None


def _too_little_data(image: Image.Image, file_size: int) -> bool:
    if image.format != "PNG":
        return False
    width, height = image.size
    smallest_data = height * (1 + (width * _PNG_MIN_BITS.get(image.mode, 1) + 7) // 8)
    return file_size * _DEFLATE_MAX_RATIO < smallest_data


@dataclass(frozen=True)
class SkippedInput:
    """An entry of a folder that a batch leaves out, and why, in words for the user."""

    path: Path
    reason: str


def expand_inputs(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[SkippedInput]]:
    """The pictures to process: files named directly (reading them reports their problems),
    and in each folder named, its pictures by name, not searching sub-folders. Every entry of
    a folder that is left out comes back with its reason, so a batch can say what it skipped."""
    suffixes = readable_suffixes()
    files: list[Path] = []
    skipped: list[SkippedInput] = []
    for path in map(Path, paths):
        if not os.path.isdir(path):  # a file, or a path that cannot be looked at: reading it will say why
            files.append(path)
            continue
        try:
            entries = sorted(path.iterdir())
        except OSError as exc:
            skipped.append(SkippedInput(path, f"the folder cannot be read ({describe_os_error(exc)})"))
            continue
        for entry in entries:
            reason = _not_a_picture_file(entry, suffixes)
            if reason is None:
                files.append(entry)
            else:
                skipped.append(SkippedInput(entry, reason))
    return files, skipped


def _not_a_picture_file(entry: Path, suffixes: frozenset[str]) -> str | None:
    try:
        mode = entry.stat().st_mode  # follows links: a link to a picture is a picture
    except OSError as exc:
        return "a broken or looping link" if entry.is_symlink() else describe_os_error(exc)
    if stat.S_ISDIR(mode):
        return "a folder (folders inside folders are not searched)"
    if not stat.S_ISREG(mode):
        return _NOT_REGULAR
    if is_temporary_name(entry.name):
        return "an unfinished save of Impasto's (an interrupted save leaves these; delete it when no save is running)"
    if entry.suffix.lower() not in suffixes:
        return "not a picture type Impasto reads" + (f" ({entry.suffix})" if entry.suffix else " (no file type)")
    return None


def picture_from_pil(image: Image.Image, name: str = "image") -> Picture:
    return _to_picture(ImageOps.exif_transpose(image), image.info.get("icc_profile"), name)


def _to_picture(image: Image.Image, icc: bytes | None, name: str) -> Picture:
    mode = image.mode
    if mode == "CMYK":
        icc = None  # a CMYK profile does not describe the RGB pixels we make from it
    if mode in _SIXTEEN_BIT_MODES or mode == "F":
        grey = np.asarray(image, dtype=np.float64)
        top = 1.0 if mode == "F" else 65535.0
        grey16 = (np.clip(grey / top, 0, 1) * 65535 + 0.5).astype(np.uint16)
        return Picture(np.repeat(grey16[:, :, None], 3, axis=2), None, icc, name)
    has_alpha = mode in ("RGBA", "LA", "PA", "La", "RGBa") or (mode == "P" and "transparency" in image.info)
    if has_alpha:
        rgba = np.asarray(image.convert("RGBA"))
        return Picture(np.ascontiguousarray(rgba[:, :, :3]), np.ascontiguousarray(rgba[:, :, 3]), icc, name)
    return Picture(np.asarray(image.convert("RGB")).copy(), None, icc, name)


def to_pil(picture: Picture) -> Image.Image:
    """An 8-bit PIL image of the picture (RGBA if it has alpha)."""
    pixels = eight_bit_pixels(picture)
    return Image.fromarray(pixels, "RGBA" if pixels.shape[2] == 4 else "RGB")


def eight_bit_pixels(picture: Picture) -> np.ndarray:
    """The picture as an 8-bit file stores it: H x W x 3, or x 4 with alpha (no copy when it is
    8-bit RGB already)."""
    pixels = picture.pixels if picture.pixels.dtype == np.uint8 else (picture.pixels >> 8).astype(np.uint8)
    if picture.alpha is None:
        return pixels
    alpha = picture.alpha if picture.alpha.dtype == np.uint8 else (picture.alpha >> 8).astype(np.uint8)
    return np.dstack([pixels, alpha])


def output_format(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ImageWriteError(f"{Path(path).name}: unsupported output type {suffix or '(none)'}; "
                              f"use {', '.join(sorted(OUTPUT_FORMATS))}")
    return OUTPUT_FORMATS[suffix]


def output_problem(path: str | os.PathLike) -> str | None:
    """Why a picture cannot be saved as ``path``, checked before rendering it, in words for the
    user; None if nothing stands in the way. Whether it exists already is the caller's question."""
    return output_name_problem(path) or folder_problem(Path(path).parent)


def output_name_problem(path: str | os.PathLike) -> str | None:
    """``output_problem`` without trying its folder (a batch tries each folder once)."""
    path = Path(path)
    try:
        output_format(path)
    except ImageWriteError as exc:
        return str(exc)
    if os.path.isdir(path):
        return f"{path} is a folder; name a file in it"
    longest = name_too_long(path)
    if longest is not None:
        return f"{path.name}: the name is longer than the file system allows ({longest} bytes)"
    return None


def folder_problem(folder: str | os.PathLike) -> str | None:
    """Why nothing can be saved into ``folder``, or None. Creates and removes one temporary file."""
    folder = Path(folder)
    if not os.path.isdir(folder):
        return f"{folder}: " + ("not a folder" if os.path.lexists(folder) else "no such folder")
    try:
        check_can_create_files(folder)
    except OSError as exc:  # /proc, say, answers "no such file" to a new name
        reason = "it takes no new files" if exc.errno == errno.ENOENT else describe_os_error(exc)
        return f"{folder}: cannot save into this folder ({reason})"
    return None


def save_picture(
    picture: Picture,
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    quality: int = DEFAULT_JPEG_QUALITY,
    sixteen_bit: bool = False,
) -> Path:
    """Write atomically (see ``engine.atomic``). ``sixteen_bit`` applies to TIFF only (other
    formats are written 8-bit); ``quality`` to JPEG and WebP."""
    path = Path(path)
    fmt = output_format(path)
    low, high = JPEG_QUALITY_RANGE
    if not low <= quality <= high:
        raise ImageWriteError(f"{path.name}: quality runs from {low} to {high}, got {quality}")
    if not os.path.isdir(path.parent):
        raise ImageWriteError(f"{path.parent}: no such folder")
    try:
        with atomic_write(path, overwrite=overwrite) as out:
            if sixteen_bit and fmt == "TIFF":
                write_tiff16(out, picture)
            elif fmt == "PNG":
                write_png(out, eight_bit_pixels(picture), picture.icc_profile, threads=default_cpu_threads())
            else:
                _save_with_pillow(to_pil(picture), out, fmt, quality, picture.icc_profile)
    except FileExistsError:
        raise ImageWriteError(f"{path} already exists; choose another name or allow overwriting") from None
    except OSError as exc:
        raise ImageWriteError(f"could not write {path}: {describe_os_error(exc)}") from None
    except ValueError as exc:  # an encoder refusing its options
        raise ImageWriteError(f"could not write {path}: {exc}") from None
    return path
