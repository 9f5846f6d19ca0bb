"""A corpus of hostile and odd inputs, built at test time in a temporary folder (nothing large is
committed): pictures of every kind Pillow writes, damaged and lying files, odd names, links,
pipes and folders where pictures are expected.

Each entry says what the command line must make of it: ``refused`` is a piece of the one error
line that reading it gives (None: it renders), ``skipped`` a piece of the line a folder batch
gives when it leaves it out (None: the batch reads it), ``batch_error`` a piece of the error a
batch gives though the file reads (its output name cannot be made).
"""

from __future__ import annotations

import io
import os
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

NOT_A_PICTURE_TYPE = "not a picture type"
DAMAGED = "damaged or truncated"
NOT_AN_IMAGE = "not an image file"
NOT_REGULAR = "not a regular file"
TOO_SMALL = "too small"
STRIP = "is a strip"
BROKEN_LINK = "a broken or looping link"
# The output of a 228-character name is 240 characters: legal, and too long for the old
# ".<name>.XXXXXXXX.part" temporary name.
LONG_STEM = "l" * 228
TOO_LONG_STEM = "t" * 250  # reads, but its output name would pass 255 bytes


@dataclass(frozen=True)
class Entry:
    name: str
    make: Callable[[Path], None]
    refused: str | None = None
    skipped: str | None = None
    batch_error: str | None = None


def base_image(width: int = 64, height: int = 48) -> Image.Image:
    rng = np.random.default_rng(width * 1000 + height)
    coarse = rng.integers(0, 256, (6, 8, 3), dtype=np.uint8)
    return Image.fromarray(coarse).resize((width, height), Image.Resampling.BICUBIC)


def saved(image_or_mode: str | Image.Image = "RGB", fmt: str | None = None, size=(64, 48), **options):
    def make(path: Path) -> None:
        image = image_or_mode if isinstance(image_or_mode, Image.Image) else base_image(*size).convert(image_or_mode)
        image.save(path, fmt, **options)
    return make


def raw(data: bytes):
    return lambda path: path.write_bytes(data)


def encoded(fmt: str, size=(64, 48), **options) -> bytes:
    out = io.BytesIO()
    base_image(*size).save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes, crc: int | None = None) -> bytes:
    crc = zlib.crc32(kind + data) if crc is None else crc
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc & 0xFFFFFFFF)


def png_claiming(width: int, height: int, rows: int = 1, crc: int | None = None) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but whose data holds ``rows`` rows."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = zlib.compress((b"\0" + b"\x80" * (width * 3)) * rows)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header, crc) + png_chunk(b"IDAT", data)
            + png_chunk(b"IEND", b""))


def truncated(fmt: str, **options) -> bytes:
    data = encoded(fmt, size=(160, 120), **options)
    return data[: len(data) // 2]


def animated_gif(path: Path) -> None:
    frames = [base_image(), base_image().transpose(Image.FLIP_LEFT_RIGHT)]
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)


def with_transparency(path: Path) -> None:
    image = base_image().convert("P", palette=Image.ADAPTIVE)
    image.save(path, transparency=0)


def with_alpha(path: Path) -> None:
    image = base_image().convert("RGBA")
    image.putalpha(Image.linear_gradient("L").resize(image.size))
    image.save(path)


def sixteen_bit_grey(path: Path) -> None:
    ramp = np.linspace(0, 65535, 64 * 48).reshape(48, 64).astype(np.uint16)
    Image.fromarray(ramp).save(path)


def float_tiff(path: Path) -> None:
    Image.fromarray(np.linspace(0, 1, 64 * 48, dtype=np.float32).reshape(48, 64), "F").save(path)


