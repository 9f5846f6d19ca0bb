"""The photos and paintings the window works with, decoded once, each with its pixmap.

A photo of 24 MP is about 170 MB here (its pixels and its pixmap), so only the last few are
kept: one opened from a file is read again if the user comes back to it (undo). A pasted
photo cannot be read again, so the last few pasted ones are kept apart. Paintings are kept
apart too, more of them, so that a blend of several never reads its paintings twice.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from pathlib import Path

from PySide6.QtGui import QPixmap

from engine import Picture, load_picture, resource_path

from .qt_images import picture_to_pixmap
from .style_library import StyleLibrary

SAMPLE_PHOTO = ("images", "chelsea.png")
SAMPLE_KEY = ""  # the photo shown before the user opens one
PASTED_PREFIX = "clipboard:"
KEEP_PHOTOS = 3  # the current photo and a step or two of undo
KEEP_PASTED = 4
KEEP_PAINTINGS = 16


def sample_photo() -> Picture:
    return load_picture(resource_path(*SAMPLE_PHOTO))


class _Entry:
    def __init__(self, picture: Picture):
        self.picture = picture
        self.pixmap: QPixmap | None = None


class LoadedPictures:
    def __init__(self, library: StyleLibrary, max_input_pixels: int):
        self._library = library
        self._max_input_pixels = max_input_pixels
        self._photos: OrderedDict[str, _Entry] = OrderedDict()
        self._paintings: OrderedDict[str, _Entry] = OrderedDict()
        self._pasted: OrderedDict[str, _Entry] = OrderedDict()
        self._pasted_ids = itertools.count(1)

    def photo(self, key: str) -> Picture:
        """The photo ``key`` (a path, a pasted key, or SAMPLE_KEY); ImpastoError when it cannot be read,
        KeyError for a pasted photo no longer kept."""
        return self._photo_entry(key).picture

    def painting(self, style_id: str) -> Picture:
        """The library painting ``style_id``; ImpastoError or KeyError when it cannot be had."""
        return self._painting_entry(style_id).picture

    # Pixmaps are converted once per picture: converting a 24 MP photo on every slider move
    # would block the window for a noticeable moment.

    def photo_pixmap(self, key: str) -> QPixmap:
        return _pixmap_of(self._photo_entry(key))

    def painting_pixmap(self, style_id: str) -> QPixmap:
        return _pixmap_of(self._painting_entry(style_id))

    def add_pasted(self, picture: Picture) -> str:
        key = f"{PASTED_PREFIX}{next(self._pasted_ids)}"
        _remember(self._pasted, key, _Entry(picture), KEEP_PASTED)
        return key

    def _photo_entry(self, key: str) -> _Entry:
        if key.startswith(PASTED_PREFIX):
            self._pasted.move_to_end(key)
            return self._pasted[key]
        return _kept(self._photos, key, self._read_photo, KEEP_PHOTOS)

    def _painting_entry(self, style_id: str) -> _Entry:
        return _kept(self._paintings, style_id, self._read_painting, KEEP_PAINTINGS)

    def _read_photo(self, key: str) -> Picture:
        if key == SAMPLE_KEY:
            return sample_photo()
        return load_picture(Path(key), self._max_input_pixels)

    def _read_painting(self, style_id: str) -> Picture:
        return load_picture(self._library.path(self._library.get(style_id)))


def _pixmap_of(entry: _Entry) -> QPixmap:
    if entry.pixmap is None:
        entry.pixmap = picture_to_pixmap(entry.picture)
    return entry.pixmap


def _kept(entries: OrderedDict, key: str, read, keep: int) -> _Entry:
    if key not in entries:
        _remember(entries, key, _Entry(read(key)), keep)
    entries.move_to_end(key)
    return entries[key]


def _remember(entries: OrderedDict, key: str, entry: _Entry, keep: int) -> None:
    entries[key] = entry
    while len(entries) > keep:
        entries.popitem(last=False)
