"""Typed settings with their defaults in one place, saved as JSON under the platform's config folder.

Each feature owns a dataclass of its settings and reads it with ``settings.section("alerts", AlertSettings)``;
unknown keys are kept (a newer actdesk may have written them) and missing keys take the dataclass default.
Never imports Qt. Secrets never go here: they live in the keyring.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, TypeVar

from actdesk.paths import atomic_write, config_dir

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class GeneralSettings:
    language: str = "en"
    locale: str | None = None  # e.g. "es_US"; None = the language's default
    currency: str = "USD"
    practice_name: str = "My Advisory Practice"
    advisor_name: str = ""
    theme: str = "system"  # system, light, dark
    first_run_done: bool = False


@dataclass
class Settings:
    general: GeneralSettings = field(default_factory=GeneralSettings)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def section(self, name: str, cls: type[T]) -> T:
        data = self.raw.get(name, {})
        if not is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def set_section(self, name: str, value: Any) -> None:
        data = dict(self.raw.get(name, {}))
        data.update(asdict(value))
        self.raw[name] = data
        if name == "general":
            self.general = self.section("general", GeneralSettings)

    def save(self) -> None:
        save_settings(self)


def settings_path() -> Path:
    override = os.environ.get("ACTDESK_SETTINGS")
    return Path(override) if override else config_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    target = path or settings_path()
    raw: dict[str, Any] = {}
    if target.exists():
        try:
            raw = json.loads(target.read_text(encoding="utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("settings file is not a JSON object")
        except (OSError, ValueError) as exc:
            log.warning("settings at %s unreadable (%s); using defaults", target, exc)
            raw = {}
    settings = Settings(raw=raw, path=target)
    settings.general = settings.section("general", GeneralSettings)
    return settings


def save_settings(settings: Settings) -> None:
    """Atomic write: a crash never leaves half a settings file."""
    settings.raw["general"] = {**settings.raw.get("general", {}), **asdict(settings.general)}
    target = settings.path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps(settings.raw, indent=2, sort_keys=True, default=str))
