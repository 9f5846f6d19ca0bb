"""Atomic outputs for clips: everything is written under a temporary name beside the target and
published at the end; any exception — a full disk, ``Cancelled``, Ctrl+C — removes it, so no
half clip is ever left. A file goes through ``engine.atomic.atomic_path`` (the pictures' own
guarantees: never replacing by surprise, the umask's permissions, a recognisable stray name); a
folder of frames is built under a temporary name and renamed.
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import VideoWriteError
from ..io.atomic import atomic_path, new_temporary_folder


@contextmanager
def atomic_file(path: Path, overwrite: bool) -> Iterator[Path]:
    """A temporary file name beside ``path``; the file written there becomes ``path`` when the
    block ends normally."""
    check_file_target(path, overwrite)
    try:
        with atomic_path(path, overwrite=overwrite) as temporary:
            yield temporary
    except FileExistsError:
        raise VideoWriteError(f"{path} appeared while writing; nothing was overwritten") from None


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder beside ``path``; it becomes ``path`` when the block ends normally.
    ``path`` must not exist or be an empty folder: a folder of frames is never merged into."""
    check_folder_target(path)
    temp = new_temporary_folder(path)
    try:
        yield temp
        try:
            if path.exists():
                path.rmdir()  # empty, checked above; fails (and keeps everything) if something arrived since
            os.rename(temp, path)
        except OSError as exc:
            if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST, errno.ENOTDIR):
                raise
            raise VideoWriteError(f"{path} appeared while writing; nothing was overwritten") from None
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def check_folder_target(path: Path) -> None:
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise VideoWriteError(f"{path} already exists and is not an empty folder; choose a new folder for the frames")
    if not path.parent.is_dir():
        raise VideoWriteError(f"{path.parent}: no such folder")


def check_file_target(path: Path, overwrite: bool) -> None:
    if path.exists() and not overwrite:
        raise VideoWriteError(f"{path} already exists; choose another name or allow overwriting (--overwrite)")
    if path.is_dir():
        raise VideoWriteError(f"{path} is a folder")
    if not path.parent.is_dir():
        raise VideoWriteError(f"{path.parent}: no such folder")
