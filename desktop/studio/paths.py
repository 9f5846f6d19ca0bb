"""Where the app keeps its files: the platform's app-data folder, or a root a test injects.
The app never writes inside its install folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppPaths:
    root: Path

    @classmethod
    def standard(cls) -> AppPaths:
        from PySide6.QtCore import QStandardPaths

        return cls(Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)))

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def styles_dir(self) -> Path:
        return self.root / "styles"

    @property
    def style_vectors_dir(self) -> Path:
        return self.root / "style-vectors"

    @property
    def thumbnails_dir(self) -> Path:
        return self.root / "thumbnails"

    @property
    def recovery_dir(self) -> Path:
        return self.root / "recovery"
