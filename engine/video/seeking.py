"""One frame of a clip, for a timeline: where the source can seek (a video file, a folder of
frames, an animated WebP) without reading the clip from its start."""

from __future__ import annotations

from contextlib import closing

from ..errors import VideoReadError
from .clip import ClipSource, Frame


def frame_at(source: ClipSource, index: int) -> Frame:
    """Frame ``index`` of ``source``, from 0 (past the end: the last frame). A video file seeks to
    the keyframe before it, a folder of frames reads one file; any other source is read from
    its start."""
    seek = getattr(source, "frame_at", None)
    if seek is not None:
        return seek(max(0, index))
    last = None
    with closing(source.frames()) as frames:
        for frame in frames:
            last = frame
            if frame.index >= index:
                break
    if last is None:
        raise VideoReadError(f"{source.info.path.name}: has no frames")
    return last
