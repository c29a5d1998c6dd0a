"""Core writes recorded in the audit trail too, so that no change to client data escapes it.

The session events in ``audit_log`` see what the ORM flushes. Everything else — ``UPDATE``/``DELETE``/
``INSERT`` statements executed on a session or a connection (a contact merge, clearing a book before an
import, a bulk ORM update) — passes through the engine's ``before_execute``/``after_execute`` events, which
this module listens to: a DELETE snapshots the rows it will remove (and those the database removes with them
through ``ON DELETE CASCADE``) so that ``actdesk audit recover`` can bring them back; an UPDATE records
``[old, new]`` per changed column; an INSERT records the new row, or one batch entry for a many-row insert.
Statements executed while an ORM flush is under way are left to the session events (no double entries).
A DELETE or UPDATE touching more than ``SNAPSHOT_MAX`` rows is recorded as one batch entry with its count:
callers of such bulk changes take a verified backup first and name it in their own entry. Snapshots are
set-based (one SELECT per table and chunk of keys, one multi-row INSERT into the trail), never row by row.
"""

from __future__ import annotations

import contextvars
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, func, select
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.sql.dml import Delete, Insert, Update

from actdesk.storage.tables.base import Base

SNAPSHOT_MAX = 5000
_STASH = "actdesk_audit_core"
_DEFERRED = "actdesk_audit_deferred"
flushing: contextvars.ContextVar[bool] = contextvars.ContextVar("actdesk_audit_flushing", default=False)
_installed: set[int] = set()


def install_core_audit(engine: Engine) -> None:
    if id(engine) in _installed and event.contains(engine, "before_execute", _before):
        return
    event.listen(engine, "before_execute", _before)
    event.listen(engine, "after_execute", _after)
    _installed.add(id(engine))


def _target(statement: Any) -> Table | None:
    from actdesk.storage.audit_log import _audited

    if not isinstance(statement, Delete | Insert | Update) or flushing.get():
        return None
    table = statement.table
    if not isinstance(table, Table) or table.metadata is not Base.metadata:  # e.g. alembic's batch copies
        return None
    # ``delete(HouseholdRow)`` names an annotated copy of the table: the cascade walk compares foreign keys
    # by identity, so it needs the table of the metadata itself.
    table = Base.metadata.tables.get(table.name, table)
    return table if _audited(table) else None


def _parameter_sets(multiparams: Any, params: Any) -> list[dict[str, Any]]:
    """Each set of bound values the statement runs with (one for execute, several for executemany).

    A WHERE clause may name a ``bindparam`` (``id = :_row_id``) whose value only these sets carry, so the
    snapshot query must run with them; without them it failed, which is what kept UPDATE switched off.
    """
    if multiparams:
        return [dict(p) for p in multiparams]
    return [dict(params) if params else {}]


