"""Video and frame sequences, stylised without flicker: streaming readers and writers (PyAV,
Pillow for animated WebP), shots and their fixed norm statistics, flow-guided blending
(OpenCV's DIS flow), and ``stylise_clip``, which puts them together.

    from engine.video import ClipTarget, open_clip, stylise_clip
    source = open_clip("clip.mp4")            # checked now; source.info says what it is
    stylise_clip(Engine(), source, preset(7), RenderSettings(), ClipTarget(Path("out.mp4")))
"""

from .clip import ClipInfo, ClipSource, Frame, length_problem
from .codecs import choose_codec, codec_help
from .seeking import frame_at
from .shot_search import ShotSearch
from .sources import is_clip_file, open_clip
from .stylise import ClipResult, first_frame, stylise_clip
from .writers import ClipTarget

__all__ = [
    "ClipInfo",
    "ClipResult",
    "ClipSource",
    "ClipTarget",
    "Frame",
    "ShotSearch",
    "choose_codec",
    "codec_help",
    "first_frame",
    "frame_at",
    "is_clip_file",
    "length_problem",
    "open_clip",
    "stylise_clip",
]
