"""Every import is one batch: what it inserted, changed (old values) and deleted, so it can be undone later.

The recorder works on any table of the book by name and primary key, so imports, merges and household
confirmations share one undo. Undo refuses (unless forced) when a row was changed after the batch, or when
rows added since depend on rows the batch created, because undoing then would silently lose later work.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Date, Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from actdesk.i18n import _
from actdesk.storage.errors import UndoRefusedError
from actdesk.storage.repositories import imports as repo
from actdesk.storage.tables import metadata
from actdesk.storage.tables.base import UTCDateTime

VOLATILE = {"updated_at", "version"}
BATCH_TABLES = {"import_batches", "import_batch_items"}
CHUNK = 500
TableRef = Table | str  # a table of the book, or its name (services name tables, they import none)


def as_table(table: TableRef) -> Table:
    return metadata.tables[table] if isinstance(table, str) else table


@lru_cache(maxsize=4096)
def _iso(value: date) -> str:
    return value.isoformat()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return _iso(value)
    return value


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def encode_row(values: dict[str, Any]) -> str:
    return _JSON.encode({k: _encode(v) for k, v in values.items()})


def encode_id(row_id: int) -> str:
    return f'{{"id":{row_id}}}'


def decode_row(table: Table, text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    data = json.loads(text)
    result: dict[str, Any] = {}
    for key, value in data.items():
        column = table.c[key]
        if value is not None and isinstance(column.type, UTCDateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        result[key] = value
    return result


def orm_table(cls: type) -> Table:
    """The Core table of an ORM class, typed as such."""
    return cast(Table, cls.__table__)  # type: ignore[attr-defined]


def bulk_insert(s: Session, table: TableRef, rows: list[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` in one executemany and return their new ids, in order.

    On SQLite the ids are assigned here (max(id)+1 onwards): the caller already holds the write lock (its
    batch row is written first), so no other writer can take them, and executemany is many times faster
    than per-row RETURNING. Other databases use INSERT ... RETURNING, which they batch well.
    """
    if not rows:
        return []
    table = as_table(table)
    if s.get_bind().dialect.name == "sqlite":
        start = int(s.scalar(select(func.coalesce(func.max(table.c.id), 0))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        _executemany(s, table, [{**row, "id": rid} for row, rid in zip(rows, ids, strict=True)])
        return ids
    result = s.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(x) for x in result.scalars().all()]


def _executemany(s: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Core's compiled INSERT run by the driver's executemany, values passed through each column's own bind
    processor (repeated values such as the import instant processed once). Same SQL and conversions as
    ``s.execute(insert(table), rows)``, without SQLAlchemy's per-row bookkeeping, which dominates at 50k rows.
    """
    conn = s.connection()
    dialect = conn.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup or ())
    if set(order) - set(keys) or any(set(row) != set(keys) for row in rows):
        s.execute(insert(table), rows)  # rows of different shapes: let Core sort them out
        return
    processors = [(i, table.c[name].type.bind_processor(dialect)) for i, name in enumerate(order)]
    converted = [(i, process) for i, process in processors if process is not None]
    memo: dict[tuple[int, Any], Any] = {}
    getter = itemgetter(*order)
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = getter(row)
        values = list(values) if len(order) > 1 else [values]
        for i, process in converted:
            value = values[i]
            if value is None:
                continue
            key = (i, value)
            done = memo.get(key)
            if done is None:
                done = memo[key] = process(value)
            values[i] = done
        params.append(tuple(values))
    conn.exec_driver_sql(str(compiled), params)


def table_named(name: str) -> Table:
    table = metadata.tables.get(name)
    if table is None or name in BATCH_TABLES:
        raise UndoRefusedError(
            _("the batch names an unknown table {name!r}; it was left as it is").format(name=name)
        )
    return table


class BatchRecorder:
    """Collects the items of one batch inside the caller's unit of work."""

    def __init__(self, s: Session, kind: str, file_name: str | None, now: datetime) -> None:
        self.s = s
        self.id = repo.create_batch(s, kind, file_name, now)
        self.items: list[dict[str, Any]] = []

    def _add(self, table: TableRef, key: dict[str, Any], action: str, before: Any, after: Any) -> None:
        table = as_table(table)
        row_id = key.get("id") if len(key) == 1 else None
        self.items.append(
            {
                "table_name": table.name,
                "row_key": encode_id(row_id) if isinstance(row_id, int) else encode_row(key),
                "action": action,
                "before": None if before is None else encode_row(before),
                "after": None if after is None else encode_row(after),
            }
        )

    def inserted(self, table: TableRef, key: dict[str, Any], after: dict[str, Any]) -> None:
        self._add(table, key, "insert", None, after)

    def inserted_many(self, table: TableRef, ids: list[int], rows: list[dict[str, Any]]) -> None:
        """Rows inserted together. Consecutive ids stamped with one ``updated_at`` become a single range
        item (later edits show as a different ``updated_at``); anything else is recorded row by row."""
        table = as_table(table)
        stamps = {row.get("updated_at") for row in rows}
        contiguous = bool(ids) and ids == list(range(ids[0], ids[0] + len(ids)))
        if contiguous and "updated_at" in table.c and len(stamps) == 1 and None not in stamps:
            self.items.append(
                {
                    "table_name": table.name,
                    "row_key": _JSON.encode({"first": ids[0], "last": ids[-1]}),
                    "action": "insert_range",
                    "before": None,
                    "after": encode_row({"updated_at": rows[0]["updated_at"]}),
                }
            )
            return
        for row_id, row in zip(ids, rows, strict=True):
            self.inserted(table, {"id": row_id}, row)

    def updated(
        self, table: TableRef, key: dict[str, Any], before: dict[str, Any], after: dict[str, Any]
    ) -> None:
        self._add(table, key, "update", before, after)

    def update(
        self,
        table: TableRef,
        key: dict[str, Any],
        values: dict[str, Any],
        new_key: dict[str, Any] | None = None,
    ) -> None:
        """UPDATE one row and record it. ``updated_at`` is saved too, since its onupdate would change it."""
        table = as_table(table)
        columns = list(values)
        if "updated_at" in table.c and "updated_at" not in values:
            columns.append("updated_at")
        query = select(*(table.c[c] for c in columns)).where(_where(table, key))
        before = dict(self.s.execute(query).mappings().one())
        self.s.execute(update(table).where(_where(table, key)).values(**values))
        after = dict(values)
        if "updated_at" in columns and "updated_at" not in values:
            query = select(table.c.updated_at).where(_where(table, new_key or key))
            after["updated_at"] = self.s.execute(query).scalar_one()
        self.updated(table, new_key or key, before, after)

    def update_many(self, table: TableRef, changes: list[tuple[int, dict[str, Any]]]) -> None:
        """UPDATE many rows by id (grouped by the columns they change, one executemany per group)."""
        table = as_table(table)
        by_columns: dict[tuple[str, ...], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        for row_id, values in changes:
            by_columns[tuple(sorted(values))].append((row_id, values))
        for columns, group in by_columns.items():
            ids = [row_id for row_id, _values in group]
            before: dict[int, dict[str, Any]] = {}
            for chunk in _chunks(ids):
                query = select(table.c.id, *(table.c[c] for c in columns)).where(table.c.id.in_(chunk))
                for found in self.s.execute(query).mappings():
                    before[found["id"]] = {c: found[c] for c in columns}
            statement = (
                update(table)
                .where(table.c.id == bindparam("_row_id"))
                .values({c: bindparam(c) for c in columns})
            )
            self.s.execute(statement, [{"_row_id": row_id, **values} for row_id, values in group])
            for row_id, values in group:
                self.updated(table, {"id": row_id}, before[row_id], values)

    def deleted(self, table: TableRef, key: dict[str, Any], before: dict[str, Any]) -> None:
        self._add(table, key, "delete", before, None)

    def insert(self, table: TableRef, key: dict[str, Any], values: dict[str, Any]) -> None:
        """INSERT one row whose key is given (no generated id) and record it."""
        table = as_table(table)
        self.s.execute(insert(table).values(**key, **values))
        self.inserted(table, key, {**key, **values})

    def insert_returning_id(self, table: TableRef, values: dict[str, Any]) -> int:
        """INSERT one row, record it, and return its new id."""
        table = as_table(table)
        new_id = int(self.s.execute(insert(table).returning(table.c.id).values(**values)).scalar_one())
        self.inserted(table, {"id": new_id}, values)
        return new_id

    def delete(self, table: TableRef, key: dict[str, Any]) -> dict[str, Any]:
        """DELETE one row and record what it held; returns its values."""
        table = as_table(table)
        before = full_row(self.s, table, key)
        self.s.execute(delete(table).where(_where(table, key)))
        self.deleted(table, key, before)
        return before

    def finish(self, added: int, changed: int, rejected: int = 0) -> int:
        repo.add_items(self.s, self.id, self.items)
        repo.set_counts(self.s, self.id, added, changed, rejected)
        return self.id


def _where(table: Table, key: dict[str, Any]) -> Any:
    return and_(*(table.c[k] == v for k, v in key.items()))


def _row(s: Session, table: Table, key: dict[str, Any]) -> dict[str, Any] | None:
    found = s.execute(select(table).where(_where(table, key))).mappings().first()
    return None if found is None else dict(found)


def full_row(s: Session, table: TableRef, key: dict[str, Any]) -> dict[str, Any]:
    """Every column of the one row with ``key``."""
    table = as_table(table)
    return dict(s.execute(select(table).where(_where(table, key))).mappings().one())


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _differs(current: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    return [k for k, v in expected.items() if k not in VOLATILE and current.get(k) != v]


def _chunks(values: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _dependents(s: Session, inserted: dict[str, set[int]], touched: dict[str, set[int]]) -> dict[str, int]:
    """Rows the batch did not write that point at rows it created (they would be lost or unlinked)."""
    found: dict[str, int] = defaultdict(int)
    for table in metadata.sorted_tables:
        if table.name in BATCH_TABLES:
            continue
        own = touched.get(table.name, set())
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target not in inserted or fk.column.name != "id":
                continue
            for first, last in _runs(inserted[target]):
                query = select(table).where(fk.parent.between(first, last))
                rows = s.execute(query).mappings().all()
                extra = [r for r in rows if "id" not in r or r["id"] not in own]
                found[table.name] += len(extra)
    return {k: v for k, v in found.items() if v}


def _runs(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Consecutive ids as (first, last) runs: 50,000 imported ids are usually one run, one query."""
    runs: list[tuple[int, int]] = []
    for row_id in sorted(ids):
        if runs and row_id == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row_id)
        else:
            runs.append((row_id, row_id))
    return runs


def undo(
    s: Session, batch_id: int, now: datetime, force: bool = False, check: Callable[[], None] | None = None
) -> dict[str, int]:
    """Put back the book as it was before the batch. Returns counts of rows removed/restored."""
    batch = repo.get_batch(s, batch_id)
    if batch is None:
        raise UndoRefusedError(_("there is no import batch {id}").format(id=batch_id))
    if batch.state != "applied":
        raise UndoRefusedError(_("batch {id} was already undone").format(id=batch_id))
    everything = list(reversed(repo.batch_items(s, batch_id)))
    items = [item for item in everything if item.action != "insert_range"]
    ranges = [item for item in everything if item.action == "insert_range"]
    conflicts: list[str] = []
    inserted: dict[str, set[int]] = defaultdict(set)
    touched: dict[str, set[int]] = defaultdict(set)
    for item in ranges:
        table = table_named(item.table_name)
        bounds = json.loads(item.row_key)
        first, last = int(bounds["first"]), int(bounds["last"])
        inserted[table.name].update(range(first, last + 1))
        touched[table.name].update(range(first, last + 1))
        stamp = decode_row(table, item.after)["updated_at"]
        changed_ids = s.scalars(
            select(table.c.id).where(table.c.id.between(first, last), table.c.updated_at != stamp)
        ).all()
        conflicts.extend(f"{table.name} {row_id} (changed)" for row_id in changed_ids)
    for item in items:
        table = table_named(item.table_name)
        key = decode_row(table, item.row_key)
        if set(key) == {"id"}:
            touched[table.name].add(int(key["id"]))
            if item.action == "insert":
                inserted[table.name].add(int(key["id"]))
    expected_by_table: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
    for item in items:
        if item.action in ("insert", "update"):
            table = table_named(item.table_name)
            key = decode_row(table, item.row_key)
            if set(key) == {"id"}:
                expected_by_table[table.name][int(key["id"])] = decode_row(table, item.after)
            else:
                current = _row(s, table, key)
                if current is not None and _differs(current, decode_row(table, item.after)):
                    conflicts.append(f"{table.name} {item.row_key}")
    for name, expected in expected_by_table.items():
        table = table_named(name)
        ids = sorted(expected)
        for chunk in _chunks(ids):
            if check is not None:
                check()
            for found in s.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                changed = _differs(dict(found), expected[found["id"]])
                if changed:
                    conflicts.append(f"{name} {found['id']} ({', '.join(changed)})")
    if not force:
        if conflicts:
            raise UndoRefusedError(
                _(
                    "{n} row(s) were changed after batch {id} (e.g. {example}); undo would lose those "
                    "changes. Undo later batches first."
                ).format(n=len(conflicts), id=batch_id, example=conflicts[0]),
                forceable=True,
            )
        dependents = _dependents(s, inserted, touched)
        if dependents:
            listed = ", ".join(f"{n} {t}" for t, n in sorted(dependents.items()))
            raise UndoRefusedError(
                _(
                    "records added since batch {id} depend on what it created ({listed}); "
                    "undo would delete or unlink them."
                ).format(id=batch_id, listed=listed),
                forceable=True,
            )
    counts = {"removed": 0, "restored": 0}
    pending_deletes: dict[str, list[int]] = defaultdict(list)

    def flush_deletes() -> None:
        for name, ids in pending_deletes.items():
            table = table_named(name)
            for chunk in _chunks(ids):
                counts["removed"] += _rowcount(s.execute(delete(table).where(table.c.id.in_(chunk))))
        pending_deletes.clear()

    for item in everything:
        table = table_named(item.table_name)
        if item.action == "insert_range":
            flush_deletes()
            bounds = json.loads(item.row_key)
            query = delete(table).where(table.c.id.between(int(bounds["first"]), int(bounds["last"])))
            counts["removed"] += _rowcount(s.execute(query))
            continue
        key = decode_row(table, item.row_key)
        if item.action == "insert":
            if set(key) == {"id"}:
                pending_deletes[table.name].append(int(key["id"]))
            else:
                counts["removed"] += _rowcount(s.execute(delete(table).where(_where(table, key))))
            continue
        flush_deletes()
        if item.action == "update":
            s.execute(update(table).where(_where(table, key)).values(**decode_row(table, item.before)))
        elif item.action == "delete":
            s.execute(insert(table).values(**decode_row(table, item.before)))
        counts["restored"] += 1
    flush_deletes()
    repo.mark_undone(s, batch_id, now)
    return counts


def table_counts(s: Session) -> dict[str, int]:
    """Rows per table of the book (for tests and for reporting what a batch touched)."""
    return {
        t.name: int(s.scalar(select(func.count()).select_from(t)) or 0)
        for t in metadata.sorted_tables
        if t.name not in BATCH_TABLES
    }
