"""The hostile cases that need a process of their own: a signal in the middle of a save, an
output encoding that refuses what it cannot encode, and files and folders that deny an
ordinary user (root reads and writes through file modes, so the command runs with the
capabilities that allow it dropped), a read-only file system."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine import is_temporary_name

from .hostile_corpus import NON_UTF8, base_image

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--preset", "1", "--stroke", "native"]

# Runs the command line with os.fsync held open: the signal then lands while the picture is
# written to its temporary file, every time, without a test hook in the product.
ONE_CPU_THREAD = "import engine.devices; engine.devices.default_cpu_threads = lambda: 1\n"  # see test_hostile_inputs

PAUSED_SAVE = ONE_CPU_THREAD + """
import os, sys, time
real_fsync = os.fsync
def paused_fsync(descriptor):
    real_fsync(descriptor)
    print("saving", flush=True)
    time.sleep(60)
os.fsync = paused_fsync
from engine.commands.cli import main
sys.exit(main(sys.argv[1:]))
"""

# Runs several command lines in one process (one torch import) and reports each as JSON.
SEVERAL_RUNS = ONE_CPU_THREAD + """
import contextlib, io, json, sys
from engine.commands.cli import main
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exited:
            code = exited.code
    results.append({"code": code, "out": out.getvalue(), "err": err.getvalue()})
print(json.dumps(results))
"""


def environment(**changes) -> dict:
    return {**os.environ, "PYTHONPATH": str(ROOT), **changes}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if is_temporary_name(p.name)]


@pytest.fixture
def photo(tmp_path) -> Path:
    path = tmp_path / "photo.png"
    base_image().save(path)
    return path


@pytest.mark.parametrize("signum, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_a_save_leaves_nothing_behind(tmp_path, photo, signum, code):
    target = tmp_path / "out.png"
    process = subprocess.Popen([sys.executable, "-c", PAUSED_SAVE, "stylize", str(photo), "-o", str(target), *FAST],
                               env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline() == "saving\n"  # the picture sits in its temporary file...
        assert len(leftovers(tmp_path)) == 1
        process.send_signal(signum)  # ...when the signal comes
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == code and "cancelled" in err and "Traceback" not in err
    assert leftovers(tmp_path) == [] and not target.exists()


@pytest.mark.parametrize("encoding", ["utf-8:strict", "ascii:strict"])
def test_names_that_the_output_cannot_encode_never_stop_a_batch(tmp_path, encoding):
    folder = tmp_path / "photos"
    folder.mkdir()
    names = [NON_UTF8, "new\nline.png", "café ☕ 写真.png", "plain.png"]
    for name in names:
        base_image().save(folder / name, "PNG")
    (folder / os.fsdecode(b"not-\xff-a-picture.txt")).write_text("skipped, and named")
    command = ONE_CPU_THREAD + "import sys\nfrom engine.commands.cli import main\nsys.exit(main(sys.argv[1:]))"
    done = subprocess.run([sys.executable, "-c", command, "stylize", str(folder), "--out-dir", str(tmp_path / "out"),
                           *FAST], env=environment(PYTHONIOENCODING=encoding), capture_output=True, timeout=120, check=False)
    out, err = done.stdout.decode("ascii" if encoding.startswith("ascii") else "utf-8"), done.stderr.decode("utf-8")
    assert done.returncode == 0, err
    assert len(out.splitlines()) == len(names) and len(list((tmp_path / "out").iterdir())) == len(names)
    assert "\\xff" in out and "new\\nline" in out and err.count("\n") == 1 and "not-\\xff-a-picture" in err


def without_file_permission_bypass() -> list[str]:
    """A command prefix under which root meets file modes as everyone else does."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file modes cannot be made to apply")
    dropped = "-dac_override,-dac_read_search"
    return [setpriv, "--bounding-set", dropped, "--inh-caps", dropped]


def run_several(prefix: list[str], runs: list[list], **env) -> list[dict]:
    argv = [[str(a) for a in run] for run in runs]
    done = subprocess.run([*prefix, sys.executable, "-c", SEVERAL_RUNS, json.dumps(argv)], env=environment(**env),
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    for result in results:
        assert "Traceback" not in result["err"], result
    return results


def test_what_an_ordinary_user_may_not_read_or_write(tmp_path, photo):
    secret = tmp_path / "secret.png"
    shutil.copy(photo, secret)
    secret.chmod(0o000)
    batch = tmp_path / "batch"
    batch.mkdir()
    for name in ("a.png", "b.png"):
        shutil.copy(photo, batch / name)
    shutil.copy(secret, batch / "locked.png")
    (batch / "locked.png").chmod(0o000)
    closed = tmp_path / "closed"
    closed.mkdir()
    shutil.copy(photo, closed / "inside.png")
    closed.chmod(0o000)
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    shutil.copy(photo, read_only / "beside.png")
    read_only.chmod(0o555)
    try:
        results = run_several(without_file_permission_bypass(), [
            ["stylize", secret, "-o", tmp_path / "o1.png", *FAST],
            ["stylize", photo, "-o", tmp_path / "o2.png", "--style", secret, "--stroke", "native"],
            ["stylize", batch, "--out-dir", tmp_path / "o3", *FAST],
            ["stylize", closed, "--out-dir", tmp_path / "o4", *FAST],
            ["stylize", photo, "--out-dir", read_only, *FAST],
            ["stylize", photo, "-o", read_only / "o6.png", *FAST],
            ["stylize", read_only, *FAST],  # outputs beside inputs, in a folder that takes none
            ["stylize", photo, "--out-dir", read_only / "new", *FAST],
        ])
    finally:
        for path in (closed, read_only):
            path.chmod(0o755)
    expected = [
        (1, "secret.png: cannot be read (permission denied)"),
        (1, "secret.png: cannot be read (permission denied)"),
        (1, "locked.png: cannot be read (permission denied)"),
        (2, f"{closed}: the folder cannot be read (permission denied)"),
        (2, f"{read_only}: cannot save into this folder (permission denied)"),
        (2, f"{read_only}: cannot save into this folder (permission denied)"),
        (1, f"beside.png: {read_only}: cannot save into this folder (permission denied)"),
        (2, "cannot be created (permission denied)"),
    ]
    for result, (code, words) in zip(results, expected):
        assert result["code"] == code and words in result["err"], result
    assert sorted(p.name for p in (tmp_path / "o3").iterdir()) == ["a_preset1.png", "b_preset1.png"]  # went on
    assert leftovers(tmp_path) == [] and sorted(p.name for p in read_only.iterdir()) == ["beside.png"]


def test_a_read_only_file_system(tmp_path, photo):
    mount_point = shlex.quote(str(tmp_path / "mounted"))
    (tmp_path / "mounted").mkdir()
    mount = f"mount -t tmpfs -o ro,size=1m tmpfs {mount_point}"
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "sh", "-c", mount],
                                                         capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a read-only file system here (needs unshare and the right to mount)")
    runs = [["stylize", photo, "-o", tmp_path / "mounted" / "out.png", *FAST],
            ["stylize", photo, "--out-dir", tmp_path / "mounted" / "sub", *FAST]]
    done = subprocess.run(["unshare", "-m", "sh", "-c", f'{mount} && exec "{sys.executable}" -c "$0" "$1"',
                           SEVERAL_RUNS, json.dumps([[str(a) for a in run] for run in runs])],
                          env=environment(), capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    first, second = json.loads(done.stdout)
    assert first["code"] == 2 and "cannot save into this folder (the file system is read-only)" in first["err"]
    assert second["code"] == 2 and "cannot be created (the file system is read-only)" in second["err"]
