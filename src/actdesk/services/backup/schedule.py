"""When to back up: on a schedule (the window calls :func:`run_scheduled_backup` from a timer) and at exit.

Qt-free: the UI owns the timer and runs this through its task runner. A run missed while the laptop slept
happens at the next tick, because "due" is measured from the newest backup on disk, not from a clock.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from actdesk.settings import Settings
from actdesk.storage.engine import Book

from .create import BackupError, backup_now
from .store import BackupInfo, backup_settings, book_folder, list_backups

log = logging.getLogger(__name__)


def backup_due(last: datetime | None, now: datetime, interval: timedelta) -> bool:
    """True when no backup exists yet or the newest is at least ``interval`` old (or from the future)."""
    if last is None:
        return True
    return now - last >= interval or last > now + timedelta(minutes=5)


def run_scheduled_backup(
    book: Book, settings: Settings | None = None, now: datetime | None = None
) -> BackupInfo | None:
    """Back up if one is due; returns the new backup or None. Errors propagate as BackupError for the UI."""
    if book.path is None or book.read_only:
        return None
    cfg = backup_settings(settings)
    if cfg.interval_hours <= 0:
        return None
    existing = list_backups(book_folder(book.path, settings))
    last = existing[0].created_at if existing else None
    if not backup_due(last, now or datetime.now(UTC), timedelta(hours=cfg.interval_hours)):
        return None
    return backup_now(book, "scheduled", settings)


def on_app_exit(ctx: Any) -> BackupInfo | None:
    """Backup at exit, for the main window's close handler (``ctx`` has ``book`` and ``settings``).

    Never raises: a failed exit backup is logged, and the next start's scheduled backup retries.
    """
    book: Book | None = getattr(ctx, "book", None)
    settings: Settings | None = getattr(ctx, "settings", None)
    if book is None or book.path is None or book.read_only or not backup_settings(settings).at_exit:
        return None
    try:
        return backup_now(book, "exit", settings)
    except BackupError as exc:
        log.warning("backup at exit failed: %s", exc)
        return None
