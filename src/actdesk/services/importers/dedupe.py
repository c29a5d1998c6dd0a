"""Duplicates already in the book, and merging two contacts without losing any history.

A merge keeps one contact, fills its empty fields from the other, re-points everything that referred to the
other (activities, life events, notes, referrals, relationships, and any table a later feature adds with a
foreign key to contacts), and, when the other was alone in its household, moves that household's history
(accounts, activities, life events, notes, referrals, ...) to the kept contact's household. The merge is one
batch, so it can be undone like an import.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from actdesk.i18n import _
from actdesk.services.importers.batches import BatchRecorder, orm_table
from actdesk.services.importers.errors import MergeRefusedError
from actdesk.services.importers.preview import MATCH_EMAIL, MATCH_NAME_BIRTH, MATCH_PHONE
from actdesk.services.importers.records import email_key, name_key, phone_key
from actdesk.storage.tables import metadata
from actdesk.storage.tables.book import ContactRow, HouseholdRow

FILLABLE = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "birth_date",
    "income_cents",
    "net_worth_cents",
    "risk_tolerance",
    "occupation",
    "address",
    "city",
    "region",
    "postal_code",
    "country",
    "household_id",
)
SKIP_TABLES = {"import_batches", "import_batch_items"}


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    keep_id: int
    drop_id: int
    keep_name: str
    drop_name: str
    reason: str  # MATCH_EMAIL, MATCH_PHONE or MATCH_NAME_BIRTH (translate when shown)


def find_duplicates(s: Session) -> list[DuplicatePair]:
    """Pairs of contacts sharing an e-mail, a phone number, or a name and birth date (older id kept)."""
    groups: dict[tuple[str, object], list[int]] = defaultdict(list)
    names: dict[int, str] = {}
    query = select(
        ContactRow.id,
        ContactRow.first_name,
        ContactRow.last_name,
        ContactRow.email,
        ContactRow.phone,
        ContactRow.birth_date,
    ).order_by(ContactRow.id)
    for cid, first, last, email, phone, birth in s.execute(query):
        names[cid] = f"{first} {last}".strip()
        if key := email_key(email):
            groups[(MATCH_EMAIL, key)].append(cid)
        if key := phone_key(phone):
            groups[(MATCH_PHONE, key)].append(cid)
        if birth is not None:
            groups[(MATCH_NAME_BIRTH, (name_key(first, last), birth))].append(cid)
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    for (reason, _key), ids in groups.items():
        for other in ids[1:]:
            pair = (ids[0], other)
            if pair not in pairs:
                pairs[pair] = DuplicatePair(ids[0], other, names[ids[0]], names[other], reason)
    return sorted(pairs.values(), key=lambda p: (p.keep_id, p.drop_id))


def _full(s: Session, table: Table, key: dict[str, Any]) -> dict[str, Any]:
    where = [table.c[k] == v for k, v in key.items()]
    return dict(s.execute(select(table).where(*where)).mappings().one())


def _repoint(s: Session, batch: BatchRecorder, target: Table, old_id: int, new_id: int) -> int:
    """Point every row referring to ``target`` row ``old_id`` at ``new_id``; rows that would clash are removed."""
    moved = 0
    for table in metadata.sorted_tables:
        if table.name in SKIP_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is not target:
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
                try:
                    if self_loop:
                        raise IntegrityError("self relationship", None, Exception())
                    with s.begin_nested():
                        batch.update(table, old_key, {column.name: new_id}, new_key)
                except IntegrityError:
                    s.execute(delete(table).where(*(table.c[k] == v for k, v in old_key.items())))
                    batch.deleted(table, old_key, before)
                moved += 1
    return moved


def merge_contacts(s: Session, keep_id: int, drop_id: int, now: datetime) -> int:
    """Merge ``drop_id`` into ``keep_id``; returns the batch id (undo restores both as they were)."""
    if keep_id == drop_id:
        raise MergeRefusedError(_("a contact cannot be merged with itself"))
    contacts, households = orm_table(ContactRow), orm_table(HouseholdRow)
    found = {r[0] for r in s.execute(select(contacts.c.id).where(contacts.c.id.in_([keep_id, drop_id])))}
    for cid in (keep_id, drop_id):
        if cid not in found:
            raise MergeRefusedError(_("there is no contact {id}").format(id=cid))
    keep, drop = _full(s, contacts, {"id": keep_id}), _full(s, contacts, {"id": drop_id})
    batch = BatchRecorder(s, "merge", f"contacts {keep_id} + {drop_id}", now)

    fill = {k: drop[k] for k in FILLABLE if keep[k] in (None, "") and drop[k] not in (None, "")}
    if drop["do_not_email"] and not keep["do_not_email"]:
        fill["do_not_email"] = True
        fill["email_opt_out_at"] = drop["email_opt_out_at"]
    if fill:
        batch.update(contacts, {"id": keep_id}, fill)

    kept_household = fill.get("household_id", keep["household_id"])
    dropped_household = drop["household_id"]
    if dropped_household is not None and kept_household not in (None, dropped_household):
        others = s.scalar(
            select(func.count())
            .select_from(contacts)
            .where(contacts.c.household_id == dropped_household, contacts.c.id != drop_id)
        )
        if not others:
            # Move the household's history to the kept household before the empty one goes.
            batch.update(contacts, {"id": drop_id}, {"household_id": kept_household})
            _repoint(s, batch, households, dropped_household, kept_household)
            before = _full(s, households, {"id": dropped_household})
            s.execute(delete(households).where(households.c.id == dropped_household))
            batch.deleted(households, {"id": dropped_household}, before)

    _repoint(s, batch, contacts, drop_id, keep_id)
    before = _full(s, contacts, {"id": drop_id})
    s.execute(delete(contacts).where(contacts.c.id == drop_id))
    batch.deleted(contacts, {"id": drop_id}, before)
    return batch.finish(added=0, changed=1)
