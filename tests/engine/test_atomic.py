"""``atomic_write``: whole or nothing, never replacing by surprise, ordinary permissions, short
temporary names, and no temporary file left on any way out."""

import errno
import multiprocessing
import os
import stat

import numpy as np
import pytest

from engine import ImageWriteError, Picture, atomic_write, is_temporary_name, save_picture
from engine.io.atomic import TEMPORARY_PREFIX, _temporary_name

RACE_TRIALS = 200


def leftovers(folder):
    return [p.name for p in folder.rglob("*") if is_temporary_name(p.name)]


def small_picture() -> Picture:
    return Picture.from_uint8(np.full((16, 16, 3), 90, np.uint8))


@pytest.fixture
def umask():
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def test_a_long_name_saves_and_its_temporary_name_stays_short(tmp_path):
    target = tmp_path / ("l" * 236 + ".png")  # 240 characters: legal, too long for ".<name>.XXXX.part"
    assert save_picture(small_picture(), target).exists()
    temporary = _temporary_name(target)
    assert temporary.startswith(TEMPORARY_PREFIX) and is_temporary_name(temporary)
    assert len(os.fsencode(temporary)) <= 64
    short = _temporary_name(tmp_path / "a.png")
    assert is_temporary_name(short) and len(short) < 32


def test_a_multibyte_name_is_cut_between_characters(tmp_path):
    name = _temporary_name(tmp_path / ("写真" * 60 + ".png"))
    assert is_temporary_name(name) and name.encode("utf-8")  # no half character: encodes cleanly


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_a_new_file_gets_the_permissions_of_any_new_file(tmp_path, umask, mask, mode):
    umask(mask)
    path = save_picture(small_picture(), tmp_path / "out.png")
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_an_overwritten_file_keeps_its_own_permissions(tmp_path, umask):
    target = tmp_path / "out.png"
    target.write_bytes(b"old")
    target.chmod(0o604)
    save_picture(small_picture(), target, overwrite=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o604 and target.read_bytes()[:4] == b"\x89PNG"


def test_never_replaces_without_asking_and_writes_nothing(tmp_path):
    target = tmp_path / "kept.bin"
    target.write_bytes(b"precious")
    with pytest.raises(FileExistsError), atomic_write(target) as out:
        out.write(b"new")
    assert target.read_bytes() == b"precious" and leftovers(tmp_path) == []


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError, OSError])
def test_every_way_out_removes_the_temporary_file(tmp_path, interruption):
    target = tmp_path / "out.bin"
    with pytest.raises(interruption), atomic_write(target) as out:
        out.write(b"half a picture")
        assert len(leftovers(tmp_path)) == 1
        raise interruption()
    assert list(tmp_path.iterdir()) == []


def test_without_hard_links_an_exclusive_rename_publishes(tmp_path, monkeypatch):
    def no_links(_source, _target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "out.bin"
    with atomic_write(target) as out:
        out.write(b"first")
    with pytest.raises(FileExistsError), atomic_write(tmp_path / "other.bin") as out:
        out.write(b"second")
        (tmp_path / "other.bin").write_bytes(b"arrived meanwhile")
    assert target.read_bytes() == b"first" and (tmp_path / "other.bin").read_bytes() == b"arrived meanwhile"
    assert leftovers(tmp_path) == []


def test_without_links_or_exclusive_rename_the_error_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "link", lambda *_: (_ for _ in ()).throw(OSError(errno.EPERM, "no links")))
    monkeypatch.setattr("engine.io.atomic._exclusive_rename", lambda *_: errno.EINVAL)
    with pytest.raises(ImageWriteError, match="out.png.*neither hard links nor an exclusive rename.*overwriting"):
        save_picture(small_picture(), tmp_path / "out.png")
    assert list(tmp_path.iterdir()) == []
    assert save_picture(small_picture(), tmp_path / "out.png", overwrite=True).exists()  # replacing needs neither


def test_a_full_disk_is_reported_and_leaves_nothing(tmp_path, monkeypatch):
    def disk_full(_descriptor):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ImageWriteError, match="out.png: the disk is full"):
        save_picture(small_picture(), tmp_path / "out.png")
    assert list(tmp_path.iterdir()) == []


def _race(barrier, folder: str, worker: int, results) -> None:
    from pathlib import Path

    from engine import ImageWriteError, Picture, save_picture

    picture = Picture.from_uint8(np.full((16, 16, 3), 40 * worker, np.uint8))
    won = []
    for trial in range(RACE_TRIALS):
        barrier.wait()
        try:
            save_picture(picture, Path(folder) / f"{trial}.png")
            won.append(trial)
        except ImageWriteError as exc:
            assert "exists" in str(exc), exc
    results.put((worker, won))


def test_two_writers_racing_for_one_name_exactly_one_wins(tmp_path):
    """The same-moment race of the issue (32 double wins in 1000 trials with exists-then-rename)."""
    context = multiprocessing.get_context("spawn")  # no fork of a process that holds torch's threads
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_race, args=(barrier, str(tmp_path), n, results)) for n in (1, 2)]
    for worker in workers:
        worker.start()
    wins = dict(results.get(timeout=120) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert sorted(wins[1] + wins[2]) == list(range(RACE_TRIALS))  # every name won exactly once
    assert len(list(tmp_path.glob("*.png"))) == RACE_TRIALS and leftovers(tmp_path) == []
