"""Keeping freed CPU memory in the process between renders (Linux, glibc).

glibc hands every block above 32 MB straight back to the kernel when it is freed, and maps
fresh, zeroed pages for the next one. A 1024² preset render allocates about twenty such
blocks (a 32-channel activation at full size is 134 MB), so a third of its time went to page
faults. With big blocks taken from the heap instead, and one heap for all threads (the desktop
renders in a worker thread), the memory of one render is reused by the next (the figures are
in docs/benchmarks.md).

The price is memory that stays with the process after a render, so the engine gives it back
after a large one (an export), never after a preview. On other platforms and C libraries both
calls do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

# The heap's free top beyond this goes back to the kernel by itself: more than a 1024² render
# needs at its peak (about 0.9 GB), less than a big export leaves behind.
KEEP_FREE_TOP_BYTES = 1 << 30

# mallopt parameters, from glibc's malloc.h
_M_TRIM_THRESHOLD = -1
_M_MMAP_MAX = -4
_M_ARENA_MAX = -8


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "gnu_get_libc_version") else None  # glibc only, not musl


_LIBC = _glibc()
_kept = False


def keep_freed_memory() -> bool:
    """Reuse freed blocks instead of returning them to the kernel. Call it early, before the
    threads that render have started: a thread keeps the malloc arena it first used."""
    global _kept
    if _LIBC is None:
        return False
    if not _kept:
        _LIBC.mallopt(_M_ARENA_MAX, 1)
        _LIBC.mallopt(_M_MMAP_MAX, 0)
        _LIBC.mallopt(_M_TRIM_THRESHOLD, KEEP_FREE_TOP_BYTES)
        _kept = True
    return True


def return_freed_memory() -> bool:
    """Give the memory freed so far back to the kernel, so that one 100-megapixel export does
    not leave gigabytes with the process. True when some went back."""
    return bool(_kept and _LIBC.malloc_trim(0))
