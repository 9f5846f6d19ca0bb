"""Which codec a written clip gets, by container.

AV1 (SVT-AV1) is the default in MP4, MKV and WebM: measured on stylised frames it is smaller
than VP9 at the same fidelity and faster to encode (docs/benchmarks.md, "Video"). MOV gets
ProRes 422, the editing format that container is used for. H.264 only when asked for: the
encoders that make it are x264 (GPL-2.0-or-later) or, in builds that have it, OpenH264, and the
default output should not depend on a GPL encoder (resources/NOTICE, README "Video").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import av

from ..errors import InvalidRequestError, VideoWriteError
from ..limits import VIDEO_OUTPUT_SUFFIXES
from ..settings import CODEC_CHOICE


@dataclass(frozen=True)
class VideoCodec:
    name: str  # what the user chooses: "av1", "vp9", "h264", "prores"
    encoder: str  # FFmpeg's encoder
    pixel_format: str
    options: dict[str, str] = field(default_factory=dict)


_ENCODERS = {  # by preference: the first one this FFmpeg has is used
    "av1": (VideoCodec("av1", "libsvtav1", "yuv420p", {"crf": "28", "preset": "8"}),
            VideoCodec("av1", "libaom-av1", "yuv420p", {"crf": "28", "b": "0", "cpu-used": "6", "row-mt": "1"})),
    "vp9": (VideoCodec("vp9", "libvpx-vp9", "yuv420p", {"crf": "28", "b": "0", "cpu-used": "4", "row-mt": "1"}),),
    "h264": (VideoCodec("h264", "libopenh264", "yuv420p", {"b": "8M"}),
             VideoCodec("h264", "libx264", "yuv420p", {"crf": "18", "preset": "medium"})),
    "prores": (VideoCodec("prores", "prores_ks", "yuv422p10le", {"profile": "2"}),),
}
_BY_CONTAINER = {  # what each container may hold, the automatic choice first
    "mp4": ("av1", "vp9", "h264"),
    "matroska": ("av1", "vp9", "h264", "prores"),
    "webm": ("av1", "vp9"),
    "mov": ("prores", "h264"),
}


def container_format(suffix: str) -> str:
    if suffix.lower() not in VIDEO_OUTPUT_SUFFIXES:
        kinds = ", ".join(VIDEO_OUTPUT_SUFFIXES)
        raise InvalidRequestError(f"a clip is written as {kinds} or a folder of frames, not {suffix or 'no type'}")
    return VIDEO_OUTPUT_SUFFIXES[suffix.lower()]


def choose_codec(suffix: str, wanted: str = "auto") -> VideoCodec:
    """The codec for a clip written with ``suffix`` (``.mp4``...): ``wanted``, or the container's
    automatic choice; the first encoder of that codec this FFmpeg has."""
    allowed = _BY_CONTAINER[container_format(suffix)]
    choices = [name for name in allowed if name != "h264"] if wanted == "auto" else [wanted]
    if wanted != "auto" and wanted not in allowed:
        raise InvalidRequestError(f"a {suffix} file cannot hold {wanted}; it takes {', '.join(allowed)}")
    available = av.codecs_available
    for name in choices:
        for codec in _ENCODERS[name]:
            if codec.encoder in available:
                return codec
    raise VideoWriteError(f"this build of FFmpeg has no encoder for {' or '.join(choices)} in {suffix} files")


def codec_help() -> str:
    """One line for ``--help``: the automatic choice by container."""
    return CODEC_CHOICE
