"""Is the book sound? The start-up check after an unclean exit, the on-demand health report, the way back.

The clean-shutdown marker is the lock file: a clean close empties it, so a holder's name found there when
the book is opened means the last session ended without closing it (crash, power loss, killed). Then
``open_book`` runs a full ``PRAGMA integrity_check``; if it fails, :func:`open_or_recover` reports the
latest backup that verifies, and :func:`restore_latest_good` puts it in place (the damaged file is renamed
and kept, never overwritten).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actdesk.i18n import _
from actdesk.settings import Settings
from actdesk.storage import migrate as migrations
from actdesk.storage.engine import Book
from actdesk.storage.errors import CorruptBookError
from actdesk.storage.files import leftovers
from actdesk.storage.lock import read_holder
from actdesk.storage.open import open_book, removed_leftovers

from .audit import verify_chain
from .backup import BackupInfo, latest_good_backup, live_location_warning, restore_into_path


@dataclass
class IntegrityReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    foreign_key_violations: int = 0


def check_integrity(book: Book) -> IntegrityReport:
    """Full ``PRAGMA integrity_check`` plus ``foreign_key_check`` (SQLite); always ok on a server."""
    if not book.is_sqlite:
        return IntegrityReport(ok=True)
    with book.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check").fetchall()]
        fks = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    problems = [] if rows == ["ok"] else rows[:20]
    if fks:
        problems.append(_("{n} rows point to records that no longer exist").format(n=len(fks)))
    return IntegrityReport(ok=not problems, problems=problems, foreign_key_violations=len(fks))


def book_health(book: Book) -> dict[str, Any]:
    """Everything ``actdesk db check`` reports: integrity, audit chain, encryption, lock, schema, location."""
    integrity = check_integrity(book)
    chain = verify_chain(book)
    holder = None
    if book.lock is not None:
        holder = book.lock.holder.describe()
    elif book.path is not None:
        found = read_holder(book.path)
        holder = found.describe() if found else None
    revision = migrations.current_revision(book)
    stray = leftovers(book.path) if book.path else []
    return {
        "ok": integrity.ok and chain.ok and revision == migrations.head_revision() and not stray,
        "path": str(book.path) if book.path else book.url.render_as_string(hide_password=True),
        "integrity": {"ok": integrity.ok, "problems": integrity.problems},
        "audit_chain": {
            "ok": chain.ok,
            "entries": chain.entries,
            "first_bad_id": chain.first_bad_id,
            "problems": chain.problems[:20],
        },
        "encryption": {"encrypted": book.encrypted, "cipher": "SQLCipher 4" if book.encrypted else None},
        "lock": {"held_by_us": book.lock is not None, "holder": holder},
        "schema": {"revision": revision, "head": migrations.head_revision()},
        "location_warning": live_location_warning(book.path) if book.path else None,
        "unclean_shutdown": bool(book.lock and book.lock.unclean_shutdown),
        # temporary copies an interrupted operation left (decrypting, backups): removed when a writer opened
        # the book, still there when it could only be opened read-only
        "leftover_files": {
            "removed": [str(p) for p in (removed_leftovers(book.path) if book.path else [])],
            "present": [str(p) for p in stray],
        },
    }


@dataclass
class OpenOutcome:
    """What the start-up sequence found: an open book, or a damaged one and the backup that can replace it."""

    book: Book | None
    error: CorruptBookError | None = None
    latest_good: BackupInfo | None = None


def open_or_recover(path: Path, settings: Settings | None = None, **open_kwargs: Any) -> OpenOutcome:
    """Open the book; if it is damaged, say so and find the latest good backup instead of failing bare."""
    try:
        return OpenOutcome(book=open_book(path, **open_kwargs))
    except CorruptBookError as exc:
        return OpenOutcome(book=None, error=exc, latest_good=latest_good_backup(path, settings))


def restore_latest_good(
    path: Path, settings: Settings | None = None, key: str | None = None
) -> tuple[BackupInfo, Path | None]:
    """Replace a damaged book by its latest good backup; returns the backup and where the damaged file went."""
    info = latest_good_backup(path, settings)
    if info is None:
        raise CorruptBookError(
            _("The book is damaged and no backup of it verifies; contact support with the file.")
        )
    moved = restore_into_path(path, info, key=key, settings=settings)
    return info, moved
