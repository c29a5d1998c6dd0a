"""The safety net of a book import into a book that already holds records (GnuCash's "save a copy first").

Before anything is deleted or added, a verified backup of the book is taken (``pre-import``, pinned against
thinning); a replace that would delete more records than the files add must be confirmed by the caller
(``confirmed=True``, ``--yes`` on the command line); and one audit entry names what was replaced or added,
which files it came from and the backup that holds the book as it was (``actdesk backup restore ID``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from actdesk.i18n import _
from actdesk.settings import Settings
from actdesk.storage.audit_log import record_batch
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError


class ReplaceNotConfirmedError(BookError):
    """A replace would delete more than it adds and the caller did not confirm it; nothing was changed."""

    def __init__(self, deleting: dict[str, int], adding: int) -> None:
        self.deleting = deleting
        self.adding = adding
        held = ", ".join(f"{n:,} {table}" for table, n in deleting.items() if n)
        super().__init__(
            _(
                "replacing would delete {deleted:,} records ({held}) and add {added:,}; nothing was changed. "
                "Confirm with --yes (a verified backup is taken first)"
            ).format(deleted=sum(deleting.values()), held=held, added=adding)
        )


def check_replace(counts: dict[str, int], adding: int, *, confirmed: bool) -> None:
    """Refuse an unconfirmed replace that deletes more than it adds."""
    if not confirmed and sum(counts.values()) > adding:
        raise ReplaceNotConfirmedError(counts, adding)


def pre_import_backup(book: Book, reason: str = "pre-import", settings: Settings | None = None) -> str | None:
    """A verified backup of the book before an import changes it, where ``settings`` keep backups; its id
    (None for a server book). ``pre-replace`` backups are pinned: thinning never deletes them."""
    if book.path is None:
        return None
    from actdesk.services.backup import backup_now

    return backup_now(book, reason, settings).id


def record_import(
    conn: Connection,
    *,
    mode: str,
    folder: Path | None,
    replaced: dict[str, int],
    added: dict[str, int],
    backup_id: str | None,
) -> None:
    """One entry naming the whole import, in the import's own transaction."""
    record_batch(
        conn,
        "book",
        sum(added.values()),
        action="import-book",
        detail={
            "mode": mode,
            "folder": str(folder) if folder else None,
            "replaced": replaced,
            "added": added,
            "backup": backup_id,
            "undo": f"actdesk backup restore {backup_id}" if backup_id else None,
        },
    )
