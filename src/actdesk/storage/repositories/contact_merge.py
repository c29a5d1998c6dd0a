"""The storage side of merging two contacts: re-pointing every row that refers to a record, inside a batch.

Any table a later feature adds with a foreign key to contacts or households is found through the schema,
so a merge never leaves a row pointing at a record that is gone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from actdesk.storage.repositories.import_batches import BATCH_TABLES, BatchRecorder, as_table, full_row
from actdesk.storage.tables import metadata
from actdesk.storage.tables.book import ContactRow


def existing_contacts(s: Session, ids: list[int]) -> set[int]:
    """Those of ``ids`` that name a contact of the book."""
    return set(s.scalars(select(ContactRow.id).where(ContactRow.id.in_(ids))))


def contact(s: Session, contact_id: int) -> dict[str, Any]:
    """Every column of one contact."""
    return full_row(s, "contacts", {"id": contact_id})


def other_members(s: Session, household_id: int, contact_id: int) -> int:
    """How many contacts besides ``contact_id`` belong to the household."""
    query = (
        select(func.count())
        .select_from(ContactRow)
        .where(ContactRow.household_id == household_id, ContactRow.id != contact_id)
    )
    return int(s.scalar(query) or 0)


def repoint(s: Session, batch: BatchRecorder, target: str, old_id: int, new_id: int) -> int:
    """Point every row referring to ``target`` row ``old_id`` at ``new_id``; rows that would clash are removed."""
    target_table = as_table(target)
    moved = 0
    for table in metadata.sorted_tables:
        if table.name in BATCH_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is not target_table:
                continue
            column = fk.parent
            pk = [c.name for c in table.primary_key.columns]
            for row in s.execute(select(table).where(column == old_id)).mappings().all():
                before = dict(row)
                old_key = {k: before[k] for k in pk}
                new_key = {k: (new_id if k == column.name else before[k]) for k in pk}
                self_loop = table.name == "contact_relationships" and (
                    {before["from_contact_id"], before["to_contact_id"]} - {old_id} == {new_id}
                )
                if self_loop:  # a relationship of the kept contact with itself: removed
                    batch.delete(table, old_key)
                    moved += 1
                    continue
                try:
                    with s.begin_nested():
                        batch.update(table, old_key, {column.name: new_id}, new_key)
                except IntegrityError:  # the kept record already has this row: the duplicate goes
                    batch.delete(table, old_key)
                moved += 1
    return moved
