"""Typed errors: the engine raises these and never exits, prints or shows a dialog.

Every message is written for the person using the app: what went wrong, with which file,
and what to do about it.
"""


class ImpastoError(Exception):
    """Base of every error the engine raises on purpose."""


class ModelFileError(ImpastoError):
    """A network's weight file is missing, altered or unreadable."""


class DeviceUnavailableError(ImpastoError):
    """An explicitly requested device (cuda, mps) is not available on this machine."""


class ImageReadError(ImpastoError):
    """A file is missing, empty, corrupt, truncated, not an image, or too large."""


class ImageWriteError(ImpastoError):
    """An output could not be written (exists already, folder missing, disk full)."""


class InvalidRequestError(ImpastoError):
    """A render request or setting is out of range."""


class OutOfMemoryError(ImpastoError):
    """A render needs more memory than the device has, even after the engine's own retries."""


class Cancelled(Exception):
    """Raised inside a render when its token was cancelled. Not an error: the user asked for it."""


class VideoReadError(ImageReadError):
    """A clip cannot be read: no video stream, a codec this build cannot decode, no frames,
    truncated, or a frame folder that is not one sequence."""


class VideoWriteError(ImageWriteError):
    """A clip cannot be written: a container that cannot hold the codec or the audio, a disk
    that fills up."""
