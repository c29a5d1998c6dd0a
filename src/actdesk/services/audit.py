"""The audit trail's public face: verify the hash chain, read the log, recover a deleted record.

Recording happens in ``actdesk.storage.audit_log`` (session events on every book). Bulk writers call
``actdesk.storage.audit_log.record_batch`` (re-exported here) once per batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, and_, insert, or_, select

from actdesk.i18n import _
from actdesk.storage.audit_log import (
    AUDIT_TABLE,
    acting_as,
    append_entries,
    entry_hash,
    record_batch,
    set_actor,
)
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError, NotFoundError
from actdesk.storage.tables import metadata
from actdesk.storage.tables.audit import GENESIS_HASH
from actdesk.storage.tables.base import UTCDateTime

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
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    table: str
    row_id: str | None
    changes: dict[str, Any]


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_bad_id: int | None = None
    problems: list[str] = field(default_factory=list)
    head_hash: str = GENESIS_HASH


def verify_chain(book: Book) -> ChainReport:
    """Recompute every entry's hash and link; any edited, inserted or removed middle row breaks the chain."""
    t = AUDIT_TABLE
    report = ChainReport(ok=True, entries=0)
    prev = GENESIS_HASH
    expected_id = 1
    with book.engine.connect() as conn:
        if not conn.dialect.has_table(conn, t.name):
            return report
        stmt = select(
            t.c.id,
            t.c.at,
            t.c.actor,
            t.c.action,
            t.c.table_name,
            t.c.row_id,
            t.c.changes,
            t.c.prev_hash,
            t.c.hash,
        )
        for row in conn.execute(stmt.order_by(t.c.id)).yield_per(2000):
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
    t = AUDIT_TABLE
    stmt = select(t).order_by(t.c.id.desc()).limit(limit)
    if table:
        stmt = stmt.where(t.c.table_name == table)
    if row_id is not None:
        stmt = stmt.where(t.c.row_id == str(row_id))
    with book.engine.connect() as conn:
        return [
            AuditEntry(r.id, r.at, r.actor, r.action, r.table_name, r.row_id, json.loads(r.changes))
            for r in conn.execute(stmt)
        ]


def _from_json(table: Table, column_name: str, value: Any) -> Any:
    if value is None:
        return None
    column = table.c[column_name]
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is time:
        return time.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(str(value))  # a REAL in a snapshot built by SQLite
    if python_type is bytes:
        return bytes.fromhex(value)
    return value


def _last_snapshot(conn: Connection, table: Table, row_id: str) -> tuple[int, dict[str, Any]] | None:
    """The newest snapshot of a deleted row: its own ``delete`` entry, or its place in a bulk ``delete_rows``
    entry (storage/audit_snapshot.py), whichever came last."""
    t = AUDIT_TABLE
    query = (
        select(t.c.id, t.c.action, t.c.changes)
        .where(
            t.c.table_name == table.name,
            or_(and_(t.c.action == "delete", t.c.row_id == row_id), t.c.action == "delete_rows"),
        )
        .order_by(t.c.id.desc())
    )
    pk = [c.name for c in table.primary_key.columns]
    for entry in conn.execute(query):
        changes = json.loads(entry.changes)
        if entry.action == "delete":
            return int(entry.id), changes
        for row in changes.get("rows", []):
            if "/".join(str(row.get(name, [None])[0]) for name in pk) == row_id:
                return int(entry.id), row
    return None


def recover_deleted(book: Book, table_name: str, row_id: str) -> dict[str, Any]:
    """Re-insert a deleted record, with its original id, from its last delete entry; returns its values."""
    table = metadata.tables.get(table_name)
    if table is None or table.name == AUDIT_TABLE.name:
        raise NotFoundError(_("There is no table {table} in the book.").format(table=table_name))
    with book.engine.begin() as conn:
        found = _last_snapshot(conn, table, str(row_id))
        if found is None:
            raise NotFoundError(
                _("The audit trail holds no deleted {table} record {id}.").format(table=table_name, id=row_id)
            )
        entry_id, snapshot = found
        values = {
            name: _from_json(table, name, pair[0]) for name, pair in snapshot.items() if name in table.c
        }
        pk = {c.name: values.get(c.name) for c in table.primary_key.columns}
        exists = conn.execute(
            select(*table.primary_key.columns).where(*[table.c[k] == v for k, v in pk.items()])
        ).first()
        if exists is not None:
            raise BookError(
                _("{table} record {id} exists again; nothing was recovered.").format(
                    table=table_name, id=row_id
                )
            )
        try:
            conn.execute(insert(table).values(**values))
        except Exception as exc:
            raise BookError(
                _(
                    "{table} record {id} cannot be recovered ({reason}); recover the records it belongs to first."
                ).format(table=table_name, id=row_id, reason=getattr(exc, "orig", exc))
            ) from exc
        append_entries(
            conn,
            [
                (
                    "recover",
                    table_name,
                    str(row_id),
                    {k: [None, v] for k, v in snapshot.items() if k in table.c}
                    | {"_recovered_from_entry": [None, entry_id]},
                )
            ],
        )
    return values
