"""The settings the process-wide backup hooks use (the backup before a schema upgrade, the list of leftover
partial backups): ``open_book`` calls those hooks with a book only, so the entry points (``app.py``, the CLI)
hand the user's settings over here once, instead of the hooks reading the settings file themselves.

A module of its own, importing nothing heavy, so the CLI can set it without loading the backup package.
"""

from __future__ import annotations

from actdesk.settings import Settings

_current: Settings | None = None


def use_settings(settings: Settings | None) -> None:
    """Hand the user's settings to the hooks (None: back to the defaults)."""
    global _current
    _current = settings


def current() -> Settings | None:
    """The settings the entry point handed over; None (the defaults) before it did."""
    return _current
