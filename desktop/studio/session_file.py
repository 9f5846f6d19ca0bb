"""Sessions: the studio's work in one ``.impasto`` file, to close the app and go on later.

A session is a small zip: ``manifest.json`` (format and version, the photo's path and SHA-256
or the clip's path,
the styles — preset numbers, or painting ids with their names and checksums — the blend
weights, every render setting, the regions with their styles) and each region's mask as an
8-bit PNG under ``masks/``. A pasted photo, which has no file, travels inside as ``photo.png``.
Written atomically. Read back with every value checked: a file that is not a session, is
damaged or truncated, comes from a newer Impasto, or holds absurd values raises
``SessionError`` with one sentence for the artist, and nothing else happens.

No widgets here: the studio calls ``save_session`` and ``read_session`` then ``resolve``.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import stat
import zipfile
import zlib
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import numpy as np
from PIL import Image

from engine import MAX_INPUT_PIXELS, PRESET_COUNT, Picture, RenderSettings, atomic_write, to_pil

from .library import StyleLibrary
from .region_masks import MASK_LONG_SIDE, Region, Regions, frozen
from .state import StudioState
from .style_keys import PHOTO_STYLE, StyleKey

SUFFIX = ".impasto"
FILTER = "Impasto session (*.impasto)"
FORMAT = "impasto-session"
VERSION = 3  # the newest format read: 2 added clips, 3 region strengths (each written as the oldest that holds it)
MANIFEST, EMBEDDED_PHOTO = "manifest.json", "photo.png"
MAX_MANIFEST_BYTES = 1 << 20
MAX_MASK_BYTES = 16 << 20  # a mask is at most MASK_LONG_SIDE² bytes; generous for other sizes
MAX_ENTRIES = 200
MAX_STYLES = 64
MAX_MASK_SIDE = 4 * MASK_LONG_SIDE  # masks of another size are stretched, but none absurdly large
# Each setting and the JSON types it may have (a test keeps this equal to RenderSettings' fields).
SETTING_TYPES = {"strength": (float,), "colour": (str,), "stroke": (float, type(None)),
                 "output_long_side": (int, type(None)), "max_working_side": (int, type(None)),
                 "quality": (str,), "feather": (float,), "snap_to_edges": (bool,)}


class SessionError(Exception):
    """A session that cannot be saved or opened, in one sentence for the artist."""


@dataclass(frozen=True)
class PhotoRef:
    kind: str  # "file", "sample" (the bundled photo), "embedded" (a pasted photo, inside the session) or "clip"
    path: str = ""  # a file's or a clip's (a video, or a folder of frames), absolute
    sha256: str = ""  # a file's


@dataclass(frozen=True)
class PaintingRef:
    style_id: str
    name: str
    sha256: str
    learned: bool = False  # it painted with a style learned from it when saved


@dataclass(frozen=True, eq=False)
class Session:
    """What a session file holds, checked; its paintings and photo not yet found."""

    photo: PhotoRef
    state: StudioState  # content not yet set: the photo is found by ``resolve``
    paintings: dict[str, PaintingRef]  # by the style id they had when saved
    embedded_photo: Picture | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# -- writing --------------------------------------------------------------------------------

def save_session(path: Path, state: StudioState, photo: PhotoRef, library: StyleLibrary,
                 embedded_photo: Picture | None = None) -> None:
    """Write ``state`` to ``path`` atomically (replacing it: the save dialog asked). Raises OSError."""
    manifest = {
        "format": FORMAT, "version": _version_for(photo, state), "photo": asdict(photo),
        "styles": [_style_entry(key, library) for key in state.style_keys],
        "weights": list(state.weights),
        "settings": asdict(state.settings),
        "regions": {"size": list(state.regions.size),
                    "items": [_region_entry(region, index, library) for index, region in enumerate(state.regions.items)]},
    }
    with atomic_write(path, overwrite=True) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
        for index, region in enumerate(state.regions.items):
            archive.writestr(f"masks/{index}.png", _png(Image.fromarray(region.mask, "L")), zipfile.ZIP_STORED)
        if embedded_photo is not None:
            archive.writestr(EMBEDDED_PHOTO, _png(to_pil(embedded_photo)), zipfile.ZIP_STORED)


def _version_for(photo: PhotoRef, state: StudioState) -> int:
    """The oldest format that holds the session: an older Impasto refuses a newer one in words,
    rather than dropping what it does not know."""
    if any(region.strength is not None for region in state.regions.items):
        return 3
    return 2 if photo.kind == "clip" else 1


def _region_entry(region: Region, index: int, library: StyleLibrary) -> dict:
    entry: dict[str, object] = {"style": _style_entry(region.style, library), "mask": f"masks/{index}.png"}
    if region.strength is not None:  # sessions of before region strengths have none: the default
        entry["strength"] = region.strength
    return entry


def _style_entry(key: StyleKey, library: StyleLibrary) -> dict:
    if key.kind == "painting":
        style = library.get(key.painting_id)
        entry: dict[str, object] = {"kind": "painting", "id": key.ident, "name": style.name,
                                    "sha256": file_sha256(library.path(style))}
        if library.has_learned(key.painting_id):  # a record: an older Impasto, without learned styles, skips it
            entry["learned"] = True
        return entry
    return {"kind": "preset", "index": key.ident} if key.kind == "preset" else {"kind": "photo"}


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


# -- reading --------------------------------------------------------------------------------

def read_session(path: Path) -> Session:
    """The session in ``path``, every value checked; ``SessionError`` says what is wrong."""
    name = path.name
    try:
        if not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path):
            # never opened: a pipe would block the window, a device never ends
            raise SessionError(f"{name} is not a session file (a pipe, socket or device).")
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise SessionError(f"{name} is not there any more.") from None
    except IsADirectoryError:
        raise SessionError(f"{name} is a folder, not a session.") from None
    except zipfile.BadZipFile:
        raise SessionError(_not_a_zip(path)) from None
    except OSError as exc:
        raise SessionError(f"{name} cannot be read: {exc.strerror or exc}.") from None
    with archive:
        try:
            return _Reader(archive, name).session(_manifest(archive, name))
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
            raise SessionError(f"{name} is damaged: part of it cannot be unpacked.") from None
        except OSError as exc:
            raise SessionError(f"{name} cannot be read: {exc.strerror or exc}.") from None


def read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, most_bytes: int) -> bytes | None:
    """A member's bytes, unpacked a little at a time, or None once they pass ``most_bytes``: a
    member may say it is small and unpack to gigabytes (a few MB of zeros), and ``ZipFile.read``
    inflates it all before the checksum finds out."""
    parts, total = [], 0
    with archive.open(info) as member:
        while chunk := member.read(1 << 16):
            total += len(chunk)
            if total > most_bytes:
                return None
            parts.append(chunk)
    return b"".join(parts)


def _not_a_zip(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            starts_like_a_zip = handle.read(4) == b"PK\x03\x04"
    except OSError:
        starts_like_a_zip = False
    if starts_like_a_zip:
        return f"{path.name} is damaged or truncated (it ends before its table of contents)."
    return f"{path.name} is not an Impasto session."


def _manifest(archive: zipfile.ZipFile, name: str) -> dict:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise SessionError(f"{name} is not an Impasto session (it holds {len(entries)} files).")
    try:
        info = archive.getinfo(MANIFEST)
    except KeyError:
        raise SessionError(f"{name} is not an Impasto session (a zip without Impasto's manifest).") from None
    if info.file_size > MAX_MANIFEST_BYTES:
        raise SessionError(f"{name} is not an Impasto session (its manifest is far too large).")
    contents = read_capped(archive, info, MAX_MANIFEST_BYTES)
    if contents is None:
        raise SessionError(f"{name} is damaged: its manifest unpacks to far more than it says.")
    try:
        manifest = json.loads(contents.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # nested thousands deep: not ours either
        raise SessionError(f"{name} is damaged: its manifest is not readable JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise SessionError(f"{name} is not an Impasto session (its manifest is another program's).")
    version = manifest.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SessionError(f"{name} is damaged: its format version is {version!r}.")
    if version > VERSION:
        raise SessionError(f"{name} was saved by a newer Impasto (session format {version}; this one reads "
                           f"format {VERSION}). Update Impasto to open it.")
    return manifest


class _Reader:
    """Reads the manifest's parts, each checked; any problem is a ``SessionError`` naming it."""

    def __init__(self, archive: zipfile.ZipFile, name: str):
        self.archive, self.name = archive, name

    def fail(self, what: str) -> SessionError:
        return SessionError(f"{self.name} is damaged or was edited by hand: {what}.")

    def session(self, manifest: dict) -> Session:
        paintings: dict[str, PaintingRef] = {}
        keys = [self.style(entry, paintings) for entry in self.items(manifest.get("styles"), "styles", MAX_STYLES)]
        if not keys or PHOTO_STYLE in keys or len(set(keys)) != len(keys):
            raise self.fail("its styles are not a selection of the gallery")
        weights = self.weights(manifest.get("weights"), len(keys))
        state = StudioState(style_keys=tuple(keys), weights=weights, settings=self.settings(manifest.get("settings")),
                            regions=self.regions(manifest.get("regions"), paintings))
        photo = self.photo(manifest.get("photo"))
        embedded = self.embedded_photo() if photo.kind == "embedded" else None
        return Session(photo, state, paintings, embedded)

    def items(self, value, what: str, most: int) -> list:
        if not isinstance(value, list) or len(value) > most:
            raise self.fail(f"{what} should be a list of at most {most}")
        return value

    def text(self, entry: dict, field: str, pattern_length: int | None = None) -> str:
        value = entry.get(field)
        if not isinstance(value, str) or not value or len(value) > 4096:
            raise self.fail(f"{field} should be text")
        if pattern_length is not None and (len(value) != pattern_length or any(c not in "0123456789abcdef"
                                                                             for c in value)):
            raise self.fail(f"{field} is not a SHA-256 checksum")
        return value

    def style(self, entry, paintings: dict) -> StyleKey:
        if not isinstance(entry, dict):
            raise self.fail("a style is not described")
        kind = entry.get("kind")
        if kind == "preset":
            index = entry.get("index")
            if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < PRESET_COUNT:
                raise self.fail(f"preset {index!r} does not exist (there are {PRESET_COUNT}, from 0)")
            return StyleKey.preset(index)
        if kind == "painting":
            ref = PaintingRef(self.text(entry, "id"), self.text(entry, "name"), self.text(entry, "sha256", 64),
                              entry.get("learned") is True)
            paintings[ref.style_id] = ref
            return StyleKey.painting(ref.style_id)
        if kind == "photo":
            return PHOTO_STYLE
        raise self.fail(f"a style of kind {kind!r}")

    def weights(self, value, count: int) -> tuple[float, ...]:
        if not isinstance(value, list) or len(value) != count:
            raise self.fail("there should be one blend weight per style")
        for weight in value:
            if not _is_number(weight) or not 0 <= weight <= 1:
                raise self.fail(f"a blend weight of {weight!r} (weights run from 0 to 1)")
        return tuple(float(weight) for weight in value)

    def settings(self, value) -> RenderSettings:
        if not isinstance(value, dict):
            raise self.fail("the settings are missing")
        for name, setting in value.items():
            allowed = SETTING_TYPES.get(name)
            if allowed is None:
                raise self.fail(f"an unknown setting {name!r}")
            if not any(_is_number(setting) if kind is float else (type(setting) is kind) for kind in allowed):
                raise self.fail(f"the setting {name} = {setting!r}")
        try:
            return RenderSettings(**value).with_changes(max_working_side=None)
        except Exception as exc:  # noqa: BLE001 - the engine's own words for a value out of range
            raise self.fail(str(exc)) from None

    def regions(self, value, paintings: dict) -> Regions:
        if not isinstance(value, dict):
            raise self.fail("the regions are missing")
        size = value.get("size")
        if (not isinstance(size, list) or len(size) != 2 or not all(type(side) is int for side in size)
                or not all(0 <= side <= MAX_MASK_SIDE for side in size)):
            raise self.fail(f"the regions' size {size!r}")
        items: list[Region] = []
        for entry in self.items(value.get("items"), "regions", MAX_STYLES):
            if not isinstance(entry, dict):
                raise self.fail("a region is not described")
            style = self.style(entry.get("style"), paintings)
            if any(region.style == style for region in items):
                raise self.fail("two regions of one style")
            items.append(Region(style, self.mask(self.text(entry, "mask"), tuple(size)), self.strength(entry)))
        return Regions(tuple(size), tuple(region for region in items if region.mask.any()))

    def strength(self, entry: dict) -> float | None:
        strength = entry.get("strength")
        if strength is None:
            return None
        if not _is_number(strength) or not 0 <= strength <= 1:
            raise self.fail(f"a region's strength {strength!r}")
        return float(strength)

    def mask(self, member: str, size: tuple[int, int]) -> np.ndarray:
        # An 8-bit grey PNG of ``size`` is at most its pixels, a filter byte a row and the zip's and
        # PNG's own overhead: a member that unpacks to more is not such a mask.
        most = min(MAX_MASK_BYTES, size[0] * size[1] + size[1] + (64 << 10))

        def is_mask(image: Image.Image) -> bool:
            return image.mode == "L" and image.size == size

        image = self.image(member, most, is_mask, f"{member} is not an 8-bit grey mask of {size[0]}x{size[1]}")
        return frozen(np.array(image, dtype=np.uint8))

    def photo(self, value) -> PhotoRef:
        if not isinstance(value, dict) or value.get("kind") not in ("file", "sample", "embedded", "clip"):
            raise self.fail("its photo is not described")
        kind = value["kind"]
        if kind == "sample":
            return PhotoRef("sample")
        if kind == "embedded":
            return PhotoRef("embedded")
        if kind == "clip":  # no checksum: a clip can be gigabytes; it is checked when it is opened
            return PhotoRef("clip", self.text(value, "path"))
        return PhotoRef("file", self.text(value, "path"), self.text(value, "sha256", 64))

    def embedded_photo(self) -> Picture:
        image = self.image(EMBEDDED_PHOTO, 4 * MAX_INPUT_PIXELS)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.mode else "RGB")
        pixels = np.asarray(image)
        alpha = np.ascontiguousarray(pixels[:, :, 3]) if image.mode == "RGBA" else None
        return Picture(np.ascontiguousarray(pixels[:, :, :3]), alpha, None, "pasted image")

    def image(self, member: str, most_bytes: int, expected=None, unexpected: str = "") -> Image.Image:
        """A PNG member, its unpacked size capped and, before it is decoded, its header checked
        (``expected(image)``, else ``unexpected`` is the failure)."""
        try:
            info = self.archive.getinfo(member)
        except KeyError:
            raise self.fail(f"{member} is missing") from None
        if info.file_size > most_bytes:
            raise self.fail(f"{member} is far too large")
        contents = read_capped(self.archive, info, most_bytes)
        if contents is None:
            raise self.fail(f"{member} unpacks to far more than it says")
        try:
            image = Image.open(io.BytesIO(contents))
            if image.format != "PNG" or image.width * image.height > MAX_INPUT_PIXELS:
                raise self.fail(f"{member} is not a PNG picture of a sensible size")
            if expected is not None and not expected(image):
                raise self.fail(unexpected)
            image.load()
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise self.fail(f"{member} is not a readable PNG picture") from None
        return image


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


