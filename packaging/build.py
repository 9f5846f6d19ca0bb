"""Build the installers: the PyInstaller bundle, a .tar.gz with a launcher, and a Linux .deb.

    python packaging/build.py            # bundle + .tar.gz + .deb into dist/
    python packaging/build.py --no-deb   # skip the .deb (machines without dpkg-deb)

Needs PyInstaller (``pip install pyinstaller``). Everything lands in ``build/`` and ``dist/``,
both ignored by git. Sizes are printed at the end.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tarfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
NAME, VERSION = PROJECT["name"], PROJECT["version"]
BUILD, DIST = ROOT / "build", ROOT / "dist"
ICON = ROOT / "resources" / "icons" / "impasto.png"

# The Qt xcb platform plugin's system libraries (Debian names), plus GL/EGL, fonts and D-Bus.
DEB_DEPENDS = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xinerama0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libxkbcommon0", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libdbus-1-3", "libglib2.0-0",
]

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=Impasto
GenericName=Style transfer studio
Comment=Paint your photos in the style of any painting, offline
Exec={exec} %F
Icon={icon}
Terminal=false
Categories=Graphics;2DGraphics;RasterGraphics;
MimeType=image/png;image/jpeg;image/webp;image/tiff;
"""

LAUNCHER = """#!/bin/sh
# Starts Impasto from wherever this folder was unpacked.
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/impasto/impasto" "$@"
"""


def check_environment() -> None:
    """Refuse to bundle packages that ``pyproject.toml`` excludes (a PySide6 release known to
    crash the app): the bundle takes whatever is installed, not what the project asks for."""
    from importlib.metadata import PackageNotFoundError, version

    from packaging.requirements import Requirement

    for line in PROJECT["dependencies"]:
        requirement = Requirement(line)
        try:
            installed = version(requirement.name)
        except PackageNotFoundError:
            sys.exit(f"build.py: {requirement.name} is not installed; pip install -e . first")
        if not requirement.specifier.contains(installed, prereleases=True):
            sys.exit(f"build.py: {requirement.name} {installed} is installed but pyproject.toml asks for "
                     f"{requirement}; pip install -e . to get a release that works")


def bundle() -> Path:
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
                    "--distpath", str(BUILD / "pyinstaller-dist"), "--workpath", str(BUILD / "pyinstaller-work"),
                    str(ROOT / "packaging" / "impasto.spec")], check=True)
    return BUILD / "pyinstaller-dist" / NAME


def tarball(bundle_dir: Path) -> Path:
    top = f"{NAME}-{VERSION}-linux-x86_64"
    target = DIST / f"{top}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=3) as tar:
        tar.add(bundle_dir, arcname=f"{top}/{NAME}")
        for name, text, mode in [("impasto.sh", LAUNCHER, 0o755),
                                 ("impasto.desktop", DESKTOP_ENTRY.format(exec="impasto.sh", icon="impasto"), 0o644)]:
            staged = BUILD / name
            staged.write_text(text)
            staged.chmod(mode)
            tar.add(staged, arcname=f"{top}/{name}")
        tar.add(ICON, arcname=f"{top}/impasto.png")
    return target


def deb(bundle_dir: Path) -> Path:
    stage = BUILD / "deb"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(bundle_dir, stage / "opt" / NAME, symlinks=True)
    (stage / "usr" / "bin").mkdir(parents=True)
    (stage / "usr" / "bin" / NAME).symlink_to(f"/opt/{NAME}/{NAME}")
    apps = stage / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / f"{NAME}.desktop").write_text(DESKTOP_ENTRY.format(exec=f"/usr/bin/{NAME}", icon=NAME))
    icons = stage / "usr" / "share" / "icons" / "hicolor" / "256x256" / "apps"
    icons.mkdir(parents=True)
    shutil.copy(ICON, icons / f"{NAME}.png")
    size_kb = sum(f.stat().st_size for f in stage.rglob("*") if f.is_file() and not f.is_symlink()) // 1024
    (stage / "DEBIAN").mkdir()
    (stage / "DEBIAN" / "control").write_text(
        f"Package: {NAME}\nVersion: {VERSION}\nArchitecture: amd64\nMaintainer: Impasto developers\n"
        f"Installed-Size: {size_kb}\nDepends: {', '.join(DEB_DEPENDS)}\nSection: graphics\nPriority: optional\n"
        f"Description: {PROJECT['description']}\n"
        " Paint photos in the style of 26 presets or any painting, offline, on the GPU when there is one.\n")
    target = DIST / f"{NAME}_{VERSION}_amd64.deb"
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zzstd", "-z3", "--build", str(stage), str(target)],
                   check=True, stdout=subprocess.DEVNULL)
    return target


def size_mb(path: Path) -> float:
    if path.is_dir():  # symlinks (PyInstaller links libraries into _internal) counted once
        return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20
    return path.stat().st_size / 2**20


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-deb", action="store_true")
    parser.add_argument("--no-tar", action="store_true")
    args = parser.parse_args(argv)
    DIST.mkdir(exist_ok=True)
    BUILD.mkdir(exist_ok=True)
    started = time.perf_counter()
    check_environment()
    bundle_dir = bundle()
    print(f"bundle   {bundle_dir}  {size_mb(bundle_dir):,.0f} MB  ({time.perf_counter() - started:.0f} s)")
    if not args.no_tar:
        tar = tarball(bundle_dir)
        print(f"tarball  {tar}  {size_mb(tar):,.0f} MB  ({time.perf_counter() - started:.0f} s)")
    if not args.no_deb:
        package = deb(bundle_dir)
        print(f"deb      {package}  {size_mb(package):,.0f} MB  ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
