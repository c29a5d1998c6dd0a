"""Recording the audit trail, once, as session events on every book's session factory.

Every ORM unit of work is covered without its writer knowing: ``before_flush`` captures updates (old ->
new per column) and deletes (a full snapshot of the row, and of rows the database will delete with it
through ``ON DELETE CASCADE``, so that deleted records can be recovered); ``after_flush`` captures
inserts (their ids now known) and appends the entries, hash-chained, in the same transaction as the
change itself: a change is never committed without its audit entry, nor the reverse.

Core statements (UPDATE/DELETE/INSERT outside a flush) are recorded by ``audit_core`` from the engine's
events; raw bulk inserts (``bulk_insert``) call :func:`record_batch` once per batch.
"""

from __future__ import annotations

import contextvars
import getpass
import hashlib
import json
import os
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from actdesk.storage.audit_core import flush_deferred, flushing, install_core_audit
from actdesk.storage.dialect import advisory_xact_lock
from actdesk.storage.tables.audit import GENESIS_HASH, AuditRow

AUDIT_TABLE: Table = AuditRow.__table__  # type: ignore[assignment]
CHUNK = 500  # parameters per IN list (SQLite allows 999 on old builds)
_PENDING = "actdesk_audit_pending"
_NEW = "actdesk_audit_new"
_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("actdesk_audit_actor", default=None)
_ready: weakref.WeakSet[Engine] = weakref.WeakSet()
# The signed-in app user for the whole process (worker threads do not inherit the context variable).
_app_user: str | None = None


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def current_actor() -> str:
    """The app user if one is signed in (team feature), else the operating-system account."""
    return _actor.get() or _app_user or os.environ.get("ACTDESK_USER") or os_user()


@contextmanager
def acting_as(name: str) -> Iterator[None]:
    """Attribute the changes made inside the block to ``name`` (e.g. "import: redtail.csv by ann")."""
    token = _actor.set(name)
    try:
        yield
    finally:
        _actor.reset(token)


def set_app_user(name: str | None) -> None:
    """Name the app user (team feature) for every thread of this process; None returns to the OS account."""
    global _app_user
    _app_user = name


def set_actor(name: str | None) -> None:
    """Set the app user for this thread/context (None returns to the OS account)."""
    _actor.set(name)


