"""Paintings' style vectors, cached by the painting's pixels: in memory (most recently used
first) and, when a folder is given, on disk across sessions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

from .caching import LruCache
from .io.atomic import atomic_write
from .networks import STYLE_VECTOR_SIZE
from .picture import Picture

MEMORY_ENTRIES = 128


class StyleVectorCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self._memory: LruCache[str, torch.Tensor] = LruCache(MEMORY_ENTRIES)

    def get(self, picture: Picture, compute: Callable[[Picture], torch.Tensor], keep: bool = True) -> torch.Tensor:
        """``keep``: on disk too. A photo's own vector (a painting below strength 1, a "photo"
        region) is not: every preview photo and video frame would leave a file behind."""
        return self._memory.get(picture.content_hash,
                                lambda key: self._stored_or_computed(key, picture, compute, keep))

    def _stored_or_computed(self, key: str, picture: Picture, compute: Callable[[Picture], torch.Tensor],
                            keep: bool) -> torch.Tensor:
        vector = self._read(key) if keep else None
        if vector is None:
            vector = compute(picture)
            if keep:
                self._write(key, vector)
        return vector

    def _read(self, key: str) -> torch.Tensor | None:
        if self.folder is None:
            return None
        try:
            vector = np.load(self.folder / f"{key}.npy")
        except (OSError, ValueError):
            return None  # absent or damaged: compute it again
        return torch.from_numpy(vector).float().view(1, -1) if vector.size == STYLE_VECTOR_SIZE else None

    def _write(self, key: str, vector: torch.Tensor) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with atomic_write(self.folder / f"{key}.npy", overwrite=True) as handle:
                np.save(handle, vector.numpy())
        except OSError:
            pass  # a cache that cannot be written only costs time
