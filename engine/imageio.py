"""Reading and writing pictures robustly.

Reading applies EXIF orientation, keeps alpha, handles palette, grey, CMYK and 16-bit files,
keeps the ICC profile, and refuses images over a pixel limit before decoding them.
Writing is atomic (a temporary file in the same folder, then a rename) and never replaces an
existing file unless asked.
"""

from __future__ import annotations

import os
import stat
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import ImageReadError, ImageWriteError
from .limits import MAX_INPUT_PIXELS, OUTPUT_FORMATS, readable_suffixes
from .picture import Picture

# We check the pixel count ourselves, from the header, before decoding (see ``load_picture``),
# with a limit the caller chooses; Pillow's own global limit would refuse a legitimate 200 MP scan.
Image.MAX_IMAGE_PIXELS = None

_SIXTEEN_BIT_MODES = ("I;16", "I;16B", "I;16L", "I;16N", "I")


def load_picture(path: str | os.PathLike, max_pixels: int = MAX_INPUT_PIXELS) -> Picture:
    path = Path(path)
    if not path.exists():
        raise ImageReadError(f"{path}: no such file")
    if path.is_dir():
        raise ImageReadError(f"{path}: is a folder, not an image")
    if path.stat().st_size == 0:
        raise ImageReadError(f"{path}: the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ImageReadError(
                        f"{path.name}: {width}x{height} is {width * height / 1e6:.0f} megapixels, over the limit of "
                        f"{max_pixels / 1e6:.0f} MP (a safeguard against decompression bombs; raise it in the settings)"
                    )
                image.load()
                icc = image.info.get("icc_profile")
                image = ImageOps.exif_transpose(image)
                return _to_picture(image, icc, path.name)
    except ImageReadError:
        raise
    except UnidentifiedImageError:
        raise ImageReadError(f"{path.name}: not an image file that Impasto can read") from None
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ImageReadError(f"{path.name}: the image is damaged or truncated ({exc})") from None


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
        try:
            is_folder = path.is_dir()
        except OSError as exc:  # a name longer than the file system allows, say
            skipped.append(SkippedInput(path, _os_reason(exc)))
            continue
        if not is_folder:
            files.append(path)
            continue
        try:
            entries = sorted(path.iterdir())
        except OSError as exc:
            skipped.append(SkippedInput(path, f"the folder cannot be read ({_os_reason(exc)})"))
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
        return "a broken or looping link" if entry.is_symlink() else _os_reason(exc)
    if stat.S_ISDIR(mode):
        return "a folder (folders inside folders are not searched)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device)"
    if entry.suffix.lower() not in suffixes:
        return "not a picture type Impasto reads" + (f" ({entry.suffix})" if entry.suffix else " (no file type)")
    return None


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


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
    pixels = picture.pixels if picture.pixels.dtype == np.uint8 else (picture.pixels >> 8).astype(np.uint8)
    if picture.alpha is None:
        return Image.fromarray(pixels, "RGB")
    alpha = picture.alpha if picture.alpha.dtype == np.uint8 else (picture.alpha >> 8).astype(np.uint8)
    return Image.fromarray(np.dstack([pixels, alpha]), "RGBA")


def output_format(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_FORMATS:
        raise ImageWriteError(f"{Path(path).name}: unsupported output type {suffix!r}; use .png, .jpg, .webp or .tif")
    return OUTPUT_FORMATS[suffix]


def save_picture(
    picture: Picture,
    path: str | os.PathLike,
    *,
    overwrite: bool = False,
    quality: int = 92,
    sixteen_bit: bool = False,
) -> Path:
    """Write atomically. ``sixteen_bit`` applies to TIFF only (other formats are written 8-bit)."""
    path = Path(path)
    fmt = output_format(path)
    if path.exists() and not overwrite:
        raise ImageWriteError(f"{path} already exists; choose another name or allow overwriting")
    if not path.parent.is_dir():
        raise ImageWriteError(f"{path.parent}: no such folder")
    image = to_pil(picture)
    options: dict = {}
    if picture.icc_profile:
        options["icc_profile"] = picture.icc_profile
    if fmt == "JPEG":
        image = image.convert("RGB")  # JPEG has no alpha
        options.update(quality=quality, subsampling=0 if quality >= 90 else 2)
    elif fmt == "WEBP":
        options.update(quality=quality)
    elif fmt == "TIFF":
        options.update(compression="tiff_deflate")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix + ".part", dir=path.parent)
    os.close(handle)
    try:
        if sixteen_bit and fmt == "TIFF":
            _write_tiff16(picture, temp_name)
        else:
            image.save(temp_name, fmt, **options)
        if not overwrite and path.exists():
            raise ImageWriteError(f"{path} appeared while saving; nothing was overwritten")
        os.replace(temp_name, path)
    except ImageWriteError:
        os.unlink(temp_name)
        raise
    except (OSError, ValueError) as exc:
        os.unlink(temp_name)
        raise ImageWriteError(f"could not write {path}: {exc}") from None
    return path


def _write_tiff16(picture: Picture, target: str) -> None:
    """An uncompressed 16-bit RGB(A) baseline TIFF, written by hand: Pillow has no 16-bit RGB mode."""
    import struct

    def widen(plane: np.ndarray) -> np.ndarray:
        return plane.astype(np.uint16) * (257 if plane.dtype == np.uint8 else 1)

    planes = [widen(picture.pixels)]
    if picture.alpha is not None:
        planes.append(widen(picture.alpha)[:, :, None])
    body = np.ascontiguousarray(np.concatenate(planes, axis=2).astype("<u2")).tobytes()
    samples = 3 + (picture.alpha is not None)
    extra = b""  # out-of-line values, placed right after the directory

    entries = [  # (tag, type, count, value or bytes); type 3 = SHORT, 4 = LONG, 7 = UNDEFINED
        (256, 4, 1, picture.width), (257, 4, 1, picture.height), (258, 3, samples, struct.pack(f"<{samples}H", *[16] * samples)),
        (259, 3, 1, 1), (262, 3, 1, 2), (273, 4, 1, None), (277, 3, 1, samples), (278, 4, 1, picture.height),
        (279, 4, 1, len(body)), (284, 3, 1, 1),
    ]
    if samples == 4:
        entries.append((338, 3, 1, 2))  # unassociated alpha
    if picture.icc_profile:
        entries.append((34675, 7, len(picture.icc_profile), picture.icc_profile))
    directory_size = 2 + 12 * len(entries) + 4
    extra_offset = 8 + directory_size
    packed = []
    for tag, kind, count, value in entries:
        if isinstance(value, bytes) and len(value) > 4:
            packed.append(struct.pack("<HHII", tag, kind, count, extra_offset + len(extra)))
            extra += value + b"\0" * (len(value) % 2)
        elif isinstance(value, bytes):
            packed.append(struct.pack("<HHI", tag, kind, count) + value.ljust(4, b"\0"))
        else:
            packed.append((tag, kind, count))
    strip_offset = extra_offset + len(extra)
    with open(target, "wb") as out:
        out.write(b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", len(entries)))
        for item, (tag, kind, count, value) in zip(packed, entries):
            if isinstance(item, bytes):
                out.write(item)
            else:
                value = strip_offset if tag == 273 else value
                out.write(struct.pack("<HHI", tag, kind, count) + struct.pack("<I" if kind == 4 else "<HH", *(
                    (value,) if kind == 4 else (value, 0))))
        out.write(struct.pack("<I", 0))
        out.write(extra)
        out.write(body)
