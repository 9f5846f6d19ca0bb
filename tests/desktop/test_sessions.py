"""Sessions: a round trip gives the same state back, and every kind of bad file gets one clear
sentence (and, in the window, a banner with nothing changed)."""

import dataclasses
import json
import zipfile
from pathlib import Path

import pytest

from desktop.studio import PHOTO_STYLE, StudioState, StyleKey
from desktop.studio.library import StyleLibrary
from desktop.studio.region_masks import Brush, Regions, Stroke
from desktop.studio.session_file import (
    SETTING_TYPES,
    PhotoRef,
    SessionError,
    file_sha256,
    read_session,
    resolve,
    save_session,
)
from engine import RenderSettings

from .helpers import write_image

PHOTO_SIZE = (120, 80)


@pytest.fixture
def library(tmp_path) -> StyleLibrary:
    library = StyleLibrary(tmp_path / "styles")
    library.add(write_image(tmp_path / "starry.png", colour=(20, 40, 160)))
    return library


@pytest.fixture
def photo(tmp_path) -> Path:
    return write_image(tmp_path / "holiday.png", size=PHOTO_SIZE)


def painted_state(photo: Path, library: StyleLibrary) -> StudioState:
    painting = StyleKey.painting(library.styles[0].style_id)
    regions = Regions.empty_for(PHOTO_SIZE)
    for style, point in ((painting, (30, 20)), (StyleKey.preset(9), (90, 60)), (PHOTO_STYLE, (60, 40))):
        stroke = Stroke(regions, style, Brush(30, 0.5), PHOTO_SIZE)
        stroke.add(point)
        regions = stroke.regions()
    settings = RenderSettings(strength=0.6, colour="palette", stroke=2.0, output_long_side=3000, feather=12.0,
                              snap_to_edges=True)
    return StudioState(str(photo), (StyleKey.preset(3), StyleKey.preset(12)), (0.25, 0.75), settings, regions)


def saved(tmp_path, photo, library, state=None) -> Path:
    target = tmp_path / "work.impasto"
    ref = PhotoRef("file", str(photo), file_sha256(photo))
    save_session(target, state or painted_state(photo, library), ref, library)
    return target


def test_a_session_round_trips(tmp_path, photo, library):
    state = painted_state(photo, library)
    session = read_session(saved(tmp_path, photo, library, state))
    assert resolve(session, tmp_path / "work.impasto", library) == state
    assert len(state.regions.items) == 3


def test_region_strengths_round_trip_and_ask_for_a_newer_reader(tmp_path, photo, library):
    state = painted_state(photo, library)
    state = state.with_changes(regions=state.regions.with_strength(PHOTO_STYLE, 0.25))
    path = saved(tmp_path, photo, library, state)
    assert resolve(read_session(path), tmp_path / "work.impasto", library) == state
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == 3  # an Impasto that knows no strengths refuses it rather than drop them
    assert [item.get("strength") for item in manifest["regions"]["items"]] == [None, None, 0.25]


def test_the_settings_table_names_every_render_setting():
    assert set(SETTING_TYPES) == {f.name for f in dataclasses.fields(RenderSettings)}


