"""``actdesk db copy``: move a whole book between SQLite and PostgreSQL, verified row for row.

Every table of the schema (client data, alerts, mail, audit trail, users...) is streamed in primary-key
order from the source and inserted into the target inside ONE transaction on the target, parents first,
ids kept as they are (so links, the audit trail's hash chain and undo batches stay valid); PostgreSQL's
sequences are then moved past the copied ids. Finally both sides are read back: row counts and a checksum
over each table's ordered rows must match, else the target transaction is not kept.

The target must be empty (a fresh database or file) unless ``replace`` is given: then a PostgreSQL target's
rows are deleted in the same transaction, and an SQLite target file is first moved aside (its audit trail
is append-only), never deleted.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select
from sqlalchemy.engine import URL

from actdesk.i18n import _
from actdesk.storage import dialect
from actdesk.storage.engine import Book, book_url
from actdesk.storage.errors import BookError
from actdesk.storage.open import open_book
from actdesk.storage.server import display_url
from actdesk.storage.tables import metadata

log = logging.getLogger(__name__)
BATCH = 5000


class CopyRefusedError(BookError):
    """The copy was refused before anything was written (non-empty target, same book, unreadable)."""


class CopyMismatchError(BookError):
    """The copy did not read back equal; the target's transaction was rolled back."""


@dataclass
class TableCopy:
    table: str
    rows: int
    checksum: str


@dataclass
class CopyReport:
    source: str
    target: str
    tables: list[TableCopy] = field(default_factory=list)
    moved_aside: str | None = None

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def tables_in_order() -> list[Table]:
    """Every table of the schema, parents before children; derived tables last (the series cache, which
    a write to the tables it is computed from empties: copied before them, it would not read back)."""
    tables = list(metadata.sorted_tables)
    return [t for t in tables if not t.info.get("derived")] + [t for t in tables if t.info.get("derived")]


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables_in_order()
    }


def checksums(conn: Connection) -> dict[str, tuple[int, str]]:
    return {t.name: dialect.table_checksum(conn, t) for t in tables_in_order()}


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    aside = path.with_name(f"{path.stem}.replaced-{stamp}{path.suffix}")
    path.rename(aside)
    for suffix in ("-wal", "-shm"):
        extra = path.with_name(path.name + suffix)
        if extra.exists():
            extra.rename(aside.with_name(aside.name + suffix))
    return aside


def _copy_table(source: Connection, target: Connection, table: Table) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execution_options(stream_results=True).execute(select(table).order_by(*order))
    copied = 0
    for part in result.partitions(BATCH):
        rows = [dict(r._mapping) for r in part]
        target.execute(insert(table), rows)
        copied += len(rows)
    return copied


def copy_book(
    source: Book,
    target: str | Path | URL,
    *,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy ``source`` into ``target`` (a path or URL) and verify it; see the module docstring."""
    url = target if isinstance(target, URL) else book_url(target)
    if display_url(url) == display_url(source.url):
        raise CopyRefusedError(_("The source and the target are the same book; nothing was copied."))
    report = CopyReport(source=display_url(source.url), target=display_url(url))
    path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
    if path is not None and path.exists() and path.stat().st_size > 0:
        probe = open_book(url)
        try:
            with probe.engine.connect() as conn:
                filled = any(row_counts(conn).values())
        finally:
            probe.dispose()
        if filled and not replace:
            raise CopyRefusedError(
                _("{target} already holds a book; copy into an empty one, or add --replace.").format(
                    target=report.target
                )
            )
        if filled:
            report.moved_aside = str(_move_aside(path))
    book = open_book(url)
    try:
        with source.engine.connect() as src, book.engine.begin() as dst:
            dst.execution_options(actdesk_audit=False)  # a copy carries the source's trail, it adds none
            counts = row_counts(dst)
            if any(counts.values()):
                if not replace:
                    raise CopyRefusedError(
                        _("{target} already holds a book; copy into an empty one, or add --replace.").format(
                            target=report.target
                        )
                    )
                for table in reversed(tables_in_order()):
                    dst.execute(delete(table))
            for table in tables_in_order():
                n = _copy_table(src, dst, table)
                if progress:
                    progress(table.name, n)
            dialect.reset_sequences(dst, dialect.id_tables(tables_in_order()))
            expected = checksums(src)
            got = checksums(dst)
            wrong = [name for name in expected if expected[name] != got[name]]
            if wrong:
                raise CopyMismatchError(
                    _("The copy did not read back equal ({tables}); nothing was kept in the target.").format(
                        tables=", ".join(wrong)
                    )
                )
            report.tables = [TableCopy(name, n, digest) for name, (n, digest) in got.items()]
    finally:
        book.dispose()
    log.info("copied %d rows from %s to %s", report.rows, report.source, report.target)
    return report


def verify_equal(a: Book, b: Book) -> dict[str, Any]:
    """Tables whose counts or checksums differ between two books (empty when they are equal row for row)."""
    with a.engine.connect() as ca, b.engine.connect() as cb:
        left, right = checksums(ca), checksums(cb)
    return {name: (left[name], right[name]) for name in left if left[name] != right[name]}
