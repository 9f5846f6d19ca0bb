"""Typed errors: the engine raises these and never exits, prints or shows a dialog.

Every message is written for the person using the app: what went wrong, with which file,
and what to do about it.
"""

import errno


class ImpastoError(Exception):
    """Base of every error the engine raises on purpose."""


class ModelFileError(ImpastoError):
    """A network's weight file is missing, altered or unreadable."""


class DeviceUnavailableError(ImpastoError):
    """An explicitly requested device (cuda, mps) is not available on this machine."""


class ImageReadError(ImpastoError):
    """A file is missing, empty, corrupt, truncated, not an image, or too large."""


class PictureTooLargeError(ImageReadError):
    """A picture has more pixels than the limit set for this run (a guard against decompression
    bombs). Front ends add how their user raises the limit."""


class ImageWriteError(ImpastoError):
    """An output could not be written (exists already, folder missing, disk full)."""


class InvalidRequestError(ImpastoError):
    """A render request or setting is out of range."""


class OutOfMemoryError(ImpastoError):
    """A render needs more memory than the device has, even after the engine's own retries."""


class Cancelled(Exception):
    """Raised inside a render when its token was cancelled. Not an error: the user asked for it."""


_OS_REASONS = {
    errno.ENOENT: "no such file or folder",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", -1): "the disk quota is used up",
    errno.ENAMETOOLONG: "the name is longer than the file system allows",
    errno.ELOOP: "a link loop (a link that leads back to itself)",
    errno.ENOTDIR: "a part of the path is not a folder",
    errno.EISDIR: "it is a folder",
    errno.EIO: "the device reported an input/output error",
}


def describe_os_error(exc: OSError) -> str:
    """What an operating-system error means, in words for the user, without the path (the
    message it goes into names the file already)."""
    return _OS_REASONS.get(exc.errno) or exc.strerror or str(exc)


class VideoReadError(ImageReadError):
    """A clip cannot be read: no video stream, a codec this build cannot decode, no frames,
    truncated, or a frame folder that is not one sequence."""


class VideoWriteError(ImageWriteError):
    """A clip cannot be written: a container that cannot hold the codec or the audio, a disk
    that fills up."""
