"""The clips the studio has opened: each one's source (checked when it was opened), the frame
its timeline is on, and its last few frames decoded. A clip is never held: a source is a path
and a description, and a frame is decoded when a preview asks for it — on the render thread.

Which folders are clips: a folder whose pictures are the numbered frames of one sequence
(one name pattern, numbers without a gap, at least two, as compositing programs write them) is
a clip; any other folder is a batch of photos (see ``is_frame_sequence``).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

from engine import (
    ClipInfo,
    ImageReadError,
    ImpastoError,
    LruCache,
    Picture,
    RenderRequest,
    ShotSearch,
    VideoReadError,
    frame_at,
    open_clip,
)

KEEP_CLIPS = 3  # the current clip and a step or two of undo (a source is a path and a description)
KEEP_FRAMES = 3  # decoded frames per clip: the one shown, and the last ones scrubbed past
KEEP_LOOKS = 8  # shot statistics per clip: the looks last previewed, each for a shot
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)(?P<rest>\D*)$")  # as the engine reads a sequence


def is_frame_sequence(files: list[Path]) -> bool:
    """Whether a folder's pictures are the frames of one clip: one name pattern and numbers
    without a gap (``shot_0001.png`` ... ``shot_0048.png``). Photos from a camera usually have
    gaps where shots were deleted, or several names: those folders are batches."""
    found = [_NUMBERED.match(path.stem) for path in files]
    matches = [match for match in found if match is not None]
    if len(files) < 2 or len(matches) < len(files):
        return False
    if len({(match["prefix"], match["rest"], path.suffix.lower()) for match, path in zip(matches, files)}) > 1:
        return False
    numbers = sorted(int(match["number"]) for match in matches)
    return numbers == list(range(numbers[0], numbers[0] + len(numbers)))


@dataclass(frozen=True)
class ClipView:
    """What the timeline shows: the clip, and the frame under its slider (from 0)."""

    info: ClipInfo
    position: int

    @property
    def last(self) -> int:
        return max(0, self.info.frame_count - 1)

    @property
    def seconds(self) -> float:
        return self.position / float(self.info.fps)


class DecodedFrames:
    """The last few frames of one clip, decoded. ``frame`` decodes in the thread that asks (the
    render thread, for previews); ``cached`` never decodes, so the window may ask."""

    def __init__(self, source, keep: int = KEEP_FRAMES):
        self.source = source
        self._lock = threading.Lock()
        self._kept: LruCache[int, Picture] = LruCache(keep)

    def frame(self, index: int) -> Picture:
        """Frame ``index``; raises ``VideoReadError`` where the file fails there."""
        kept = self.cached(index)
        if kept is not None:
            return kept
        picture = frame_at(self.source, index).picture  # outside the lock: the window never waits on a decode
        with self._lock:
            self._kept.put(index, picture)
        return picture

    def cached(self, index: int) -> Picture | None:
        with self._lock:
            return self._kept.find(index)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


class ClipShots:
    """A clip's shots, searched by background jobs (``search``), and their norm statistics for
    the last few looks previewed: with them a preview paints a frame as the export will (an
    export renders each frame with its shot's statistics). The search and the measuring run on
    the render thread; the window reads the flags (``searching``, which it alone sets;
    ``failed``, set by either thread when the clip cannot be read on; ``search.found``, which
    turns true once)."""

    def __init__(self, source):
        self.search = ShotSearch(source)
        self.searching = False  # a search job is queued
        self.failed = False  # the clip could not be read to its end: previews keep each frame's own
        self._kept: LruCache[tuple, object] = LruCache(KEEP_LOOKS)

    def statistics(self, engine, request: RenderRequest, position: int, look: tuple, token, measure: bool = True):
        """The statistics of the shot under ``position`` for ``request``'s look (``look`` is its
        key), measured now if ``measure`` (a few renders); None while the shots are still being
        found, when they are not measured, or when the clip fails to give a sample frame (the
        frame on screen is no worse for it: it keeps its own)."""
        shot = self.search.shot_of(position)
        if shot is None or self.failed:
            return None
        if not measure:
            return self._kept.find((shot.start, look))
        try:
            return self._kept.get((shot.start, look), lambda _: self.search.statistics(engine, request, shot, token))
        except (VideoReadError, ImageReadError):
            self.failed = True  # the clip has changed or broken since it was searched
            return None
        except ImpastoError:  # the engine's (out of memory...): tried again with the next look
            return None

    def waits_for_measuring(self) -> bool:
        """Whether a frame painted with its own statistics should be painted again with its shot's."""
        return self.search.found and not self.failed


class OpenedClip:
    """A clip the studio has opened: its source, its decoded frames, its shots and its timeline's place."""

    def __init__(self, source):
        self.source = source
        self.frames = DecodedFrames(source)
        self.shots = ClipShots(source)
        self.position = 0

    @property
    def info(self) -> ClipInfo:
        return self.source.info

    def view(self) -> ClipView:
        return ClipView(self.info, self.position)


class LoadedClips:
    """The last few clips opened, by path; one that was let go is opened (and checked) again."""

    def __init__(self, sequence_fps: float):
        self._sequence_fps = sequence_fps
        self._clips: LruCache[str, OpenedClip] = LruCache(KEEP_CLIPS)

    def get(self, key: str) -> OpenedClip:
        """The clip at path ``key``, opened and checked now unless it is kept; raises
        ``ImpastoError`` (``VideoReadError``) when it cannot be read. The frames of the other
        clips are let go: only the one shown keeps decoded frames."""
        clip = self._clips.get(key, lambda path: OpenedClip(open_clip(Path(path), self._sequence_fps)))
        for other, kept in self._clips.items():
            if other != key:
                kept.frames.clear()
        return clip

    def kept(self, key: str) -> OpenedClip | None:
        """The clip at ``key`` if it is open (never opens it)."""
        return self._clips.find(key)

    def forget(self, key: str) -> None:
        """Read ``key`` afresh next time (it was opened again: it may have changed on disk)."""
        self._clips.pop(key)
