"""Whole tables of a book, by name: count, empty, stream out, copy across, check that a record exists.

The open book format, the demo generator and ``db copy`` work table by table; they name the tables and
this module writes the statements, so no service builds SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select

from actdesk.storage import dialect
from actdesk.storage.tables import metadata

Formatter = Callable[[Any], Any]


def _table(name: str) -> Table:
    return metadata.tables[name]


def table_names() -> list[str]:
    """Every table of the schema, parents before children; derived tables last (the series cache, which
    a write to the tables it is computed from empties: copied before them, it would not read back)."""
    tables = list(metadata.sorted_tables)
    return [t.name for t in tables if not t.info.get("derived")] + [
        t.name for t in tables if t.info.get("derived")
    ]


def nullable(table: str, column: str) -> bool:
    return bool(_table(table).c[column].nullable)


def count_rows(conn: Connection, tables: Iterable[str] | None = None) -> dict[str, int]:
    """Rows per table (every table of the schema when none are named), in the order given."""
    names = table_names() if tables is None else list(tables)
    return {
        name: int(conn.execute(select(func.count()).select_from(_table(name))).scalar_one()) for name in names
    }


def delete_all(conn: Connection, tables: Iterable[str]) -> None:
    """Delete every row of each table, in the order given (children first), in the caller's transaction."""
    for name in tables:
        conn.execute(delete(_table(name)))


def max_id(conn: Connection, table: str) -> int:
    """The largest ``id`` of the table, 0 when it is empty."""
    t = _table(table)
    return int(conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one())


def reset_id_sequences(conn: Connection, tables: Iterable[str] | None = None) -> int:
    """Move PostgreSQL's sequences past the largest ids (of every id table when none are named)."""
    chosen = dialect.id_tables(metadata.sorted_tables) if tables is None else list(tables)
    return dialect.reset_sequences(conn, chosen)


def record_exists(conn: Connection, table: str, record_id: int) -> bool:
    t = _table(table)
    return conn.execute(select(t.c.id).where(t.c.id == record_id)).first() is not None


def household_tags(conn: Connection) -> dict[str, list[str]]:
    """Each household's tags (by household id as text), in tag order."""
    t = _table("household_tags")
    tags: dict[str, list[str]] = {}
    for household_id, tag in conn.execute(select(t.c.household_id, t.c.tag).order_by(t.c.tag)):
        tags.setdefault(str(household_id), []).append(tag)
    return tags


def checksums(conn: Connection) -> dict[str, tuple[int, str]]:
    """(rows, digest of the ordered rows) of every table."""
    return {name: dialect.table_checksum(conn, _table(name)) for name in table_names()}


def copy_table(source: Connection, target: Connection, table: str, batch: int) -> int:
    """Stream one table from ``source`` into ``target`` in key order, ids kept; returns the rows copied."""
    t = _table(table)
    order = list(t.primary_key.columns) or list(t.columns)
    result = source.execution_options(stream_results=True).execute(select(t).order_by(*order))
    copied = 0
    for part in result.partitions(batch):
        rows = [dict(r._mapping) for r in part]
        target.execute(insert(t), rows)
        copied += len(rows)
    return copied


def stream_cells(
    conn: Connection,
    table: str,
    columns: Sequence[tuple[str, str]],
    formats: Sequence[Formatter],
    *,
    batch: int,
    native: bool = True,
) -> Iterator[list[list[Any]]]:
    """Rows of cells in key order, ``columns`` given as (column, kind of the open book format).

    On SQLite (``native``) the database renders every cell as text exactly as ``formats`` would, and rows
    come straight from the driver's cursor; elsewhere each value goes through its formatter.
    """
    t = _table(table)
    if native and conn.dialect.name == "sqlite":
        order = ", ".join(f'"{c.name}"' for c in t.primary_key.columns)
        cells = ", ".join(_sqlite_cell(name, kind) for name, kind in columns)
        cursor = conn.connection.cursor()
        try:
            cursor.execute(f'SELECT {cells} FROM "{t.name}" ORDER BY {order}')
            while rows := cursor.fetchmany(batch):
                yield [list(row) for row in rows]
        finally:
            cursor.close()
        return
    query = select(*(t.c[name] for name, _kind in columns)).order_by(*t.primary_key.columns)
    result = conn.execution_options(stream_results=True, yield_per=batch).execute(query)
    for part in result.partitions(batch):
        yield [[fmt(value) for fmt, value in zip(formats, row, strict=True)] for row in part]


def _sqlite_cell(column: str, kind: str) -> str:
    """The SQL that renders one column exactly as the book format's ``codec.format_value`` would."""
    name = f'"{column}"'
    if kind == "money":
        return (
            f"CASE WHEN {name} < 0 THEN '-' || (-{name} / 100) || '.' || substr('0' || (-{name} % 100), -2) "
            f"ELSE ({name} / 100) || '.' || substr('0' || ({name} % 100), -2) END"
        )
    if kind == "bool":
        return f"CASE {name} WHEN 1 THEN 'true' WHEN 0 THEN 'false' END"
    if kind == "datetime":
        # UTCDateTime stores 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00'; isoformat() drops a zero fraction.
        return (
            f"CASE WHEN length({name}) = 32 AND substr({name}, 20, 7) = '.000000' "
            f"THEN substr({name}, 1, 19) || substr({name}, 27) ELSE {name} END"
        )
    if kind == "float":
        return f"CAST({name} AS REAL)"
    return name
