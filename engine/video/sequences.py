"""A folder of numbered frames (``shot_0001.png``, ``shot_0002.png``, ...): the way compositing
programs exchange clips. Frames are ordered by their number, not by name, so ``f9`` comes
before ``f10``; every frame must have the first frame's size."""

from __future__ import annotations

import re
from collections.abc import Generator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from ..errors import ImageReadError, VideoReadError
from ..io.imageio import expand_inputs, load_picture
from ..limits import MAX_INPUT_PIXELS
from ..picture import Picture
from .clip import ClipInfo, Frame

_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)(?P<rest>\D*)$")


@dataclass(frozen=True)
class FrameSequenceSource:
    info: ClipInfo
    files: tuple[Path, ...]
    max_pixels: int = MAX_INPUT_PIXELS

    def frames(self) -> Generator[Frame, None, None]:
        seconds_per_frame = 1 / float(self.info.fps)
        for index, path in enumerate(self.files):
            yield Frame(index, index * seconds_per_frame, self._picture(path), path.stem)

    def frame_at(self, index: int) -> Frame:
        """Frame ``index`` (past the end: the last), read from its own file alone."""
        index = min(max(index, 0), len(self.files) - 1)
        path = self.files[index]
        return Frame(index, index / float(self.info.fps), self._picture(path), path.stem)

    def _picture(self, path: Path) -> Picture:
        picture = load_picture(path, self.max_pixels)
        if picture.size != self.info.size:
            raise VideoReadError(f"{path.name} is {picture.size[0]}x{picture.size[1]}, but the sequence's first "
                                 f"frame is {self.info.size[0]}x{self.info.size[1]}; every frame needs one size")
        return picture


def _pattern(match: re.Match, path: Path) -> tuple[str, str, str]:
    return match["prefix"], match["rest"], path.suffix.lower()


def open_frame_sequence(folder: Path, fps: float, max_pixels: int = MAX_INPUT_PIXELS) -> FrameSequenceSource:
    """The numbered frames in ``folder`` as one clip at ``fps`` frames per second."""
    if not folder.is_dir():
        raise VideoReadError(f"{folder}: not a folder; --sequence takes a folder of numbered frames")
    files, skipped = expand_inputs([folder])
    numbered = [(match, path) for path in files if (match := _NUMBERED.match(path.stem))]
    if not numbered:
        raise VideoReadError(f"{folder}: holds no numbered frames (such as frame_0001.png)")
    patterns = {_pattern(m, path) for m, path in numbered}
    if len(patterns) > 1:
        examples = ", ".join(sorted(f"{prefix}#{rest}{suffix}" for prefix, rest, suffix in patterns)[:3])
        raise VideoReadError(f"{folder}: holds more than one sequence ({examples}); put each in its own folder")
    # A frame left out (a FIFO, a looping link, a folder named like a frame) would shift every later
    # frame and shorten the clip without a word.
    for entry in skipped:
        match = _NUMBERED.match(entry.path.stem)
        if match and _pattern(match, entry.path) in patterns:
            raise VideoReadError(f"{folder}: the frame {entry.path.name} cannot be read ({entry.reason}); "
                                 f"mend or remove it, or the frames after it would move up")
    ordered = tuple(path for _, path in sorted(numbered, key=lambda item: int(item[0]["number"])))
    try:
        first = load_picture(ordered[0], max_pixels)
    except ImageReadError as exc:
        raise VideoReadError(f"the sequence's first frame cannot be read: {exc}") from None
    rate = Fraction(fps).limit_denominator(1001)
    info = ClipInfo(folder, "frame sequence", first.size, len(ordered), True, rate, len(ordered) / fps,
                    Fraction(1), False, ordered[0].suffix.lstrip(".").upper())
    return FrameSequenceSource(info, ordered, max_pixels)
