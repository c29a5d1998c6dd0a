"""Bulk inserts for millions of rows: a Core ``insert()`` executed as one executemany per batch.

SQLAlchemy's per-row parameter processing costs more than SQLite's own insert, so on SQLite the values are
put in their storage form here (dates as ISO text, instants as the UTC text ``UTCDateTime`` stores, booleans
as 0/1) and the compiled Core statement is run through the driver. Other databases get the ordinary Core
executemany with Python values. Both write exactly what the ORM would. Tables are named by their name, so the
book format's importer and the demo generator (services) hold no table objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import Boolean, Connection, Date, Table

from actdesk.storage.audit_log import is_audited, record_batch
from actdesk.storage.tables import load_all
from actdesk.storage.tables.base import UTCDateTime

BATCH = 50_000


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given where an aware one is required")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(bool(value))


def _converter(column_type: Any) -> Callable[[Any], Any] | None:
    if isinstance(column_type, UTCDateTime):
        return _sqlite_instant
    if isinstance(column_type, Date):
        return _sqlite_date
    if isinstance(column_type, Boolean):
        return _sqlite_bool
    return None


def insert_dicts(conn: Connection, table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert dict rows (all with the same keys) through the bulk path."""
    items = iter(rows)
    first = next(items, None)
    if first is None:
        return 0
    columns = list(first)
    tuples = (tuple(row[c] for c in columns) for row in chain([first], items))
    return bulk_insert(conn, table, columns, tuples)


def bulk_insert(
    conn: Connection, table: Table | str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``) in batches; returns the number of rows."""
    if isinstance(table, str):
        table = load_all().tables[table]  # by name: any table of the book
    count = 0
    if conn.dialect.name == "sqlite":
        names, fill = _with_defaults(table, columns)
        preparer = conn.dialect.identifier_preparer
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            preparer.format_table(table),
            ", ".join(preparer.quote(name) for name in names),
            ", ".join("?" for _ in names),
        )
        converters = [_converter(table.c[name].type) for name in names]
        converted = [(i, c) for i, c in enumerate(converters) if c is not None]
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            values = [*row, *fill] if fill else list(row)
            for i, convert in converted:
                values[i] = convert(values[i])
            batch.append(tuple(values))
            if len(batch) >= BATCH:
                conn.exec_driver_sql(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            conn.exec_driver_sql(sql, batch)
            count += len(batch)
        if count and is_audited(table):  # raw executemany passes no statement the audit hook could read
            record_batch(conn, table.name, count, detail={"statement": "insert"})
        return count
    statement = table.insert()
    dicts: list[dict[str, Any]] = []
    for row in rows:
        dicts.append(dict(zip(columns, row, strict=True)))
        if len(dicts) >= BATCH:
            conn.execute(statement, dicts)
            count += len(dicts)
            dicts = []
    if dicts:
        conn.execute(statement, dicts)
        count += len(dicts)
    return count


def _with_defaults(table: Table, columns: Sequence[str]) -> tuple[list[str], list[Any]]:
    """The columns to write: those given, plus the ones left out that have a Python-side default."""
    names = list(columns)
    fill: list[Any] = []
    for column in table.columns:
        if column.name in columns or column.default is None:
            continue
        default: Any = column.default
        value = default.arg(None) if default.is_callable else default.arg
        names.append(column.name)
        fill.append(value)
    return names, fill
