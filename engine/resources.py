"""Where the application's files live: one function, from source and frozen alike."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The ``resources/`` folder: inside a PyInstaller bundle, else beside ``engine/``.

    ``IMPASTO_RESOURCES`` overrides both (for tests and unusual installs).
    """
    override = os.environ.get("IMPASTO_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
