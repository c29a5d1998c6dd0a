"""Write a confirmed contact preview as one batch, in the caller's single unit of work.

Contacts and households go in with Core bulk inserts (RETURNING the new ids), merges as one UPDATE each
with the old values recorded first. Any failure, or a cancel between chunks, raises out of the caller's
``with book.session()`` block, which rolls everything back: the book is left as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.services.importers.preview import ContactPreview
from actdesk.services.importers.records import CONTACT_FIELDS
from actdesk.storage.repositories.import_batches import BatchRecorder, bulk_insert
from actdesk.storage.repositories.import_lookups import households_with_role, households_with_status

CHUNK = 5000
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class ImportResult:
    batch_id: int
    added: int
    merged: int
    rejected: int
    households_created: int
    contact_ids: tuple[int, ...]
    households_upgraded: int = 0  # existing prospects the file says are clients, now clients


def household_statuses(preview: ContactPreview) -> dict[str, str]:
    """A new household's status from its members' (Redtail Status, Wealthbox Contact Type): client if any
    member is a client, else former client if any is, else prospect."""
    rank = {
        HouseholdStatus.CLIENT.value: 3,
        HouseholdStatus.FORMER_CLIENT.value: 2,
        HouseholdStatus.PROSPECT.value: 1,
    }
    found: dict[str, str] = {}
    for record in preview.adds:
        if record.household and record.status in rank:
            key = record.household.strip().casefold()
            if rank[record.status] > rank.get(found.get(key, ""), 0):
                found[key] = record.status
    return found


def _role(given: str | None, has_primary: bool) -> str:
    """The role the file gave (a second "head" becomes other); without one, the first is the primary."""
    if given == ContactRole.PRIMARY.value or given is None:
        return ContactRole.OTHER.value if has_primary else ContactRole.PRIMARY.value
    return given


def apply_preview(
    s: Session,
    preview: ContactPreview,
    now: datetime,
    kind: str = "contacts",
    progress: Progress | None = None,
) -> ImportResult:
    batch = BatchRecorder(s, kind, preview.file_name, now)
    contacts, households = "contacts", "households"

    household_ids = dict(preview.household_ids)
    statuses = household_statuses(preview)
    if preview.new_households:
        rows: list[dict[str, Any]] = [
            {
                "name": name,
                "status": statuses.get(name.casefold(), HouseholdStatus.PROSPECT.value),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for name in preview.new_households
        ]
        for values in rows:  # a client needs the date it became one: the file has none, so the import's
            client = values["status"] == HouseholdStatus.CLIENT.value
            values["client_since"] = now.date() if client else None
        for values, new_id in zip(rows, bulk_insert(s, households, rows), strict=True):
            household_ids[str(values["name"]).casefold()] = new_id
            batch.inserted(households, {"id": new_id}, values)

    _upgrade(s, batch, preview.upgrades, now)
    has_primary = households_with_role(s, list(household_ids.values()), ContactRole.PRIMARY.value)

    total = len(preview.adds) + len(preview.merges)
    contact_ids: list[int] = []
    for start in range(0, len(preview.adds), CHUNK):
        if progress is not None:
            progress(start, total)
        rows = []
        for record in preview.adds[start : start + CHUNK]:
            hid = household_ids.get(record.household.casefold()) if record.household else None
            role = ContactRole.PRIMARY.value
            if hid is not None:
                role = _role(record.role, hid in has_primary)
                if role == ContactRole.PRIMARY.value:
                    has_primary.add(hid)
            row: dict[str, Any] = {f: getattr(record, f) for f in CONTACT_FIELDS}
            row.update(household_id=hid, role=role, do_not_email=False, created_at=now, updated_at=now)
            rows.append(row)
        ids = bulk_insert(s, contacts, rows)
        contact_ids.extend(ids)
        batch.inserted_many(contacts, ids, rows)

    if progress is not None:
        progress(len(preview.adds), total)
    changes = [(m.contact_id, {**m.applied, "updated_at": now}) for m in preview.merges if m.applied]
    batch.update_many(contacts, changes)
    if progress is not None:
        progress(total, total)
    batch.finish(added=len(contact_ids), changed=len(preview.merges), rejected=len(preview.rejected))
    return ImportResult(
        batch_id=batch.id,
        added=len(contact_ids),
        merged=len(preview.merges),
        rejected=len(preview.rejected),
        households_created=len(preview.new_households),
        contact_ids=tuple(contact_ids),
        households_upgraded=len(preview.upgrades),
    )


def _upgrade(s: Session, batch: BatchRecorder, ids: list[int], now: datetime) -> None:
    """Existing prospects the file says are clients become clients from the import's date (a contacts
    file carries no client-since date); recorded in the batch, so that undo puts them back."""
    if not ids:
        return
    for hid, version in households_with_status(s, ids, HouseholdStatus.PROSPECT.value):
        batch.update(
            "households",
            {"id": hid},
            {
                "status": HouseholdStatus.CLIENT.value,
                "client_since": now.date(),
                "version": int(version) + 1,
                "updated_at": now,
            },
        )
