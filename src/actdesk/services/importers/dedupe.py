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

from sqlalchemy.orm import Session

from actdesk.i18n import _
from actdesk.services.importers.errors import MergeRefusedError
from actdesk.services.importers.preview import MATCH_EMAIL, MATCH_NAME_BIRTH, MATCH_PHONE
from actdesk.services.importers.records import email_key, name_key, phone_key
from actdesk.storage.repositories import contact_merge, import_lookups
from actdesk.storage.repositories.import_batches import BatchRecorder

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
    for cid, first, last, email, phone, birth in import_lookups.contact_match_keys(s):
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


def merge_contacts(s: Session, keep_id: int, drop_id: int, now: datetime) -> int:
    """Merge ``drop_id`` into ``keep_id``; returns the batch id (undo restores both as they were)."""
    if keep_id == drop_id:
        raise MergeRefusedError(_("a contact cannot be merged with itself"))
    found = contact_merge.existing_contacts(s, [keep_id, drop_id])
    for cid in (keep_id, drop_id):
        if cid not in found:
            raise MergeRefusedError(_("there is no contact {id}").format(id=cid))
    keep, drop = contact_merge.contact(s, keep_id), contact_merge.contact(s, drop_id)
    batch = BatchRecorder(s, "merge", f"contacts {keep_id} + {drop_id}", now)

    fill = {k: drop[k] for k in FILLABLE if keep[k] in (None, "") and drop[k] not in (None, "")}
    if drop["do_not_email"] and not keep["do_not_email"]:
        fill["do_not_email"] = True
        fill["email_opt_out_at"] = drop["email_opt_out_at"]
    if fill:
        batch.update("contacts", {"id": keep_id}, fill)

    kept_household = fill.get("household_id", keep["household_id"])
    dropped_household = drop["household_id"]
    if (
        dropped_household is not None
        and kept_household not in (None, dropped_household)
        and not contact_merge.other_members(s, dropped_household, drop_id)
    ):
        # Move the household's history to the kept household before the empty one goes.
        batch.update("contacts", {"id": drop_id}, {"household_id": kept_household})
        contact_merge.repoint(s, batch, "households", dropped_household, kept_household)
        batch.delete("households", {"id": dropped_household})

    contact_merge.repoint(s, batch, "contacts", drop_id, keep_id)
    batch.delete("contacts", {"id": drop_id})
    return batch.finish(added=0, changed=1)