def rewritten(path: Path, change) -> Path:
    """The session at ``path`` with its manifest passed through ``change`` (a dict -> None)."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(manifest):
        target = manifest
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


BAD_MANIFESTS = [
    (_set("version", 4), "newer Impasto"),
    (_set("format", "krita-document"), "not an Impasto session"),
    (_set("settings", "strength", 7), "strength must be between 0 and 1"),
    (_set("settings", "strength", True), "strength"),
    (_set("settings", "wobble", 1), "unknown setting 'wobble'"),
    (_set("settings", "feather", 1e9), "feather runs from"),
    (_set("weights", [float("nan"), 1]), "blend weight of nan"),
    (_set("weights", [1.0]), "one blend weight per style"),
    (_set("styles", [{"kind": "preset", "index": 99}]), "preset 99 does not exist"),
    (_set("styles", []), "not a selection"),
    (_set("regions", "size", [10**6, 3]), "regions' size"),
    (_set("regions", "items", 0, "mask", "masks/none.png"), "masks/none.png is missing"),
    (_set("regions", "items", 0, "mask", "manifest.json"), "not a readable PNG picture"),
    (_set("regions", "items", 0, "strength", 1.5), "a region's strength 1.5"),
    (_set("regions", "items", 0, "strength", "half"), "a region's strength 'half'"),
    (_set("photo", {"kind": "file", "path": "x.png", "sha256": "not hex"}), "not a SHA-256"),
]


@pytest.mark.parametrize(("change", "message"), BAD_MANIFESTS, ids=[message for _, message in BAD_MANIFESTS])
def test_absurd_values_are_refused_in_words(tmp_path, photo, library, change, message):
    path = rewritten(saved(tmp_path, photo, library), change)
    with pytest.raises(SessionError, match=message.replace("(", r"\(")):
        read_session(path)


def bad_files(tmp_path, photo, library) -> dict:
    good = saved(tmp_path, photo, library)
    data = good.read_bytes()
    files = {"letter.impasto": (b"Dear artist", "is not an Impasto session"),
             "empty.impasto": (b"", "is not an Impasto session"),
             "truncated.impasto": (data[: len(data) // 2], "damaged or truncated"),
             "notjson.impasto": (None, "not readable JSON")}
    for name, (content, _) in files.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
    with zipfile.ZipFile(tmp_path / "notjson.impasto", "w") as archive:
        archive.writestr("manifest.json", "{not json")
    with zipfile.ZipFile(tmp_path / "foreign.impasto", "w") as archive:
        archive.writestr("mimetype", "image/openraster")
    files["foreign.impasto"] = (None, "without Impasto's manifest")
    flipped = bytearray(data)  # one byte of a stored mask changed: its checksum no longer matches
    at = data.index(b"IDAT") + 8
    flipped[at] ^= 0xFF
    (tmp_path / "flipped.impasto").write_bytes(bytes(flipped))
    files["flipped.impasto"] = (None, "damaged")
    files["missing.impasto"] = (None, "not there any more")
    return {tmp_path / name: message for name, (_, message) in files.items()}


def test_bad_and_foreign_files_are_refused_in_words(tmp_path, photo, library):
    for path, message in bad_files(tmp_path, photo, library).items():
        with pytest.raises(SessionError, match=message):
            read_session(path)
    with pytest.raises(SessionError, match="is a folder"):
        read_session(tmp_path)


def test_a_missing_or_changed_photo_or_painting_is_named(tmp_path, photo, library):
    path = saved(tmp_path, photo, library)
    session = read_session(path)
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    photo.rename(moved / photo.name)
    with pytest.raises(SessionError, match="holiday.png, is missing"):
        resolve(session, path, library)
    (moved / photo.name).rename(photo)
    write_image(photo, colour=(1, 2, 3), size=PHOTO_SIZE)
    with pytest.raises(SessionError, match="has changed since the session was saved"):
        resolve(session, path, library)
    library.remove(library.styles[0].style_id)
    with pytest.raises(SessionError, match='painting "starry"'):
        resolve(session, path, library)


def test_a_photo_moved_beside_the_session_is_found(tmp_path, photo, library):
    path = saved(tmp_path, photo, library)
    folder = tmp_path / "together"
    folder.mkdir()
    path = path.rename(folder / path.name)
    photo.rename(folder / photo.name)
    assert resolve(read_session(path), path, library).content == str(folder / photo.name)


def test_a_painting_added_again_is_found_by_its_checksum(tmp_path, photo, library):
    path = saved(tmp_path, photo, library)
    old_id = library.styles[0].style_id
    library.remove(old_id)
    again = library.add(write_image(tmp_path / "starry.png", colour=(20, 40, 160)))
    state = resolve(read_session(path), path, library)
    assert StyleKey.painting(again.style_id) in state.regions.styles and again.style_id != old_id


def lying_about(path: Path, member: str, contents: bytes) -> Path:
    """The session at ``path`` with ``member`` replaced by ``contents``, declared 100 bytes long
    in both of the zip's headers: a few hundred KB that unpack to all of ``contents``."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist() if name != member}
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo(member), contents, zipfile.ZIP_DEFLATED)
        for name, data in members.items():
            archive.writestr(name, data)
    raw = bytearray(path.read_bytes())
    assert raw[:4] == b"PK\x03\x04" and raw[30 : 30 + len(member)] == member.encode()
    raw[22:26] = (100).to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    raw[central + 24 : central + 28] = (100).to_bytes(4, "little")
    path.write_bytes(raw)
    return path


# The high-water mark of the process's memory in MB (ru_maxrss would count the parent's, kept across exec).
PEAK_MB = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) // 1024"
READ_AND_MEASURE = f"""
import sys
from pathlib import Path
from desktop.studio.session_file import SessionError, read_session
before = {PEAK_MB}
try:
    read_session(Path(sys.argv[1]))
except SessionError as exc:
    print(exc)
print({PEAK_MB} - before)
"""


@pytest.mark.parametrize("member", ["manifest.json", "masks/0.png"])
def test_a_member_that_unpacks_to_far_more_than_it_says_is_refused_in_bounded_memory(tmp_path, photo, library, member):
    import subprocess
    import sys

    path = lying_about(saved(tmp_path, photo, library), member, bytes(512 << 20))
    assert path.stat().st_size < 1 << 20
    done = subprocess.run([sys.executable, "-c", READ_AND_MEASURE, str(path)], capture_output=True, text=True,
                          timeout=120, check=True)
    message, grown_mb = done.stdout.strip().rsplit("\n", 1)
    assert "is damaged" in message
    assert int(grown_mb) < 100  # ZipFile.read inflated all 512 MB (about 1 GB more) before its checksum failed


def test_a_mask_of_the_wrong_size_is_refused_from_its_header(tmp_path, photo, library):
    import io

    from PIL import Image

    session = saved(tmp_path, photo, library)
    buffer = io.BytesIO()
    Image.new("L", (5, 7)).save(buffer, "PNG")
    with zipfile.ZipFile(session) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["masks/0.png"] = buffer.getvalue()
    with zipfile.ZipFile(session, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(SessionError, match="not an 8-bit grey mask"):
        read_session(session)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_session_that_is_not_a_file_is_refused_at_once(tmp_path, kind):
    import os

    if kind == "fifo":
        path = tmp_path / "work.impasto"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    with pytest.raises(SessionError, match="not a session file"):
        read_session(path)  # a pipe would have blocked the window, the device read forever
