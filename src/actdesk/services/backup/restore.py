"""Restoring a backup into the live book, after showing what it holds and keeping a safety copy.

The backup is verified first; then the current book is itself backed up ("pre-restore", never thinned);
then SQLite's backup API copies the backup into the live database in one write transaction (a crash part
way rolls back to the book as it was). The restore is recorded in the restored audit trail, naming the
safety backup, which holds the audit entries made after the restored backup was taken.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from actdesk.i18n import _
from actdesk.settings import Settings
from actdesk.storage import lock as locks
from actdesk.storage import migrate as migrations
from actdesk.storage.audit_log import append_entries
from actdesk.storage.cipher import key_for
from actdesk.storage.engine import Book

from .create import BackupError, BackupKeyError, BackupNotFoundError, backup_now, write_backup
from .store import BackupInfo, Inspection, book_folder, find_backup, list_backups, open_database, verify_file


@dataclass
class RestoreResult:
    restored: BackupInfo
    safety_backup: BackupInfo | None
    schema_revision: str | None


def get_backup(database: Path, backup_id: str, settings: Settings | None = None) -> BackupInfo:
    info = find_backup(book_folder(database, settings), backup_id)
    if info is None:
        raise BackupNotFoundError(
            _("No backup {id} for this book (see 'actdesk backup list').").format(id=backup_id)
        )
    return info


def verify_backup(info: BackupInfo, key: str | None = None) -> Inspection:
    try:
        return verify_file(info, key)
    except PermissionError as exc:
        raise BackupKeyError(
            _("This backup is encrypted and the key at hand does not open it (give its passphrase).")
        ) from exc


def _check(info: BackupInfo, key: str | None) -> Inspection:
    found = verify_backup(info, key)
    if found.integrity != "ok":
        raise BackupError(
            _("Backup {id} is damaged ({reason}); choose another one. Nothing was changed.").format(
                id=info.id, reason=found.integrity
            )
        )
    if found.schema_revision is not None and found.schema_revision not in migrations.known_revisions():
        raise BackupError(
            _("Backup {id} was written by a newer actdesk; update actdesk first.").format(id=info.id)
        )
    return found


def _copy_into(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    if (source_key is None) != (target_key is None):
        raise BackupError(
            _("This backup and the book differ in encryption; encrypt or decrypt the book to match first.")
        )
    src = open_database(source, source_key)
    try:
        dst = open_database(target, target_key, read_only=False)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def restore_backup(
    book: Book, backup_id: str, settings: Settings | None = None, *, key: str | None = None
) -> RestoreResult:
    """Replace the open book's content with backup ``backup_id`` (the lock stays held throughout)."""
    if book.path is None or book.read_only:
        raise BackupError(_("This book cannot be restored here (opened read-only or not a file)."))
    info = get_backup(book.path, backup_id, settings)
    backup_key = (
        key
        or (book.key if info.encrypted else None)
        or (key_for(Path(info.source)) if info.encrypted else None)
    )
    _check(info, backup_key)
    safety = backup_now(book, "pre-restore", settings)
    book.engine.dispose()
    try:
        _copy_into(info.path, backup_key, book.path, book.key)
    except BackupError:
        raise
    except Exception as exc:
        raise BackupError(
            _("The restore failed ({reason}); the book is as it was (safety backup {id}).").format(
                reason=exc, id=safety.id
            )
        ) from exc
    book.engine.dispose()
    migrations.upgrade(book, backup=None)
    with book.engine.begin() as conn:
        append_entries(
            conn,
            [
                (
                    "restore",
                    "*",
                    None,
                    {
                        "backup": info.id,
                        "backup_taken": info.created_at.isoformat(),
                        "safety_backup": safety.id,
                    },
                )
            ],
        )
    return RestoreResult(
        restored=info, safety_backup=safety, schema_revision=migrations.current_revision(book)
    )


def restore_into_path(
    database: Path, info: BackupInfo, key: str | None = None, settings: Settings | None = None
) -> Path | None:
    """For a book too damaged to open: set it aside (renamed, never deleted) and put the backup in its place.

    Returns where the damaged file was moved. The caller must hold no open book on ``database``.
    """
    backup_key = key or (key_for(Path(info.source)) if info.encrypted else None)
    _check(info, backup_key)
    lock = locks.acquire(database)  # nobody else may have the damaged book open meanwhile
    try:
        return _replace_file(database, info)
    finally:
        lock.release()


def _replace_file(database: Path, info: BackupInfo) -> Path | None:
    """Copy the backup next to the book first (a full disk fails here, changing nothing), then swap."""
    tmp = database.with_name(f".{database.name}.restoring")
    try:
        shutil.copyfile(info.path, tmp)  # the backup is a closed, verified file: a plain copy is safe here
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(_("The backup was not written ({reason}).").format(reason=exc)) from exc
    moved: Path | None = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        moved = database.with_name(f"{database.name}.damaged-{stamp}")
        os.replace(database, moved)
        for suffix in ("-wal", "-shm"):
            side = database.with_name(database.name + suffix)
            if side.exists():
                os.replace(side, moved.with_name(moved.name + suffix))
    os.replace(tmp, database)
    return moved


def latest_good_backup(database: Path, settings: Settings | None = None) -> BackupInfo | None:
    """The newest backup of this book that passes verification (for "restore the latest good backup")."""
    for info in list_backups(book_folder(database, settings)):
        try:
            if verify_file(info).integrity == "ok":
                return info
        except Exception:
            continue
    return None


__all__ = [
    "RestoreResult",
    "get_backup",
    "latest_good_backup",
    "restore_backup",
    "restore_into_path",
    "verify_backup",
    "write_backup",
]
