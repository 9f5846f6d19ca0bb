"""The artist's own paintings: copied into the app-data folder, named, ordered, persisted.

Plain Python (no widgets): the gallery shows it, tests drive it directly.
"""

from __future__ import annotations

import json
import shutil
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from engine import LEARNED_STYLE_SUFFIX, PRESET_NAMES, ImageReadError, atomic_write, load_picture

from .style_keys import StyleKey


@dataclass(frozen=True)
class UserStyle:
    style_id: str
    name: str
    file_name: str


class StyleLibrary:
    def __init__(self, folder: Path):
        self.folder = folder
        self._index = folder / "index.json"
        self.styles: list[UserStyle] = self._load()
        self.trashed: dict[str, tuple[UserStyle, int]] = {}  # removed, kept for undo: (style, its place)

    def name_of(self, key: StyleKey) -> str:
        """What the artist calls a style (a layer of an exported .ora is named so)."""
        if key.kind == "preset":
            return PRESET_NAMES[key.preset_index]
        if key.kind == "painting":
            try:
                return self.get(key.painting_id).name
            except KeyError:
                return "painting"
        return "the photo itself"

    def _load(self) -> list[UserStyle]:
        try:
            entries = json.loads(self._index.read_text())
            styles = [UserStyle(**entry) for entry in entries]
        except (OSError, ValueError, TypeError):
            return []
        return [s for s in styles if (self.folder / s.file_name).exists()]

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(self._index, overwrite=True) as out:
            out.write(json.dumps([asdict(s) for s in self.styles], indent=2).encode("utf-8"))

    def path(self, style: UserStyle) -> Path:
        return self.folder / style.file_name

    def learned_path(self, style_id: str) -> Path:
        """Where the style learned from a painting is kept: beside its file."""
        return self.folder / (self.get(style_id).file_name + LEARNED_STYLE_SUFFIX)

    def has_learned(self, style_id: str) -> bool:
        try:
            return self.learned_path(style_id).is_file()
        except KeyError:
            return False

    def forget_learned(self, style_id: str) -> None:
        self.learned_path(style_id).unlink(missing_ok=True)

    def add(self, source: Path, read: bool = False) -> UserStyle:
        """Copy a painting in. Raises ``ImageReadError`` (nothing added) if it is not a readable
        image; ``read``: the caller has just read it (a 24 MP painting is not decoded twice)."""
        if not read:
            load_picture(source)  # refuse what the engine cannot read, before copying anything
        style_id = uuid.uuid4().hex[:12]
        self.folder.mkdir(parents=True, exist_ok=True)
        file_name = f"{style_id}{source.suffix.lower()}"
        try:
            shutil.copyfile(source, self.folder / file_name)
        except OSError as exc:
            raise ImageReadError(f"{source.name}: could not be copied into the style library ({exc})") from None
        style = UserStyle(style_id, source.stem.replace("_", " "), file_name)
        self.styles.append(style)
        self._save()
        return style

    def rename(self, style_id: str, name: str) -> None:
        name = name.strip()
        if name:
            self.styles = [replace(s, name=name) if s.style_id == style_id else s for s in self.styles]
            self._save()

    def remove(self, style_id: str) -> None:
        """Take the painting out of the library; its file stays (in the trash) until ``empty_trash``,
        so an undo can ``restore`` it where it was."""
        style = self.get(style_id)
        self.trashed[style_id] = (style, self.styles.index(style))
        self.styles = [s for s in self.styles if s.style_id != style_id]
        self._save()

    def restore(self, style_id: str) -> None:
        """Put a removed painting back where it was."""
        style, position = self.trashed.pop(style_id)
        self.styles.insert(min(position, len(self.styles)), style)
        self._save()

    def empty_trash(self) -> None:
        """Delete the files of the removed paintings (once no undo can bring them back)."""
        for style, _position in self.trashed.values():
            (self.folder / style.file_name).unlink(missing_ok=True)
        self.trashed.clear()

    def move(self, style_id: str, new_position: int) -> None:
        style = self.get(style_id)
        others = [s for s in self.styles if s.style_id != style_id]
        others.insert(max(0, min(new_position, len(others))), style)
        self.styles = others
        self._save()

    def get(self, style_id: str) -> UserStyle:
        for style in self.styles:
            if style.style_id == style_id:
                return style
        raise KeyError(style_id)
