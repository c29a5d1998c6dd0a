"""The audit trail's public face: verify the hash chain, read the log, recover a deleted record.

Recording happens in ``actdesk.storage.audit_log`` (session events on every book). Bulk writers call
``actdesk.storage.audit_log.record_batch`` (re-exported here) once per batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from actdesk.i18n import _
from actdesk.storage.audit_log import (
    acting_as,
    append_entries,
    entry_hash,
    record_batch,
    set_actor,
)
from actdesk.storage.engine import Book
from actdesk.storage.repositories import audit_trail
from actdesk.storage.repositories.audit_trail import GENESIS_HASH, AuditEntry

__all__ = [
    "AuditEntry",
    "ChainReport",
    "acting_as",
    "audit_log",
    "record_batch",
    "recover_deleted",
    "set_actor",
    "verify_chain",
]


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    problems: list[str] = field(default_factory=list)
    head_hash: str = GENESIS_HASH


def verify_chain(book: Book) -> ChainReport:
    """Recompute every entry's hash and link; any edited, inserted or removed middle row breaks the chain."""
    report = ChainReport(ok=True, entries=0)
    prev = GENESIS_HASH
    expected_id = 1
    with book.engine.connect() as conn:
        for row in audit_trail.chain_rows(conn):
            report.entries += 1
            at = row.at.isoformat(timespec="microseconds")
            problem = None
            if row.id != expected_id:
                problem = _("entry {id}: entries before it are missing").format(id=row.id)
            elif row.prev_hash != prev:
                problem = _("entry {id}: does not link to the entry before it").format(id=row.id)
            elif (
                entry_hash(
                    row.id, at, row.actor, row.action, row.table_name, row.row_id, row.changes, row.prev_hash
                )
                != row.hash
            ):
                problem = _("entry {id}: its content was changed after it was written").format(id=row.id)
            if problem:
                report.ok = False
                report.problems.append(problem)
                if report.first_bad_id is None:
                    report.first_bad_id = row.id
            prev = row.hash
            expected_id = row.id + 1
        report.head_hash = prev
    return report


def audit_log(
    book: Book, *, table: str | None = None, row_id: str | None = None, limit: int = 200
) -> list[AuditEntry]:
    """The newest entries first, optionally for one table or one record."""
    with book.engine.connect() as conn:
        return audit_trail.entries(conn, table=table, row_id=row_id, limit=limit)


def recover_deleted(book: Book, table_name: str, row_id: str) -> dict[str, Any]:
    """Re-insert a deleted record, with its original id, from its last delete entry; returns its values."""
    with book.engine.begin() as conn:
        restored = audit_trail.restore_deleted(conn, table_name, row_id)
        append_entries(
            conn,
            [
                (
                    "recover",
                    table_name,
                    str(row_id),
                    {k: [None, v] for k, v in restored.snapshot.items()}
                    | {"_recovered_from_entry": [None, restored.entry_id]},
                )
            ],
        )
    return restored.values
