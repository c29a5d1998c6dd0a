"""Typed settings with their defaults in one place, saved as JSON under the platform's config folder.

Each feature owns a dataclass of its settings, which names its section of the file in a class attribute
(``SECTION: ClassVar[str] = "alerts"``; a module-level ``SECTION`` beside the class is read when the class has
none). It is read with ``settings.section(AlertSettings)`` and written with ``settings.set_section(value)``:
the class is the key, so a section cannot be read under one name and written under another. Unknown keys are
kept (a newer actdesk may have written them) and missing keys take the dataclass default.
Only the entry points (``app.py``, the CLI) call ``load_settings()``; services and the domain are given the
settings or their section. Never imports Qt. Secrets never go here: they live in the keyring.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from actdesk.i18n import N_, _
from actdesk.paths import atomic_write, config_dir

log = logging.getLogger(__name__)
T = TypeVar("T")


def section_name(cls: type) -> str:
    """The settings-file section a settings class is stored under (its ``SECTION``, or its module's)."""
    name = cls.__dict__.get("SECTION") or getattr(sys.modules.get(cls.__module__), "SECTION", None)
    if not isinstance(name, str) or not name:
        raise TypeError(f"{cls.__qualname__} declares no SECTION")
    return name


DEFAULT_PRACTICE_NAME = N_("My Advisory Practice")


@dataclass
class GeneralSettings:
    SECTION: ClassVar[str] = "general"

    language: str = "en"
    locale: str | None = None  # e.g. "es_US"; None = the language's default
    currency: str = "USD"
    practice_name: str = DEFAULT_PRACTICE_NAME
    advisor_name: str = ""
    theme: str = "system"  # system, light, dark
    first_run_done: bool = False

    def practice(self) -> str:
        """The practice's name as shown (window title, e-mail signatures, reports): the default name in
        the current language until the advisor gives one."""
        name = self.practice_name.strip()
        return _(DEFAULT_PRACTICE_NAME) if name in ("", DEFAULT_PRACTICE_NAME) else name


@dataclass
class Settings:
    general: GeneralSettings = field(default_factory=GeneralSettings)
    raw: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None

    def section(self, cls: type[T]) -> T:
        """The section of class ``cls``, with its defaults where the file says nothing."""
        if not is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        data = self.raw.get(section_name(cls), {})
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

    def set_section(self, value: Any) -> None:
        """Store ``value`` under its class's section (keys this version does not know are kept)."""
        name = section_name(type(value))
        data = dict(self.raw.get(name, {}))
        data.update(asdict(value))
        self.raw[name] = data
        if isinstance(value, GeneralSettings):
            self.general = self.section(GeneralSettings)

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
    settings.general = settings.section(GeneralSettings)
    return settings


def save_settings(settings: Settings) -> None:
    """Atomic write: a crash never leaves half a settings file."""
    settings.raw["general"] = {**settings.raw.get("general", {}), **asdict(settings.general)}
    target = settings.path or settings_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, json.dumps(settings.raw, indent=2, sort_keys=True, default=str))