# -- finding the photo and the paintings ---------------------------------------------------

def resolve(session: Session, session_path: Path, library: StyleLibrary) -> StudioState:
    """The session's state with its photo or clip found (``content``: a path, or "" for the
    sample; an embedded photo is left to the caller) and its paintings found in ``library``, by id or by
    checksum. ``SessionError`` says which is missing or changed."""
    renamed = {old: _painting_in(library, ref, session_path.name) for old, ref in session.paintings.items()}

    def found(key: StyleKey) -> StyleKey:
        return StyleKey.painting(renamed[key.painting_id]) if key.kind == "painting" else key

    state = session.state
    regions = Regions(state.regions.size, tuple(replace(r, style=found(r.style)) for r in state.regions.items))
    state = state.with_changes(style_keys=tuple(found(k) for k in state.style_keys), regions=regions)
    if session.photo.kind == "file":
        return state.with_changes(content=str(_photo_file(session.photo, session_path)))
    if session.photo.kind == "clip":
        return state.with_changes(content=str(_clip_path(session.photo, session_path)), content_kind="clip")
    return state


def learned_styles_missing(session: Session, library: StyleLibrary) -> list[str]:
    """The names of the paintings that painted with a learned style when the session was saved
    and have none now (they paint as they are)."""
    missing = []
    for ref in session.paintings.values():
        if not ref.learned:
            continue
        try:
            style_id = _painting_in(library, ref, "")
        except SessionError:
            continue  # the painting itself is missing: resolve says so
        if not library.has_learned(style_id):
            missing.append(ref.name)
    return missing