def jsonable(value: Any) -> Any:
    """A JSON value that round-trips what the columns hold (money stays integer cents)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return jsonable(value.value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


def canonical(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    entry_id: int, at: str, actor: str, action: str, table: str, row_id: str | None, changes: str, prev: str
) -> str:
    material = canonical([entry_id, at, actor, action, table, row_id, changes, prev])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _audited(table: Any) -> bool:
    return isinstance(table, Table) and table.info.get("audit", True) and table.name != AUDIT_TABLE.name


def is_audited(table: Any) -> bool:
    """Whether changes to ``table`` belong in the trail (client data; not the trail itself)."""
    return _audited(table)


def _row_id(values: Iterable[Any]) -> str:
    return "/".join(str(v) for v in values)


def _snapshot(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    mapper = state.mapper
    out: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        column = attr.columns[0]
        out[column.name] = jsonable(getattr(obj, attr.key))
    return out


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    flushing.set(True)  # the statements of this flush are recorded here, not again by audit_core
    pending: list[tuple[str, str, str | None, dict[str, Any]]] = session.info.setdefault(_PENDING, [])
    seen: set[tuple[str, str]] = set()
    with session.no_autoflush:
        for obj in list(session.dirty):
            state = inspect(obj)
            table = state.mapper.local_table
            if not _audited(table) or not session.is_modified(obj, include_collections=False):
                continue
            changes: dict[str, Any] = {}
            for attr in state.mapper.column_attrs:
                history = state.attrs[attr.key].history
                if not history.has_changes():
                    continue
                old = history.deleted[0] if history.deleted else None
                new = history.added[0] if history.added else None
                if old != new:
                    changes[attr.columns[0].name] = [jsonable(old), jsonable(new)]
            if changes:
                pk = state.mapper.primary_key_from_instance(obj)
                pending.append(("update", table.name, _row_id(pk), changes))
        for obj in list(session.deleted):
            state = inspect(obj)
            table = state.mapper.local_table
            if not _audited(table):
                continue
            snap = _snapshot(obj)
            row_id = _row_id(state.mapper.primary_key_from_instance(obj))
            seen.add((table.name, row_id))
            pending.append(("delete", table.name, row_id, {k: [v, None] for k, v in snap.items()}))
        parents: dict[Table, list[list[Any]]] = {}
        for obj in list(session.deleted):
            table = inspect(obj).mapper.local_table
            if _audited(table):
                pk = [getattr(obj, c.key) for c in inspect(obj).mapper.primary_key]
                parents.setdefault(table, []).append(pk)
        from actdesk.storage.audit_snapshot import cascade_rows

        for table, pks in parents.items():
            cascade_rows(session.connection(), table, pks, pending, seen, depth=0)
        session.info.setdefault(_NEW, []).extend(
            obj for obj in session.new if _audited(inspect(obj).mapper.local_table)
        )


def _after_flush(session: Session, _ctx: Any) -> None:
    flushing.set(False)
    pending: list[tuple[str, str, str | None, dict[str, Any]]] = session.info.pop(_PENDING, [])
    for obj in session.info.pop(_NEW, []):
        state = inspect(obj)
        if state.deleted or state.detached:
            continue
        pk = state.mapper.primary_key_from_instance(obj)
        snap = _snapshot(obj)
        pending.append(
            ("insert", state.mapper.local_table.name, _row_id(pk), {k: [None, v] for k, v in snap.items()})
        )
    if pending:
        append_entries(session.connection(), pending)


def _before_commit(session: Session) -> None:
    """Entries of statements that returned rows (RETURNING) are written before the transaction ends."""
    if session.in_transaction():
        flush_deferred(session.connection())


def _after_rollback(session: Session) -> None:
    flushing.set(False)
    session.info.pop(_PENDING, None)
    session.info.pop(_NEW, None)


def has_audit_table(conn: Connection) -> bool:
    engine = conn.engine
    if engine in _ready:
        return True
    if inspect(conn).has_table(AUDIT_TABLE.name):
        _ready.add(engine)
        return True
    return False


def append_entries(
    conn: Connection, entries: Iterable[tuple[str, str, str | None, Any]], actor: str | None = None
) -> int:
    """Append entries (action, table, row id, changes) to the chain; returns how many were written.

    ``changes`` is a JSON-able dict, or its canonical text already built (``audit_snapshot``)."""
    if not has_audit_table(conn):
        return 0
    # Two writers on a server would both read the same chain head: the second waits here until the
    # first commits, then reads the new head (no duplicate id, no fork in the chain). No-op on SQLite.
    advisory_xact_lock(conn, "actdesk-audit-chain")
    last = conn.execute(
        select(AUDIT_TABLE.c.id, AUDIT_TABLE.c.hash).order_by(AUDIT_TABLE.c.id.desc()).limit(1)
    ).first()
    next_id, prev = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
    now = datetime.now(UTC)
    at = now.isoformat(timespec="microseconds")
    who = actor or current_actor()
    rows = []
    for action, table, row_id, changes in entries:
        text = changes if isinstance(changes, str) else canonical(changes)  # str: built by the database
        digest = entry_hash(next_id, at, who, action, table, row_id, text, prev)
        rows.append(
            {
                "id": next_id,
                "at": now,
                "actor": who,
                "action": action,
                "table_name": table,
                "row_id": row_id,
                "changes": text,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
        next_id += 1
    if rows:
        conn.execute(insert(AUDIT_TABLE), rows)
    return len(rows)


def record_batch(
    target: Session | Connection,
    table: str,
    rows: int,
    *,
    action: str = "batch",
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> int:
    """One audit entry for a bulk Core write (demo book, import, book import) of ``rows`` rows into ``table``.

    Call it inside the same transaction as the write so both commit or neither does.
    """
    conn = target.connection() if isinstance(target, Session) else target
    changes = {"rows": rows, **{k: jsonable(v) for k, v in (detail or {}).items()}}
    return append_entries(conn, [(action, table, None, changes)], actor=actor)


def install_audit(sessions: sessionmaker[Session]) -> None:
    """Attach the recorder to a book's session factory (idempotent)."""
    bind = sessions.kw.get("bind")
    if isinstance(bind, Engine):
        install_core_audit(bind)
    if event.contains(sessions, "before_flush", _before_flush):
        return
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "before_commit", _before_commit)
    event.listen(sessions, "after_soft_rollback", lambda s, _t: _after_rollback(s))
