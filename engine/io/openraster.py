"""OpenRaster (``.ora``), the layered format Krita, GIMP and MyPaint open: a zip whose first entry
is the uncompressed ``mimetype``, a ``stack.xml`` listing the layers top first, each layer as a
PNG, a ``mergedimage.png`` and a thumbnail of at most 256 px (OpenRaster 0.0.5)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import numpy as np
from PIL import Image

from ..devices import default_cpu_threads
from ..errors import ImageWriteError, describe_os_error
from ..request import LayeredResult
from .atomic import atomic_write
from .imageio import to_pil
from .png import write_png

MIMETYPE = b"image/openraster"
_NOT_IN_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
THUMBNAIL_SIDE = 256


def write_openraster(layered: LayeredResult, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write atomically; never replaces an existing file unless ``overwrite``."""
    path = Path(path)
    if path.suffix.lower() != ".ora":
        raise ImageWriteError(f"{path.name}: a layered file is an OpenRaster file; name it .ora")
    merged = to_pil(layered.merged.picture)
    width, height = merged.size
    entries = [(f"data/layer{index}.png", layer) for index, layer in enumerate(layered.layers)]
    stack = "".join(f'  <layer name={quoteattr(xml_text(layer.name))} src="{name}" x="0" y="0" opacity="1.0" '
                    f'visibility="visible" composite-op="svg:src-over"/>\n' for name, layer in reversed(entries))
    try:
        with atomic_write(path, overwrite=overwrite) as handle, zipfile.ZipFile(handle, "w") as archive:
            archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
            archive.writestr("stack.xml", f'<?xml version="1.0" encoding="UTF-8"?>\n<image version="0.0.5" '
                                          f'w="{width}" h="{height}">\n<stack>\n{stack}</stack>\n</image>\n',
                             compress_type=zipfile.ZIP_DEFLATED)
            for name, layer in entries:
                archive.writestr(name, _png(to_pil(layer.picture).convert("RGBA")), compress_type=zipfile.ZIP_STORED)
            archive.writestr("mergedimage.png", _png(merged.convert("RGBA")), compress_type=zipfile.ZIP_STORED)
            thumbnail = merged.convert("RGBA")
            thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
            archive.writestr("Thumbnails/thumbnail.png", _png(thumbnail), compress_type=zipfile.ZIP_STORED)
    except FileExistsError:
        raise ImageWriteError(f"{path} already exists; choose another name or allow overwriting") from None
    except OSError as exc:
        raise ImageWriteError(f"could not write {path}: {describe_os_error(exc)}") from None
    return path


def xml_text(text: str) -> str:
    """``text`` as XML 1.0 can hold it: characters it forbids (control characters, the halves of a
    file name's bytes that were not UTF-8) become U+FFFD, so the file stays well-formed and opens."""
    return _NOT_IN_XML.sub("\ufffd", text)


def _png(image: Image.Image) -> bytes:
    """The PNGs are stored as they are: zip would not shrink them further."""
    buffer = io.BytesIO()
    write_png(buffer, np.asarray(image), threads=default_cpu_threads())
    return buffer.getvalue()
