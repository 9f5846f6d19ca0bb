"""Writing a file so that it appears whole or not at all, and never replaces another by surprise.

Everything Impasto writes — pictures, the desktop's settings and style library, cached style
vectors — goes through ``atomic_write``: the bytes go to a temporary file in the same folder,
which is then published under the final name. The temporary file is removed on every way out
(an error, Ctrl+C, a SIGTERM the command line turns into Ctrl+C); only a hard kill or a power
cut can leave one behind. Such a stray is recognised by its name: it starts with
``.impasto-`` and ends with ``.part`` (``is_temporary_name``), and it is safe to delete when no
save is running.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TEMPORARY_PREFIX = ".impasto-"
TEMPORARY_SUFFIX = ".part"
# Enough of the final name to tell which save a stray belonged to; never so much that the
# temporary name is longer than the final one (a 240-character name must still save).
_TEMPORARY_STEM_BYTES = 40
_FIXED_NAME_BYTES = len(TEMPORARY_PREFIX) + 1 + 8 + len(TEMPORARY_SUFFIX)  # prefix, "-", 8 random hex, suffix
_CREATE_ATTEMPTS = 100

# link() fails with these where a file system has no hard links (FAT, exFAT, some network shares).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}


def is_temporary_name(name: str) -> bool:
    """Whether a file name is one of ``atomic_write``'s temporary files."""
    return name.startswith(TEMPORARY_PREFIX) and name.endswith(TEMPORARY_SUFFIX)


@contextmanager
def atomic_write(path: str | os.PathLike, *, overwrite: bool = False) -> Iterator[BinaryIO]:
    """A binary file to write into; published under ``path`` when the block ends without error.

    Without ``overwrite``, an existing ``path`` raises ``FileExistsError``, both before anything
    is written and at the moment of publishing (two writers racing for one name: exactly one
    wins). With it, the file is replaced in one step and keeps its own permissions. A new file
    gets the permissions any new file gets here (0666 less the umask). Other failures raise
    ``OSError`` as the system reports them; the temporary file never stays behind.
    """
    with atomic_path(path, overwrite=overwrite) as temporary, open(temporary, "wb") as handle:
        yield handle


@contextmanager
def atomic_path(path: str | os.PathLike, *, overwrite: bool = False) -> Iterator[Path]:
    """``atomic_write`` for writers that open a file by its name (FFmpeg's): a temporary file's
    path, published under ``path`` when the block ends without error, with the same guarantees."""
    path = Path(path)
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))
    temporary = None
    try:
        temporary, handle = _create_temporary(path)
        handle.close()
        yield Path(temporary)
        _flush_to_disk(temporary)  # the bytes are on disk before the name points at them
        if overwrite:
            _keep_permissions(path, temporary)
            os.replace(temporary, path)
        else:
            _publish_without_replacing(temporary, path)
        temporary = None
    finally:
        if temporary is not None:
            _remove_quietly(temporary)


def _flush_to_disk(name: str) -> None:
    with open(name, "rb") as handle:
        os.fsync(handle.fileno())


def new_temporary_folder(path: str | os.PathLike) -> Path:
    """An empty folder beside ``path`` under a recognisable temporary name, with the permissions
    any new folder gets here (0777 less the umask; mkdtemp's 0700 would make it private)."""
    path = Path(path)
    for _ in range(_CREATE_ATTEMPTS):
        temporary = path.parent / _temporary_name(path)
        try:
            os.mkdir(temporary, 0o777)
        except FileExistsError:
            continue
        return temporary
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def check_can_create_files(folder: str | os.PathLike) -> None:
    """Raise the ``OSError`` that writing into ``folder`` would meet (no permission, a read-only
    file system, not a folder), by creating and removing one temporary file there."""
    temporary, handle = _create_temporary(Path(folder) / "check")
    handle.close()
    os.unlink(temporary)


def name_too_long(path: str | os.PathLike) -> int | None:
    """The file system's longest file name in bytes if ``path``'s own name is longer, else None."""
    path = Path(path)
    try:
        longest = os.pathconf(path.parent, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):  # no such folder yet, or no pathconf (Windows)
        longest = 255
    return longest if len(os.fsencode(path.name)) > longest else None


def _temporary_name(path: Path) -> str:
    final = os.fsencode(path.name)
    budget = max(0, min(_TEMPORARY_STEM_BYTES, len(final) - _FIXED_NAME_BYTES))
    stem = path.stem
    while len(os.fsencode(stem)) > budget:  # cut whole characters, never half of one
        stem = stem[:-1]
    return f"{TEMPORARY_PREFIX}{stem}-{os.urandom(4).hex()}{TEMPORARY_SUFFIX}"


def _create_temporary(path: Path) -> tuple[str, BinaryIO]:
    # 0o666 and the kernel applies the umask: mkstemp's 0600 would make every output private.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_CREATE_ATTEMPTS):
        temporary = os.path.join(path.parent, _temporary_name(path))
        try:
            descriptor = os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
        try:
            return temporary, os.fdopen(descriptor, "wb")
        except BaseException:
            os.close(descriptor)
            _remove_quietly(temporary)
            raise
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def _keep_permissions(path: Path, temporary: str) -> None:
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return  # nothing to replace: the new file's own permissions stand
    try:
        os.chmod(temporary, mode)
    except OSError:
        pass  # a file system without modes (FAT) keeps what it has


def _publish_without_replacing(temporary: str, path: Path) -> None:
    """Give the finished file its final name unless that name exists, in one atomic step."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        _rename_without_replacing(temporary, path)
        return
    os.unlink(temporary)


def _rename_without_replacing(temporary: str, path: Path) -> None:
    if sys.platform == "win32":
        os.rename(temporary, path)  # Windows' rename never replaces an existing file
        return
    code = _exclusive_rename(os.fsencode(temporary), os.fsencode(path))
    if code == 0:
        return
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), str(path))
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        raise OSError(errno.ENOTSUP, "this file system cannot add a file without risking replacing one of the "
                      "same name (it has neither hard links nor an exclusive rename); allow overwriting or "
                      "choose another folder", str(path))
    raise OSError(code, os.strerror(code), str(path))


def _exclusive_rename(source: bytes, target: bytes) -> int:
    """0, or the error of renameat2(RENAME_NOREPLACE) on Linux, renamex_np(RENAME_EXCL) on macOS."""
    libc = ctypes.CDLL(None, use_errno=True)
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        at_current_folder, rename_noreplace = -100, 1
        result = libc.renameat2(at_current_folder, source, at_current_folder, target, rename_noreplace)
    elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
        rename_excl = 4
        result = libc.renamex_np(source, target, rename_excl)
    else:
        return errno.ENOTSUP
    return 0 if result == 0 else ctypes.get_errno()


def _remove_quietly(temporary: str) -> None:
    try:
        os.unlink(temporary)
    except OSError:
        pass
