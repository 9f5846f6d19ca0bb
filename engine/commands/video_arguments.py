"""The video options of ``impasto stylize`` (the parser imports nothing heavy)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..limits import MAX_CLIP_SECONDS, VIDEO_SUFFIXES
from ..settings import CODEC_CHOICE, DEFAULT_VIDEO_SETTINGS, TEMPORAL_MODES, VIDEO_CODECS

VIDEO_EPILOG = ("Video: a video file (MP4, MOV, MKV, WebM, AVI, animated GIF or WebP) or, with --sequence, a folder "
                "of numbered frames, becomes a video file (-o out.mp4/.mkv/.webm/.mov, with the source's frame rate "
                "and sound) or a folder of numbered frames (-o folder/, --format png or tif). Codec: "
                + CODEC_CHOICE + ".")


def add_video_arguments(parser: argparse.ArgumentParser) -> None:
    """The video options of ``impasto stylize``."""
    v = DEFAULT_VIDEO_SETTINGS
    group = parser.add_argument_group("video and frame sequences")
    group.add_argument("--sequence", action="store_true",
                       help="the input folders are clips of numbered frames (frame_0001.png...), not batches")
    group.add_argument("--temporal", choices=TEMPORAL_MODES, default=v.temporal,
                       help="off: each frame on its own; stats: norm statistics fixed per shot (less flicker); "
                            "full: and the previous frame carried along the optical flow, reset at cuts "
                            "(default %(default)s)")
    group.add_argument("--codec", choices=VIDEO_CODECS, default=v.codec, help=CODEC_CHOICE)
    group.add_argument("--no-audio", action="store_true", help="leave the source's sound out (it is copied unchanged)")
    group.add_argument("--fps", type=float, default=v.sequence_fps,
                       help="frame rate of a frame sequence (default %(default)s); videos keep their own")
    group.add_argument("--allow-long", action="store_true",
                       help=f"stylise clips longer than {MAX_CLIP_SECONDS // 60} minutes")
    parser.epilog = parser.epilog + "\n\n" + VIDEO_EPILOG if parser.epilog else VIDEO_EPILOG


def may_be_video(args) -> bool:
    """Whether the inputs might be clips, from their names alone (a GIF or WebP may be a still):
    only then is the video machinery loaded to decide."""
    return args.sequence or any(Path(path).suffix.lower() in VIDEO_SUFFIXES for path in args.inputs)
