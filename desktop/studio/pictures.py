"""The photos and paintings the studio works with, decoded once, each with its small copies.

A photo of 24 MP is about 70 MB here, so only the last few are
kept: one opened from a file is read again if the user comes back to it (undo). A pasted
photo cannot be read again, so the last few pasted ones are kept apart. Paintings are kept
apart too, more of them, so that a blend of several never reads its paintings twice.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path

import numpy as np

from engine import (
    LearnedStyle,
    LearnedStyleError,
    LruCache,
    Picture,
    load_picture,
    output_size,
    read_learned,
    resized,
    resource_path,
)

from .library import StyleLibrary

log = logging.getLogger(__name__)

SAMPLE_PHOTO = ("images", "chelsea.png")
SAMPLE_KEY = ""  # the photo shown before the user opens one
PASTED_PREFIX = "clipboard:"
KEEP_PHOTOS = 3  # the current photo and a step or two of undo
KEEP_PASTED = 4
KEEP_PAINTINGS = 16


def sample_photo() -> Picture:
    return load_picture(resource_path(*SAMPLE_PHOTO))


def preview_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The size the engine gives a picture of ``size`` asked for at ``long_side``, never larger
    (a preview asks for no more than the photo's own long side)."""
    return output_size(size, min(long_side, max(size)))


def shrunk(picture: Picture, size: tuple[int, int]) -> Picture:
    """``picture`` at ``size`` as the engine resizes it (``engine.resized``), 8-bit: the fade's "before"."""
    small = resized(picture, *size)
    alpha = None if small.alpha is None else _eight_bit(small.alpha)
    return Picture(_eight_bit(small.pixels), alpha, None, picture.name)


def _eight_bit(plane: np.ndarray) -> np.ndarray:
    return plane if plane.dtype == np.uint8 else (plane >> 8).astype(np.uint8)


def crop(picture: Picture, region: tuple[int, int, int, int]) -> Picture:
    left, top, width, height = region
    pixels = picture.pixels[top:top + height, left:left + width]
    alpha = None if picture.alpha is None else picture.alpha[top:top + height, left:left + width]
    return Picture(np.ascontiguousarray(pixels), None if alpha is None else np.ascontiguousarray(alpha),
                   picture.icc_profile, picture.name)


class _Entry:
    learned: LearnedStyle | None = None  # a painting's learned style, once read

    def __init__(self, picture: Picture):
        self.picture = picture
        self.small: dict[int, Picture] = {}  # long side -> the picture shrunk as the engine shrinks it

    def shrunk_to(self, long_side: int) -> Picture:
        if long_side not in self.small:
            self.small[long_side] = shrunk(self.picture, preview_size(self.picture.size, long_side))
        return self.small[long_side]


class LoadedPictures:
    def __init__(self, library: StyleLibrary, max_input_pixels: int):
        self._library = library
        self.max_input_pixels = max_input_pixels
        self._photos: LruCache[str, _Entry] = LruCache(KEEP_PHOTOS)
        self._paintings: LruCache[str, _Entry] = LruCache(KEEP_PAINTINGS)
        self._pasted: LruCache[str, _Entry] = LruCache(KEEP_PASTED)
        self._pasted_ids = itertools.count(1)

    def photo(self, key: str) -> Picture:
        """The photo ``key`` (a path, a pasted key, or SAMPLE_KEY); ImpastoError when it cannot be read,
        KeyError for a pasted photo no longer kept."""
        return self._photo_entry(key).picture

    def painting(self, style_id: str) -> Picture:
        """The library painting ``style_id``; ImpastoError or KeyError when it cannot be had."""
        return self._painting_entry(style_id).picture

    # Small copies are made once per picture: shrinking a 24 MP photo on every slider move would
    # block the window for a noticeable moment (the drop well's thumbnail once cost 190 ms a tick).

    def photo_shrunk(self, key: str, long_side: int) -> Picture:
        """The photo at ``long_side`` (never enlarged), 8-bit, exactly as the engine shrinks it."""
        return self._photo_entry(key).shrunk_to(long_side)

    def painting_shrunk(self, style_id: str, long_side: int) -> Picture:
        return self._painting_entry(style_id).shrunk_to(long_side)

    def learned(self, style_id: str) -> LearnedStyle | None:
        """The style learned from painting ``style_id`` (a ``LearnedStyle``), or None: none was,
        or its file cannot be used (the reason is logged; the painting renders as it is)."""
        entry = self._paintings.find(style_id)
        if entry is not None and entry.learned is not None:  # read before, or being learned
            return entry.learned
        if not self._library.has_learned(style_id):
            return None
        entry = self._painting_entry(style_id)
        if entry.learned is None:
            try:
                entry.learned = read_learned(self._library.learned_path(style_id), entry.picture)
            except LearnedStyleError as exc:
                log.warning("the learned style of %s is not used: %s", style_id, exc)
                return None
        return entry.learned

    def try_learned(self, style_id: str, learned: LearnedStyle) -> None:
        """Paint with ``learned`` (a style still being learned) until ``forget_learned``."""
        self._painting_entry(style_id).learned = learned

    def forget_learned(self, style_id: str) -> None:
        """The learned file changed (learned again, or forgotten): read it afresh when next wanted."""
        entry = self._paintings.find(style_id)
        if entry is not None:
            entry.learned = None

    def remember_painting(self, style_id: str, picture: Picture) -> None:
        """A painting just added (and so already read): keep it rather than read it again."""
        self._paintings.put(style_id, _Entry(picture))

    def add_pasted(self, picture: Picture) -> str:
        key = f"{PASTED_PREFIX}{next(self._pasted_ids)}"
        self._pasted.put(key, _Entry(picture))
        return key

    def _photo_entry(self, key: str) -> _Entry:
        if key.startswith(PASTED_PREFIX):
            entry = self._pasted.find(key)
            if entry is None:
                raise KeyError(key)  # a pasted photo cannot be read again
            return entry
        return self._photos.get(key, lambda k: _Entry(self._read_photo(k)))

    def _painting_entry(self, style_id: str) -> _Entry:
        return self._paintings.get(style_id, lambda k: _Entry(self._read_painting(k)))

    def _read_photo(self, key: str) -> Picture:
        if key == SAMPLE_KEY:
            return sample_photo()
        return load_picture(Path(key), self.max_input_pixels)

    def _read_painting(self, style_id: str) -> Picture:
        return load_picture(self._library.path(self._library.get(style_id)))
