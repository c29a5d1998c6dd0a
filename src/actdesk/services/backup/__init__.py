"""Consistent, verified, thinned backups of the book, and restoring them.

For other features: call ``backup_now(book, "pre-import")`` before an import and
``on_app_exit(ctx)`` from the window's close handler. Importing this package registers the verified
backup as the one ``open_book`` takes before a schema upgrade.
"""

from __future__ import annotations

from pathlib import Path

from actdesk.services import backup_hooks
from actdesk.storage.files import register_leftover_finder
from actdesk.storage.open import register_backup_hook

from .create import BackupError, backup_now, migration_backup_hook, thin_backups, write_backup
from .location import live_location_warning
from .restore import (
    RestoreResult,
    get_backup,
    latest_good_backup,
    restore_backup,
    restore_into_path,
    verify_backup,
)
from .schedule import backup_due, on_app_exit, run_scheduled_backup
from .store import BackupInfo, BackupSettings, backup_root, book_folder, list_backups, recount, stale_partials


def _stale_partials(database: Path) -> list[Path]:
    return stale_partials(database, backup_hooks.current())


register_backup_hook(migration_backup_hook)
register_leftover_finder(_stale_partials)

__all__ = [
    "BackupError",
    "BackupInfo",
    "BackupSettings",
    "RestoreResult",
    "backup_due",
    "backup_now",
    "backup_root",
    "book_folder",
    "get_backup",
    "latest_good_backup",
    "list_backups",
    "live_location_warning",
    "on_app_exit",
    "recount",
    "restore_backup",
    "restore_into_path",
    "run_scheduled_backup",
    "thin_backups",
    "verify_backup",
    "write_backup",
]
