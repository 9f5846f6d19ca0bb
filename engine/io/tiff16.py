"""16-bit RGB(A) TIFF, written by hand: Pillow has no 16-bit RGB mode to save from.

A baseline little-endian TIFF: the 8-byte header, one directory of tags, the values too long to
sit in their tag, then the pixels as one uncompressed strip.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

import numpy as np

from ..picture import Picture

SHORT, LONG, UNDEFINED = 3, 4, 7
_FORMATS = {SHORT: "H", LONG: "I", UNDEFINED: "B"}
STRIP_OFFSETS = 273


def write_tiff16(out: BinaryIO, picture: Picture) -> None:
    body = _samples(picture)
    tags = _tags(picture, len(body))
    directory_end = 8 + 2 + 12 * len(tags) + 4
    inline, spilled = [], b""
    for tag, kind, values in tags:
        data = _packed(kind, values)
        if len(data) <= 4:
            inline.append((tag, kind, len(values), data.ljust(4, b"\0")))
        else:  # the value sits after the directory; the tag holds its offset
            inline.append((tag, kind, len(values), struct.pack("<I", directory_end + len(spilled))))
            spilled += data + b"\0" * (len(data) % 2)
    strip = directory_end + len(spilled)
    out.write(b"II*\0" + struct.pack("<IH", 8, len(inline)))
    for tag, kind, count, value in inline:
        value = struct.pack("<I", strip) if tag == STRIP_OFFSETS else value
        out.write(struct.pack("<HHI", tag, kind, count) + value)
    out.write(struct.pack("<I", 0))  # no further directory
    out.write(spilled)
    out.write(body)


def _samples(picture: Picture) -> bytes:
    def widen(plane: np.ndarray) -> np.ndarray:
        return plane.astype(np.uint16) * (257 if plane.dtype == np.uint8 else 1)

    planes = [widen(picture.pixels)]
    if picture.alpha is not None:
        planes.append(widen(picture.alpha)[:, :, None])
    return np.ascontiguousarray(np.concatenate(planes, axis=2).astype("<u2")).tobytes()


def _tags(picture: Picture, strip_bytes: int) -> list[tuple[int, int, list[int]]]:
    """(tag, type, values) in ascending tag order, as TIFF requires."""
    samples = 3 + (picture.alpha is not None)
    tags = [(256, LONG, [picture.width]), (257, LONG, [picture.height]), (258, SHORT, [16] * samples),
            (259, SHORT, [1]), (262, SHORT, [2]), (STRIP_OFFSETS, LONG, [0]), (277, SHORT, [samples]),
            (278, LONG, [picture.height]), (279, LONG, [strip_bytes]), (284, SHORT, [1])]
    if samples == 4:
        tags.append((338, SHORT, [2]))  # unassociated alpha
    if picture.icc_profile:
        tags.append((34675, UNDEFINED, list(picture.icc_profile)))
    return tags


def _packed(kind: int, values: list[int]) -> bytes:
    return struct.pack(f"<{len(values)}{_FORMATS[kind]}", *values)
