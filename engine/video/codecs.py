"""Which codec a written clip gets, by container.

AV1 (SVT-AV1) is the default in MP4, MKV and WebM: measured on stylised frames it is smaller
than VP9 at the same fidelity and faster to encode (docs/benchmarks.md, "Video"). MOV gets
ProRes 422, the editing format that container is used for. H.264 only when asked for: the
encoders that make it are x264 (GPL-2.0-or-later) or, in builds that have it, OpenH264, and the
default output should not depend on a GPL encoder (resources/NOTICE, docs/cli.md "Video").
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
    # What the encoder takes (None: no limit met in practice); beyond it FFmpeg only says "Invalid argument".
    max_fps: float | None = None
    max_width: int | None = None
    max_height: int | None = None

    def limit_problem(self, size: tuple[int, int], fps: float) -> str | None:
        """Why this encoder cannot take frames of ``size`` at ``fps``, in words, or None."""
        width, height = size
        if self.max_fps is not None and fps > self.max_fps:
            return f"{self.name.upper()} ({self.encoder}) takes at most {self.max_fps:g} frames/s, and this clip has {fps:g}"
        if self.max_width is not None and width > self.max_width:
            return f"{self.name.upper()} ({self.encoder}) takes frames at most {self.max_width} px wide, and these are {width}"
        if self.max_height is not None and height > self.max_height:
            return f"{self.name.upper()} ({self.encoder}) takes frames at most {self.max_height} px tall, and these are {height}"
        return None


_ENCODERS = {  # by preference: the first one this FFmpeg has is used
    "av1": (VideoCodec("av1", "libsvtav1", "yuv420p", {"crf": "28", "preset": "8"}, max_fps=240, max_width=16384,
                       max_height=8704),  # measured: SVT-AV1 refuses 241 frames/s, 16386 px wide, 8706 px tall
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


def fitting_codec(codec: VideoCodec, suffix: str, wanted: str, size: tuple[int, int],
                  fps: float) -> tuple[VideoCodec, str | None]:
    """``codec``, or where its encoder cannot take these frames, VP9 (which every container AV1
    goes in takes) with a note saying why; a codec asked for by name is refused in one line instead."""
    problem = codec.limit_problem(size, fps)
    if problem is None:
        return codec, None
    can_fall_back = "vp9" in _BY_CONTAINER[container_format(suffix)] and codec.name != "vp9"
    if wanted != "auto" or not can_fall_back:
        advice = "; use --codec vp9" if can_fall_back else "; choose a smaller --size or another container"
        raise InvalidRequestError(problem + advice)
    fallback = choose_codec(suffix, "vp9")
    if fallback.limit_problem(size, fps) is not None:
        raise InvalidRequestError(problem)
    return fallback, f"{problem}: encoded as VP9 instead"


def codec_help() -> str:
    """One line for ``--help``: the automatic choice by container."""
    return CODEC_CHOICE
