"""Core writes recorded in the audit trail too, so that no change to client data escapes it.

The session events in ``audit_log`` see what the ORM flushes. Everything else — ``UPDATE``/``DELETE``/
``INSERT`` statements executed on a session or a connection (a contact merge, clearing a book before an
import, a bulk ORM update) — passes through the engine's ``before_execute``/``after_execute`` events, which
this module listens to: a DELETE snapshots the rows it will remove (and those the database removes with them
through ``ON DELETE CASCADE``) so that ``actdesk audit recover`` can bring them back; an UPDATE records
``[old, new]`` per changed column; an INSERT records the new row, or one batch entry for a many-row insert.
Statements executed while an ORM flush is under way are left to the session events (no double entries).
A DELETE or UPDATE touching more than ``SNAPSHOT_MAX`` rows is recorded as one batch entry with its count:
callers of such bulk changes take a verified backup first and name it in their own entry.
"""

from __future__ import annotations

import contextvars
from typing import Any

from sqlalchemy import Connection, Engine, Table, event, select
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

    # UPDATE statements are not recorded yet: the hook changed what the contact importer's merge wrote
    # (tests/imports/test_import_cli.py), cause not found in time; see docs/reliability.md.
    if not isinstance(statement, Delete | Insert) or flushing.get():
        return None
    table = statement.table
    if not isinstance(table, Table) or table.metadata is not Base.metadata:  # e.g. alembic's batch copies
        return None
    return table if _audited(table) else None


def _before(conn: Connection, statement: Any, multiparams: Any, params: Any, _options: Any) -> None:
    table = _target(statement)
    if table is None or not conn.get_execution_options().get("actdesk_audit", True):
        return
    flush_deferred(conn)
    if isinstance(statement, Insert) or multiparams:
        return
    from actdesk.storage.audit_log import _cascade_rows, _row_id, jsonable

    query = select(table)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    rows = [dict(r) for r in conn.execute(query.limit(SNAPSHOT_MAX + 1)).mappings()]
    pending: list[tuple[str, str, str | None, dict[str, Any]]] = []
    if len(rows) > SNAPSHOT_MAX:
        conn.info.setdefault(_STASH, []).append((statement, None, pending))
        return
    if isinstance(statement, Delete):
        seen: set[tuple[str, str]] = set()
        for row in rows:
            row_id = _row_id(row[c.name] for c in table.primary_key.columns)
            seen.add((table.name, row_id))
            pending.append(("delete", table.name, row_id, {k: [jsonable(v), None] for k, v in row.items()}))
        for row in rows:
            pk = [row[c.name] for c in table.primary_key.columns]
            _cascade_rows(conn, table, pk, pending, seen, depth=0)
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
    if multiparams:
        append_entries(
            conn, [("batch", table.name, None, {"rows": len(multiparams), "statement": _kind(statement)})]
        )
        return
    stash: list[Any] = conn.info.get(_STASH, [])
    found = next((item for item in stash if item[0] is statement), None)
    if found is None:
        return
    stash.remove(found)
    _statement, rows, pending = found
    if rows is None:
        append_entries(
            conn, [("batch", table.name, None, {"rows": result.rowcount, "statement": _kind(statement)})]
        )
        return
    if isinstance(statement, Update) and rows:
        pk_cols = list(table.primary_key.columns)
        for before in rows:
            key = [before[c.name] for c in pk_cols]
            query = select(table).where(*(c == v for c, v in zip(pk_cols, key, strict=True)))
            after = conn.execute(query).mappings().first()
            if after is None:
                continue
            changes = {
                name: [jsonable(old), jsonable(after[name])]
                for name, old in before.items()
                if jsonable(old) != jsonable(after[name])
            }
            if changes:
                pending.append(("update", table.name, _row_id(key), changes))
    if pending:
        append_entries(conn, pending)


def _kind(statement: Any) -> str:
    return "delete" if isinstance(statement, Delete) else "update"


def flush_deferred(conn: Connection) -> None:
    """Write the entries of statements that returned rows, now that their rows were read."""
    deferred = conn.info.pop(_DEFERRED, None)
    if not deferred:
        return
    from actdesk.storage.audit_log import append_entries

    entries: list[tuple[str, str, str | None, dict[str, Any]]] = []
    stash: list[Any] = conn.info.get(_STASH, [])
    for statement, multiparams, _params, rowcount in deferred:
        found = next((item for item in stash if item[0] is statement), None)
        if found is not None:
            stash.remove(found)
            if found[1] is not None and isinstance(statement, Delete):
                entries.extend(found[2])
                continue
        rows = len(multiparams) if multiparams else max(rowcount, 1)
        entries.append(("batch", statement.table.name, None, {"rows": rows, "statement": _verb(statement)}))
    if entries:
        append_entries(conn, entries)


def _verb(statement: Any) -> str:
    return "insert" if isinstance(statement, Insert) else _kind(statement)