def _painting_in(library: StyleLibrary, ref: PaintingRef, session_name: str) -> str:
    candidates = sorted(library.styles, key=lambda style: style.style_id != ref.style_id)  # its own id first
    for style in candidates:
        try:
            if file_sha256(library.path(style)) == ref.sha256:
                return style.style_id
        except OSError:
            continue
    raise SessionError(f"The painting \"{ref.name}\" of {session_name} is not among your styles (or has changed): "
                       f"add it to the gallery and open the session again.")


def _clip_path(ref: PhotoRef, session_path: Path) -> Path:
    """The clip where it was, or else beside the session file."""
    return _found(ref, session_path, "clip", Path.exists)


def _photo_file(ref: PhotoRef, session_path: Path) -> Path:
    """The photo where it was, or else beside the session file; unchanged since the save."""
    candidate = _found(ref, session_path, "photo", Path.is_file)
    try:
        same = file_sha256(candidate) == ref.sha256
    except OSError as exc:
        raise SessionError(f"The photo {candidate} cannot be read: {exc.strerror or exc}.") from None
    if not same:
        raise SessionError(f"The photo {candidate} has changed since the session was saved (its contents "
                           f"differ), so its regions may no longer fit; the session was not opened.")
    return candidate


def _found(ref: PhotoRef, session_path: Path, what: str, present) -> Path:
    """Where the session's photo or clip is now: where it was, or else beside the session file."""
    saved = Path(ref.path)
    for candidate in (saved, session_path.parent / saved.name):
        if present(candidate):
            return candidate
    raise SessionError(f"The {what} of {session_path.name}, {saved}, is missing: put it back (or beside the "
                       f"session file) and open the session again.")