def rotated_jpeg(path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    base_image().save(path, exif=exif)


def with_icc(path: Path) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    base_image().save(path, icc_profile=profile)


def trailing_junk(fmt: str):
    return raw(encoded(fmt) + b"junk after the end of the picture" * 10)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


def link_to(target: str):
    return lambda path: path.symlink_to(target)


def link_outside(path: Path) -> None:
    elsewhere = path.parent.parent / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    saved()(elsewhere / "real.png")
    path.symlink_to(elsewhere / "real.png")


NON_UTF8 = os.fsdecode(b"caf\xe9-latin1-\xff.png")

ENTRIES = [
    # Pictures of every kind: they render, as photo, as painting and in a batch.
    Entry("plain.png", saved()),
    Entry("plain.jpg", saved()),
    Entry("progressive.jpg", saved("RGB", "JPEG", progressive=True)),
    Entry("grey.png", saved("L")),
    Entry("grey-alpha.png", saved("LA")),
    Entry("palette.png", saved("P")),
    Entry("palette-transparent.png", with_transparency),
    Entry("bilevel.png", saved("1")),
    Entry("cmyk.jpg", saved("CMYK")),
    Entry("alpha.png", with_alpha),
    Entry("deep16.png", sixteen_bit_grey),
    Entry("float.tif", float_tiff),
    Entry("rotated-exif.jpg", rotated_jpeg),
    Entry("animated.gif", animated_gif),
    Entry("lossy.webp", saved("RGB", "WEBP")),
    Entry("lossless.webp", saved("RGB", "WEBP", lossless=True)),
    Entry("plain.tif", saved()),
    Entry("deflate.tiff", saved("RGB", "TIFF", compression="tiff_deflate")),
    Entry("plain.bmp", saved()),
    Entry("plain.tga", saved()),
    Entry("plain.ppm", saved()),
    Entry("plain.pcx", saved()),
    Entry("icc-profile.png", with_icc),
    Entry("trailing-junk.png", trailing_junk("PNG")),
    Entry("trailing-junk.jpg", trailing_junk("JPEG")),
    Entry("UPPER CASE.PNG", saved("RGB", "PNG")),
    Entry("png-named.jpg", saved("RGB", "PNG")),  # the content decides, not the name
    Entry("min-side-16.png", saved(size=(16, 16))),
    Entry("strip-20-to-1.png", saved(size=(320, 16))),  # exactly the widest taken
    Entry("café ☕ 写真.png", saved()),
    Entry(NON_UTF8, saved("RGB", "PNG")),  # not valid UTF-8: printed with escapes, never a crash
    Entry("new\nline.png", saved()),  # printed as one line
    Entry("escape-\x1b[31mred.png", saved()),  # a terminal escape in a name is shown, not obeyed
    Entry("-dash-first.png", saved()),
    Entry(" leading space.png", saved()),
    Entry("same-stem.jpg", saved()),  # three inputs, one stem: three outputs
    Entry("same-stem.jpeg", saved("RGB", "JPEG")),
    Entry("same-stem.png", saved()),
    Entry(LONG_STEM + ".png", saved()),
    Entry(TOO_LONG_STEM + ".png", saved(), batch_error="longer than the file system allows"),
    Entry("link-outside.png", link_outside),
    Entry("alias-of-plain.png", link_to("plain.png"), skipped="named twice"),
    # Damaged, lying and wrong files: one error line naming the file, exit 1.
    Entry("empty.png", raw(b""), refused="the file is empty"),
    Entry("text.png", raw(b"this is a text file, not a picture\n"), refused=NOT_AN_IMAGE),
    Entry("html.jpg", raw(b"<!doctype html><title>404</title>"), refused=NOT_AN_IMAGE),
    Entry("random.webp", raw(np.random.default_rng(3).bytes(4096)), refused=NOT_AN_IMAGE),
    Entry("truncated.png", raw(truncated("PNG")), refused=DAMAGED),
    Entry("truncated.jpg", raw(truncated("JPEG")), refused=DAMAGED),
    Entry("truncated.gif", raw(truncated("GIF")), refused=DAMAGED),
    Entry("truncated.bmp", raw(truncated("BMP")), refused=DAMAGED),
    Entry("truncated.tif", raw(truncated("TIFF")), refused=DAMAGED),
    Entry("header-only.png", raw(encoded("PNG")[:33]), refused=DAMAGED),
    Entry("one-row-of-14000x14000.png", raw(png_claiming(14000, 14000)), refused=DAMAGED),  # 196 MP promised
    Entry("bomb-20000x20000.png", raw(png_claiming(20000, 20000)), refused="over the limit of 200 MP"),
    Entry("bad-crc.png", raw(png_claiming(64, 48, rows=48, crc=0)), refused=DAMAGED),
    Entry("zero-width.png", raw(png_claiming(0, 48)), refused=DAMAGED),
    Entry("one-pixel.png", saved(size=(1, 1)), refused=TOO_SMALL),
    Entry("15x15.png", saved(size=(15, 15)), refused=TOO_SMALL),
    Entry("thin-1x5000.png", saved(size=(1, 5000)), refused=TOO_SMALL),
    Entry("strip-16x4000.png", saved(size=(16, 4000)), refused=STRIP),
    Entry("strip-21-to-1.png", saved(size=(336, 16)), refused=STRIP),
    Entry("notes.txt", raw(b"a shopping list"), refused=NOT_AN_IMAGE, skipped=NOT_A_PICTURE_TYPE),
    Entry("drawing.svg", raw(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), refused=NOT_AN_IMAGE,
          skipped=NOT_A_PICTURE_TYPE),
    Entry("README", raw(b"no file type at all"), refused=NOT_AN_IMAGE, skipped="no file type"),
    Entry(".impasto-plain-0123abcd.part", raw(encoded("PNG")[:100]), refused=DAMAGED, skipped="unfinished save"),
    Entry("fifo.png", fifo, refused=NOT_REGULAR, skipped=NOT_REGULAR),  # never opened: it would block
    Entry("device-link.png", link_to(os.devnull), refused=NOT_REGULAR, skipped=NOT_REGULAR),
    Entry("folder.png", folder, refused="is a folder", skipped="a folder"),
    Entry("dangling-link.png", link_to("nowhere.png"), refused="a link to a file that does not exist",
          skipped=BROKEN_LINK),
    Entry("loop-link.png", link_to("loop-link.png"), refused="link loop", skipped=BROKEN_LINK),
]


def build_corpus(root: Path) -> list[Entry]:
    root.mkdir(parents=True, exist_ok=True)
    for entry in ENTRIES:
        entry.make(root / entry.name)
    return ENTRIES


# Paths that cannot be made into corpus files: read directly, each gives one line naming it.
def unreachable_paths(root: Path) -> list[tuple[Path, str]]:
    return [
        (root / ("n" * 300 + ".png"), "the name is longer than the file system allows"),
        (root / "plain.png" / "inside.png", "a part of the path is not a folder"),
        (root / "missing.png", "no such file"),
        (Path(os.devnull), NOT_REGULAR),
    ]
