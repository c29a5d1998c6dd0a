"""Import batches: create, list, read items, mark undone. Returns plain dataclasses, never ORM rows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from actdesk.storage.tables.imports import ImportBatchItemRow, ImportBatchRow


@dataclass(frozen=True, slots=True)
class BatchSummary:
    id: int
    kind: str
    file_name: str | None
    created_at: datetime
    state: str
    undone_at: datetime | None
    added: int
    changed: int
    rejected: int


@dataclass(frozen=True, slots=True)
class BatchItem:
    id: int
    table_name: str
    row_key: str
    action: str
    before: str | None
    after: str | None


def _summary(row: ImportBatchRow) -> BatchSummary:
    return BatchSummary(
        id=row.id,
        kind=row.kind,
        file_name=row.file_name,
        created_at=row.created_at,
        state=row.state,
        undone_at=row.undone_at,
        added=row.added,
        changed=row.changed,
        rejected=row.rejected,
    )


def create_batch(s: Session, kind: str, file_name: str | None, now: datetime) -> int:
    row = ImportBatchRow(
        kind=kind, file_name=file_name, created_at=now, state="applied", added=0, changed=0, rejected=0
    )
    s.add(row)
    s.flush()
    return row.id


def add_items(s: Session, batch_id: int, items: Sequence[dict[str, Any]]) -> None:
    """Bulk insert of item dicts (table_name, row_key, action, before, after)."""
    if items:
        table = ImportBatchItemRow.__table__
        s.execute(insert(table), [{**item, "batch_id": batch_id} for item in items])  # type: ignore[arg-type]


def set_counts(s: Session, batch_id: int, added: int, changed: int, rejected: int) -> None:
    s.execute(
        update(ImportBatchRow)
        .where(ImportBatchRow.id == batch_id)
        .values(added=added, changed=changed, rejected=rejected)
    )


def list_batches(s: Session) -> list[BatchSummary]:
    rows = s.scalars(select(ImportBatchRow).order_by(ImportBatchRow.id.desc()))
    return [_summary(r) for r in rows]


def get_batch(s: Session, batch_id: int) -> BatchSummary | None:
    row = s.get(ImportBatchRow, batch_id)
    return None if row is None else _summary(row)


def batch_items(s: Session, batch_id: int) -> list[BatchItem]:
    rows = s.execute(
        select(
            ImportBatchItemRow.id,
            ImportBatchItemRow.table_name,
            ImportBatchItemRow.row_key,
            ImportBatchItemRow.action,
            ImportBatchItemRow.before,
            ImportBatchItemRow.after,
        )
        .where(ImportBatchItemRow.batch_id == batch_id)
        .order_by(ImportBatchItemRow.id)
    )
    return [BatchItem(*row) for row in rows]


def mark_undone(s: Session, batch_id: int, now: datetime) -> None:
    s.execute(
        update(ImportBatchRow).where(ImportBatchRow.id == batch_id).values(state="undone", undone_at=now)
    )
