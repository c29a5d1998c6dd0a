"""Reading the audit trail and putting a deleted record back from it.

The trail itself is written by ``actdesk.storage.audit_log``; ``actdesk.services.audit`` verifies the chain
and turns these reads into its report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Row, Table, and_, insert, or_, select

from actdesk.i18n import _
from actdesk.storage.audit_log import AUDIT_TABLE
from actdesk.storage.errors import BookError, NotFoundError
from actdesk.storage.tables import metadata
from actdesk.storage.tables.audit import GENESIS_HASH as GENESIS_HASH
from actdesk.storage.tables.base import UTCDateTime


@dataclass
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    table: str
    row_id: str | None
    changes: dict[str, Any]


def chain_rows(conn: Connection) -> Iterator[Row[Any]]:
    """Every entry with its hashes, oldest first (nothing when the book has no trail yet)."""
    t = AUDIT_TABLE
    if not conn.dialect.has_table(conn, t.name):
        return
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
    yield from conn.execute(stmt.order_by(t.c.id)).yield_per(2000)


def entries(conn: Connection, *, table: str | None, row_id: str | None, limit: int) -> list[AuditEntry]:
    """The newest entries first, optionally for one table or one record."""
    t = AUDIT_TABLE
    stmt = select(t).order_by(t.c.id.desc()).limit(limit)
    if table:
        stmt = stmt.where(t.c.table_name == table)
    if row_id is not None:
        stmt = stmt.where(t.c.row_id == str(row_id))
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


@dataclass(frozen=True)
class Restored:
    entry_id: int  # the delete entry the record came back from
    snapshot: dict[str, Any]  # that entry's changes, for the columns the table still has
    values: dict[str, Any]  # what was inserted


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


def restore_deleted(conn: Connection, table_name: str, row_id: str) -> Restored:
    """Re-insert a deleted record, with its original id, from its last delete entry."""
    table = metadata.tables.get(table_name)
    if table is None or table.name == AUDIT_TABLE.name:
        raise NotFoundError(_("There is no table {table} in the book.").format(table=table_name))
    found = _last_snapshot(conn, table, str(row_id))
    if found is None:
        raise NotFoundError(
            _("The audit trail holds no deleted {table} record {id}.").format(table=table_name, id=row_id)
        )
    entry_id, changes = found
    snapshot = {k: v for k, v in changes.items() if k in table.c}
    values = {name: _from_json(table, name, pair[0]) for name, pair in snapshot.items()}
    pk = {c.name: values.get(c.name) for c in table.primary_key.columns}
    exists = conn.execute(
        select(*table.primary_key.columns).where(*[table.c[k] == v for k, v in pk.items()])
    ).first()
    if exists is not None:
        raise BookError(
            _("{table} record {id} exists again; nothing was recovered.").format(table=table_name, id=row_id)
        )
    try:
        conn.execute(insert(table).values(**values))
    except Exception as exc:
        raise BookError(
            _(
                "{table} record {id} cannot be recovered ({reason}); recover the records it belongs to first."
            ).format(table=table_name, id=row_id, reason=getattr(exc, "orig", exc))
        ) from exc
    return Restored(entry_id, snapshot, values)
