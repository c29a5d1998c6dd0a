"""Writing a backup: a consistent online copy, verified, then thinned.

The copy comes from SQLite itself inside one read transaction (``VACUUM INTO`` for a plain book,
``sqlcipher_export`` into an attached database with the same key for an encrypted one), never from a file
copy, so writes running meanwhile are either wholly in it or wholly out. It is written under a temporary
name, checked with ``PRAGMA integrity_check``, synced to disk and only then renamed: a full disk or a crash
leaves no half-written backup behind.
"""

from __future__ import annotations

import errno
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

from actdesk import __version__
from actdesk.domain.retention_policy import BackupStamp, RetentionPolicy, backups_to_delete
from actdesk.i18n import _
from actdesk.settings import Settings
from actdesk.storage.cipher import key_literal
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError
from actdesk.storage.files import create_private

from .store import (
    BackupInfo,
    backup_settings,
    book_folder,
    inspect_database,
    list_backups,
    new_backup_id,
    open_database,
    sha256_file,
    write_manifest,
)

log = logging.getLogger(__name__)


class BackupError(BookError):
    """A backup could not be written or does not verify; the message says why and what to do."""


class BackupNotFoundError(BackupError):
    """The id names no backup of this book (a typo): a refusal of input, not a failure."""


class BackupKeyError(BackupError):
    """The backup is encrypted and the key at hand (keyring or passphrase) does not open it."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_consistent(source: Path, key: str | None, target: Path) -> None:
    conn = open_database(source, key, read_only=False)
    try:
        if key is None:
            conn.execute("VACUUM INTO ?", (str(target),))
        else:
            conn.execute(f"ATTACH DATABASE ? AS backup KEY {key_literal(key)}", (str(target),))
            try:
                conn.execute("BEGIN")
                conn.execute("SELECT sqlcipher_export('backup')")
                conn.execute("COMMIT")
            finally:
                conn.execute("DETACH DATABASE backup")
    finally:
        conn.close()


def write_backup(
    source: Path, key: str | None, folder: Path, reason: str, now: datetime | None = None
) -> BackupInfo:
    """Back up the book file ``source`` into ``folder``; returns the verified backup's manifest."""
    if not source.exists():
        raise BackupError(_("There is no book at {path} to back up.").format(path=source))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            _(
                "The backup folder {folder} cannot be used ({reason}). Choose another folder in Settings."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from exc
    created = (now or datetime.now(UTC)).astimezone(UTC)
    backup_id = new_backup_id(folder, reason, created)
    final = folder / f"{backup_id}.db"
    partial = create_private(folder / f".{backup_id}.partial")  # client data: 0600 like the book
    try:
        _copy_consistent(source, key, partial)
        conn = open_database(partial, key)
        try:
            found = inspect_database(conn)
        finally:
            conn.close()
        if found.integrity != "ok":
            raise BackupError(
                _("The backup did not verify ({reason}); the book itself may be damaged.").format(
                    reason=found.integrity
                )
            )
        _fsync(partial)
        os.replace(partial, final)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    except Exception as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(_backup_failure_message(exc, folder)) from exc
    info = BackupInfo(
        id=backup_id,
        path=final,
        created_at=created,
        reason=reason,
        source=str(source.resolve()),
        schema_revision=found.schema_revision,
        counts=found.counts,
        size=final.stat().st_size,
        sha256=sha256_file(final),
        encrypted=key is not None,
        integrity=found.integrity,
        app_version=__version__,
    )
    try:
        write_manifest(info)
    except OSError as exc:
        final.unlink(missing_ok=True)
        raise BackupError(_backup_failure_message(exc, folder)) from exc
    log.info("backup %s written (%s bytes, reason %s)", backup_id, info.size, reason)
    return info


def _backup_failure_message(exc: Exception, folder: Path) -> str:
    text = str(exc).lower()
    err = getattr(exc, "errno", None)
    if err == errno.ENOSPC or "full" in text:
        return _(
            "The backup was not written: the disk holding {folder} is full. Free some space or choose "
            "another backup folder."
        ).format(folder=folder)
    if (
        err in (errno.EACCES, errno.EPERM, errno.EROFS)
        or "readonly" in text
        or "read-only" in text
        or "unable to open" in text
    ):
        return _(
            "The backup was not written: actdesk may not write to {folder}. Choose another backup folder."
        ).format(folder=folder)
    return _("The backup was not written ({reason}).").format(reason=exc)


def backup_now(book: Book, reason: str = "manual", settings: Settings | None = None) -> BackupInfo:
    """A verified backup of an open book into its backup folder, then thinning. For imports: reason="pre-import"."""
    if book.path is None:
        raise BackupError(
            _("Only books kept in a file can be backed up by actdesk; back up the server instead.")
        )
    info = write_backup(book.path, book.key, book_folder(book.path, settings), reason)
    thin_backups(book.path, settings)
    return info


def thin_backups(database: Path, settings: Settings | None = None, now: datetime | None = None) -> list[str]:
    """Delete the backups the retention policy no longer keeps; returns their ids."""
    cfg = backup_settings(settings)
    policy = RetentionPolicy(recent=cfg.recent, daily=cfg.daily, weekly=cfg.weekly, monthly=cfg.monthly)
    folder = book_folder(database, settings)
    backups = list_backups(folder)
    stamps = [BackupStamp(b.id, b.created_at, b.pinned) for b in backups]
    doomed = set(backups_to_delete(stamps, policy))
    for info in backups:
        if info.id in doomed:
            info.path.with_suffix(".json").unlink(missing_ok=True)
            info.path.unlink(missing_ok=True)
    return sorted(doomed)


def migration_backup_hook(book: Book, reason: str) -> Path | None:
    """Registered with ``open_book``: the verified backup taken before any schema upgrade, in the folder of
    the settings the entry point handed to ``backup_hooks``."""
    from actdesk.services import backup_hooks

    if book.path is None or not book.path.exists():
        return None
    return backup_now(book, reason, backup_hooks.current()).path
