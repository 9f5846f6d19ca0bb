"""The desktop app's remembered settings: typed, versioned, stored as JSON at a path the caller
chooses (tests use ``tmp_path``). A bad or missing value falls back to its default, with a log line."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from engine import (
    DEFAULT_RENDER_SETTINGS,
    DEFAULT_VIDEO_SETTINGS,
    MAX_INPUT_PIXELS,
    TEMPORAL_MODES,
    EngineSettings,
    RenderSettings,
    atomic_write,
)

log = logging.getLogger(__name__)
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class AppSettings:
    render: RenderSettings = DEFAULT_RENDER_SETTINGS
    device: str = "auto"
    preview_long_side: int = 900
    draft_long_side: int = 384  # working size while a slider is dragged on the CPU
    last_content: str = ""
    last_content_kind: str = "picture"  # or "clip"
    last_styles: list = field(default_factory=list)  # [[kind, preset number or painting id]]; [] = first launch
    last_weights: list = field(default_factory=list)
    last_export_dir: str = ""
    export_format: str = "png"
    window_geometry: str = ""  # base64 of QWidget.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState(): where the docks are
    max_input_megapixels: int = MAX_INPUT_PIXELS // 1_000_000
    recent_sessions: list[str] = field(default_factory=list)  # .impasto files, the latest first
    video_temporal: str = DEFAULT_VIDEO_SETTINGS.temporal  # how steady an exported clip is (TEMPORAL_MODES)
    autosave_seconds: int = 10  # unsaved work is autosaved this long after a change; 0: never
    favourite_styles: list = field(default_factory=list)  # [[kind, preset number or painting id]]
    photo_dir: str = ""  # where Open starts; "": the last folder Qt's dialog used
    export_dir: str = ""  # where exports go unless the artist picks another; "": the last export's folder

    def with_changes(self, **changes) -> AppSettings:
        return replace(self, **changes)

    def engine_settings(self, style_cache_dir: Path | None) -> EngineSettings:
        return EngineSettings(device=self.device, style_cache_dir=style_cache_dir)


def load_settings(path: Path) -> AppSettings:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return AppSettings()
    except (OSError, ValueError) as exc:
        log.warning("settings file %s unreadable (%s); using defaults", path, exc)
        return AppSettings()
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_VERSION:
        log.warning("settings file %s has an unknown schema; using defaults", path)
        return AppSettings()
    defaults = AppSettings()
    values = {}
    for f in fields(AppSettings):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name == "render":
            value = _render_settings(value)
        elif not isinstance(value, type(getattr(defaults, f.name))):
            log.warning("setting %s=%r is not valid; using the default", f.name, value)
            continue
        elif f.name == "recent_sessions":
            value = [path for path in value if isinstance(path, str)]
        elif f.name == "video_temporal" and value not in TEMPORAL_MODES:
            log.warning("setting %s=%r is not valid; using the default", f.name, value)
            continue
        values[f.name] = value
    return AppSettings(**values)


def _render_settings(data) -> RenderSettings:
    if not isinstance(data, dict):
        return DEFAULT_RENDER_SETTINGS
    settings = DEFAULT_RENDER_SETTINGS
    if "preserve_colors" in data:  # before the three colour modes: a checkbox for the photo's colours
        data = {**data, "colour": "photo" if data.pop("preserve_colors") is True else "painting"}
    for name, value in data.items():
        try:
            settings = settings.with_changes(**{name: value})
        except Exception:  # noqa: BLE001 - any bad value (wrong type, out of range) falls back
            log.warning("render setting %s=%r is not valid; using the default", name, value)
    return settings


def save_settings(settings: AppSettings, path: Path) -> None:
    """Atomic: a crash while saving leaves the previous file. Raises ``OSError``."""
    data = {"schema": SCHEMA_VERSION, **asdict(settings)}
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(path, overwrite=True) as out:
        out.write(json.dumps(data, indent=2).encode("utf-8"))
