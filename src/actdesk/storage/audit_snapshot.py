"""Snapshots of rows about to be deleted, built set-based, so that a bulk delete stays fast and recoverable.

A deleted row's audit entry holds ``{column: [value, null]}``. Building that in Python, value by value, for
the 49,500 rows an import undo removes took 14 s (the undo itself takes about one); on SQLite the entry's
text is built by the database in the same SELECT that finds the rows (``json_object``, keys sorted like
:func:`canonical`), so Python only chains the hashes and inserts the entries in one executemany. Rows the
database deletes with them (``ON DELETE CASCADE``) are found by one query per child table and chunk of
parent keys. Other dialects build the same text in Python.

A delete of ``BULK_ROWS`` rows or more on SQLite goes further, the nearest a hash-chained trail gets to
one INSERT ... SELECT: one entry per table, ``delete_rows``, whose text ``{"count": n, "rows": [...]}`` the
database aggregates in one SELECT (``json_group_array``), the rows it cascades to found by subqueries on
the parent's WHERE, never by lists of keys in Python. ``audit recover`` looks inside these entries too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, ForeignKey, LargeBinary, String, Table, func, literal, null, select
from sqlalchemy.sql.elements import ColumnElement

from actdesk.storage.audit_log import CHUNK, _audited, _row_id, canonical, jsonable
from actdesk.storage.tables import CASCADE_PARENTS, Base, load_all

Entry = tuple[str, str, str | None, Any]
BULK_ROWS = 50  # from this many rows a delete is one entry per table (SQLite)


def _cascading_keys(table: Table) -> Iterator[tuple[Table, ForeignKey]]:
    """Each audited table's foreign key onto ``table`` that the database follows with ON DELETE CASCADE.
    A command maps only the tables it uses, so before following a parent's keys every table of the book is
    registered: a child table nobody had imported would be deleted by the database without its entry."""
    if table.metadata is Base.metadata and table.name in CASCADE_PARENTS:
        load_all()
    for child in table.metadata.tables.values():
        if not _audited(child):
            continue
        for fk in child.foreign_keys:
            if fk.column.table is table and (fk.ondelete or "").upper() == "CASCADE":
                yield child, fk


def _row_json(table: Table) -> Any:
    args: list[Any] = []
    for column in sorted(table.columns, key=lambda c: c.name):
        value = func.hex(column) if isinstance(column.type, LargeBinary) else column
        args += [literal(column.name, String), func.json_array(value, null())]
    return func.json_object(*args)


def bulk_delete_entries(
    conn: Connection,
    table: Table,
    where: ColumnElement[bool] | None,
    params: dict[str, Any],
    pending: list[Entry],
    depth: int = 0,
) -> None:
    """One ``delete_rows`` entry for ``table``'s rows that ``where`` selects, and one per table they cascade
    to (set-based all the way: the children are found by a subquery on this WHERE)."""
    if depth > 4:
        return
    aggregate = func.json_object(
        literal("count", String),
        func.count(),
        literal("rows", String),
        func.json_group_array(_row_json(table)),
    )
    query = select(func.count(), aggregate).select_from(table)
    if where is not None:
        query = query.where(where)
    count, text = conn.execute(query, params).one()
    if not count:
        return
    pending.append(("delete_rows", table.name, None, str(text)))
    for child, fk in _cascading_keys(table):
        parents = select(fk.column)
        if where is not None:
            parents = parents.where(where)
        bulk_delete_entries(conn, child, fk.parent.in_(parents), params, pending, depth + 1)


def deleted_rows(
    conn: Connection, table: Table, where: ColumnElement[bool] | None, params: dict[str, Any] | None = None
) -> list[tuple[list[Any], str]]:
    """(primary key, entry text) of each row ``where`` selects, in one query."""
    pk_cols = list(table.primary_key.columns)
    if conn.dialect.name == "sqlite":
        query = select(*pk_cols, _row_json(table))
        if where is not None:
            query = query.where(where)
        return [(list(r[:-1]), str(r[-1])) for r in conn.execute(query, params or {})]
    plain = select(table)
    if where is not None:
        plain = plain.where(where)
    out = []
    for row in conn.execute(plain, params or {}).mappings():
        text = canonical({k: [jsonable(v), None] for k, v in row.items()})
        out.append(([row[c.name] for c in pk_cols], text))
    return out


def delete_entries(
    conn: Connection,
    table: Table,
    rows: list[tuple[list[Any], str]],
    pending: list[Entry],
    seen: set[tuple[str, str]],
) -> None:
    """The entries of ``rows`` and of every row their deletion cascades to, appended to ``pending``."""
    pks = []
    for pk, text in rows:
        row_id = _row_id(pk)
        if (table.name, row_id) in seen:
            continue
        seen.add((table.name, row_id))
        pending.append(("delete", table.name, row_id, text))
        pks.append(pk)
    cascade_rows(conn, table, pks, pending, seen, depth=0)


def cascade_rows(
    conn: Connection,
    table: Table,
    pks: list[list[Any]],
    pending: list[Entry],
    seen: set[tuple[str, str]],
    depth: int,
) -> None:
    """Rows the database itself will delete (ON DELETE CASCADE) are snapshotted too, so they stay recoverable."""
    keys = [pk[0] for pk in pks if len(pk) == 1]
    if depth > 4 or not keys or not table.metadata:
        return
    for child, fk in _cascading_keys(table):
        found: list[list[Any]] = []
        for start in range(0, len(keys), CHUNK):
            for pk, text in deleted_rows(conn, child, fk.parent.in_(keys[start : start + CHUNK])):
                row_id = _row_id(pk)
                if (child.name, row_id) in seen:
                    continue
                seen.add((child.name, row_id))
                pending.append(("delete", child.name, row_id, text))
                found.append(pk)
        cascade_rows(conn, child, found, pending, seen, depth + 1)