def _snapshot(
    conn: Connection, table: Table, statement: Any, sets: list[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The rows the statement will touch, or None when they are more than ``SNAPSHOT_MAX``."""
    query = select(table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    query = query.limit(SNAPSHOT_MAX + 1)
    pk_cols = list(table.primary_key.columns)
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for values in sets:
        for r in conn.execute(query, values).mappings():
            rows.setdefault(tuple(r[c.name] for c in pk_cols), dict(r))
        if len(rows) > SNAPSHOT_MAX:
            return None
    return list(rows.values())


def _count(conn: Connection, table: Table, statement: Any, sets: list[dict[str, Any]]) -> int:
    query = select(func.count()).select_from(table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    return sum(int(conn.execute(query, values).scalar_one()) for values in sets)


def _before(conn: Connection, statement: Any, multiparams: Any, params: Any, _options: Any) -> None:
    table = _target(statement)
    if table is None or not conn.get_execution_options().get("actdesk_audit", True):
        return
    flush_deferred(conn)
    if isinstance(statement, Insert):
        return
    sets = _parameter_sets(multiparams, params)
    pending: list[tuple[str, str, str | None, Any]] = []
    if len(sets) > SNAPSHOT_MAX:
        conn.info.setdefault(_STASH, []).append((statement, None, pending))
        return
    if isinstance(statement, Delete):
        from actdesk.storage.audit_snapshot import (
            BULK_ROWS,
            bulk_delete_entries,
            delete_entries,
            deleted_rows,
        )

        count = _count(conn, table, statement, sets)
        if count > SNAPSHOT_MAX:
            conn.info.setdefault(_STASH, []).append((statement, None, pending))
            return
        if count >= BULK_ROWS and len(sets) == 1 and conn.dialect.name == "sqlite":
            bulk_delete_entries(conn, table, statement.whereclause, sets[0], pending)
            conn.info.setdefault(_STASH, []).append((statement, [], pending))
            return
        seen: set[tuple[str, str]] = set()
        for values in sets:
            delete_entries(
                conn, table, deleted_rows(conn, table, statement.whereclause, values), pending, seen
            )
        conn.info.setdefault(_STASH, []).append((statement, [], pending))
        return
    rows = _snapshot(conn, table, statement, sets)
    if rows is None:
        conn.info.setdefault(_STASH, []).append((statement, None, pending))
        return
    conn.info.setdefault(_STASH, []).append((statement, rows, pending))


def _after(
    conn: Connection, statement: Any, multiparams: Any, params: Any, _options: Any, result: Any
) -> None:
    table = _target(statement)
    if table is None or not conn.get_execution_options().get("actdesk_audit", True):
        return
    from actdesk.storage.audit_log import _row_id, append_entries, jsonable

    if result.returns_rows:
        # RETURNING: its rows are still on the driver's cursor, and another statement now would lose them;
        # the entries wait for the connection's next statement (or the session's commit).
        conn.info.setdefault(_DEFERRED, []).append((statement, multiparams, params, result.rowcount))
        return
    flush_deferred(conn)

    if isinstance(statement, Insert):
        if multiparams and len(multiparams) > 1:
            append_entries(
                conn, [("batch", table.name, None, {"rows": len(multiparams), "statement": "insert"})]
            )
            return
        compiled = result.context.compiled_parameters
        values = dict(compiled[0]) if compiled else {}
        try:
            pk = result.inserted_primary_key
        except InvalidRequestError:  # RETURNING was asked for: the caller reads the ids, we read the values
            pk = None
        if pk and all(v is not None for v in pk):
            values.update(zip((c.name for c in table.primary_key.columns), pk, strict=False))
        row_id = _row_id(pk) if pk and all(v is not None for v in pk) else None
        changes = {str(k): [None, jsonable(v)] for k, v in values.items()}
        append_entries(conn, [("insert", table.name, row_id, changes)])
        return
    stash: list[Any] = conn.info.get(_STASH, [])
    found = next((item for item in stash if item[0] is statement), None)
    if found is None:
        return
    stash.remove(found)
    _statement, rows, pending = found
    if rows is None:
        count = result.rowcount if result.rowcount is not None and result.rowcount >= 0 else len(multiparams)
        append_entries(conn, [("batch", table.name, None, {"rows": count, "statement": _kind(statement)})])
        return
    if isinstance(statement, Update) and rows:
        pending.extend(_updated(conn, table, rows))
    if pending:
        append_entries(conn, pending)


def _updated(
    conn: Connection, table: Table, rows: list[dict[str, Any]]
) -> list[tuple[str, str, str | None, Any]]:
    """``[old, new]`` of each changed column, the rows read again in chunks of their keys (set-based)."""
    from actdesk.storage.audit_log import CHUNK, _row_id, jsonable

    pk_cols = list(table.primary_key.columns)
    after: dict[tuple[Any, ...], Any] = {}
    if len(pk_cols) == 1:
        keys = [row[pk_cols[0].name] for row in rows]
        for start in range(0, len(keys), CHUNK):
            query = select(table).where(pk_cols[0].in_(keys[start : start + CHUNK]))
            for r in conn.execute(query).mappings():
                after[(r[pk_cols[0].name],)] = r
    else:
        for row in rows:
            query = select(table).where(*(c == row[c.name] for c in pk_cols))
            one = conn.execute(query).mappings().first()
            if one is not None:
                after[tuple(row[c.name] for c in pk_cols)] = one
    entries: list[tuple[str, str, str | None, Any]] = []
    for before in rows:
        key = tuple(before[c.name] for c in pk_cols)
        now = after.get(key)
        if now is None:  # its key changed: not found again under the old one
            continue
        changes = {
            name: [jsonable(old), jsonable(now[name])]
            for name, old in before.items()
            if jsonable(old) != jsonable(now[name])
        }
        if changes:
            entries.append(("update", table.name, _row_id(key), changes))
    return entries


def _kind(statement: Any) -> str:
    return "delete" if isinstance(statement, Delete) else "update"


def flush_deferred(conn: Connection) -> None:
    """Write the entries of statements that returned rows, now that their rows were read."""
    deferred = conn.info.pop(_DEFERRED, None)
    if not deferred:
        return
    from actdesk.storage.audit_log import append_entries

    entries: list[tuple[str, str, str | None, Any]] = []
    stash: list[Any] = conn.info.get(_STASH, [])
    for statement, multiparams, _params, rowcount in deferred:
        found = next((item for item in stash if item[0] is statement), None)
        if found is not None:
            stash.remove(found)
            if found[1] is not None and isinstance(statement, Delete):
                entries.extend(found[2])
                continue
            if found[1] is not None and isinstance(statement.table, Table) and isinstance(statement, Update):
                entries.extend(_updated(conn, statement.table, found[1]))
                continue
        rows = len(multiparams) if multiparams else max(rowcount, 1)
        entries.append(("batch", statement.table.name, None, {"rows": rows, "statement": _verb(statement)}))
    if entries:
        append_entries(conn, entries)


def _verb(statement: Any) -> str:
    return "insert" if isinstance(statement, Insert) else _kind(statement)
