"""The storage layer's dialect-specific corners: every SQL that differs between SQLite and PostgreSQL.

Code outside storage asks these helpers instead of writing SQLite-only SQL, so the same unit of work runs
on the embedded book and on a practice's PostgreSQL server. SQLite has a single writer (the file lock and
SQLite's own write lock), so the server-only locks here are no-ops there.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, Connection, Table, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def dialect_name(target: Session | Connection) -> str:
    bind = target.get_bind() if isinstance(target, Session) else target
    return bind.dialect.name


def is_postgresql(target: Session | Connection) -> bool:
    return dialect_name(target) == "postgresql"


def is_sqlite(target: Session | Connection) -> bool:
    return dialect_name(target) == "sqlite"


def group_concat(target: Session | Connection, expr: ColumnElement[Any], separator: str = ",") -> Any:
    """``group_concat`` on SQLite, ``string_agg`` on PostgreSQL (both skip NULLs)."""
    if is_postgresql(target):
        return func.string_agg(expr, separator)
    return func.group_concat(expr, separator)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_advisory_*lock`` from a readable name (e.g. "audit-chain")."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def advisory_xact_lock(target: Session | Connection, name: str) -> None:
    """Serialise writers on ``name`` until the current transaction ends (PostgreSQL; no-op on SQLite,
    whose single writer already serialises them)."""
    conn = target.connection() if isinstance(target, Session) else target
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(lock_key(name))))


def write_lock(target: Session | Connection, name: str) -> None:
    """Serialise read-then-write units of work on ``name`` until the transaction ends, on both backends.

    PostgreSQL: an advisory transaction lock. SQLite: take the database's write lock now (``BEGIN
    IMMEDIATE``) instead of at the first write, so that what this unit of work reads next is not stale by
    the time it writes (the Python driver otherwise starts the transaction only at the first write, and
    two threads of one process would both read, then both write).
    """
    conn = target.connection() if isinstance(target, Session) else target
    if conn.dialect.name == "postgresql":
        advisory_xact_lock(conn, name)
    elif conn.dialect.name == "sqlite":
        raw = conn.connection.driver_connection
        if raw is not None and not getattr(raw, "in_transaction", True):
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def id_tables(tables: Iterable[Table]) -> list[Table]:
    """Tables with an auto-increment integer ``id`` primary key (the ones with a sequence on PostgreSQL)."""
    out = []
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) == 1 and pk[0].name == "id" and pk[0].autoincrement in (True, "auto"):
            out.append(table)
    return out


def reset_sequences(conn: Connection, tables: Iterable[Table | str]) -> int:
    """Explicit-id inserts leave PostgreSQL's sequences behind: move each past its table's largest id.

    No-op on SQLite (``INTEGER PRIMARY KEY`` always continues after the largest rowid). Returns how many
    sequences were moved.
    """
    if conn.dialect.name != "postgresql":
        return 0
    moved = 0
    preparer = conn.dialect.identifier_preparer
    for table in tables:
        name = table if isinstance(table, str) else table.name
        sequence = conn.execute(select(func.pg_get_serial_sequence(name, "id"))).scalar()
        if sequence is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(:seq, COALESCE((SELECT MAX(id) FROM {preparer.quote(name)}), 0) + 1, false)"
            ),
            {"seq": sequence},
        )
        moved += 1
    return moved


def _canonical(value: Any) -> str:
    """One text form per value whatever the backend returned (bool vs 0/1, aware datetime vs ISO text)."""
    if value is None:
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(round(value, 9))
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)


def table_checksum(conn: Connection, table: Table, *, batch: int = 5000) -> tuple[int, str]:
    """(row count, CRC-32 chained over every row in primary-key order) read through the ORM's types, so
    the same book gives the same checksum on SQLite and PostgreSQL."""
    columns: list[Column[Any]] = list(table.columns)
    order = list(table.primary_key.columns) or columns
    result = conn.execution_options(stream_results=True).execute(select(*columns).order_by(*order))
    crc = 0
    count = 0
    for part in result.partitions(batch):
        for row in part:
            line = "\x1f".join(_canonical(v) for v in row) + "\x1e"
            crc = zlib.crc32(line.encode("utf-8"), crc)
            count += 1
    return count, f"{crc:08x}"
