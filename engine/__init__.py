"""Impasto's style-transfer engine: torch only, no Qt.

    from engine import Engine, RenderRequest, load_picture, preset
    result = Engine().render(RenderRequest(load_picture("photo.jpg"), preset(7)))

The engine's public names are listed once, in ``__init__.pyi`` beside this file, which type
checkers read as the package's interface; the desktop app imports nothing else (an import
contract in ``pyproject.toml`` checks it). Each name is imported when first used, so that a
program that needs only the light parts (``impasto --help``, the limits) does not pay for torch.
The installers carry the stub as a data file (``packaging/impasto.spec``).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

__version__ = "0.1.0"


def _names_in_stub() -> dict[str, str]:
    """Each public name and the module it lives in, as ``__init__.pyi`` imports them."""
    stub = ast.parse((Path(__file__).with_name("__init__.pyi")).read_text(encoding="utf-8"))
    return {alias.asname or alias.name: node.module for node in stub.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}


_MODULE_OF = _names_in_stub()
__all__ = sorted(_MODULE_OF)  # noqa: PLE0605 - the names live once, in the stub


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next use is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
