"""Households suggested from shared addresses or surnames, created only when the user confirms.

Files from phones and mail programs know people, not households. Contacts without a household who share a
street address (and postal code or city) are suggested as one household; failing that, the same surname in
the same city. Nothing is grouped until the user confirms; confirming is one batch, so it can be undone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from actdesk.domain.enums import ContactRole, HouseholdStatus
from actdesk.i18n import N_
from actdesk.storage.repositories import import_lookups
from actdesk.storage.repositories.import_batches import BatchRecorder
from actdesk.storage.repositories.import_lookups import UnhousedContact

SAME_ADDRESS = N_("same address")
SAME_SURNAME = N_("same surname and city")
_PUNCT = re.compile(r"[^\w]+")


@dataclass(frozen=True, slots=True)
class HouseholdSuggestion:
    name: str
    contact_ids: tuple[int, ...]
    contact_names: tuple[str, ...]
    reason: str  # SAME_ADDRESS or SAME_SURNAME (translate when shown)


def _norm(text: str | None) -> str:
    return _PUNCT.sub(" ", (text or "").casefold()).strip()


def _household_name(lasts: list[str]) -> str:
    unique = list(dict.fromkeys(x for x in lasts if x))
    if not unique:
        return "Household"
    return " & ".join(unique[:2]) + " household"


def suggest_households(s: Session, contact_ids: Iterable[int] | None = None) -> list[HouseholdSuggestion]:
    """Suggestions among contacts without a household (optionally only among ``contact_ids``)."""
    rows = import_lookups.unhoused_contacts(s)
    if contact_ids is not None:
        wanted = set(contact_ids)
        rows = [r for r in rows if r.id in wanted]
    by_address: dict[tuple[str, str], list[UnhousedContact]] = defaultdict(list)
    for row in rows:
        place = _norm(row.postal_code) or _norm(row.city)
        if _norm(row.address) and place:
            by_address[(_norm(row.address), place)].append(row)
    suggestions: list[HouseholdSuggestion] = []
    grouped: set[int] = set()
    for members in by_address.values():
        if len(members) > 1:
            suggestions.append(_suggestion(members, SAME_ADDRESS))
            grouped.update(m.id for m in members)
    by_surname: dict[tuple[str, str], list[UnhousedContact]] = defaultdict(list)
    for row in rows:
        if row.id not in grouped and _norm(row.last_name) and _norm(row.city):
            by_surname[(_norm(row.last_name), _norm(row.city))].append(row)
    for members in by_surname.values():
        if len(members) > 1:
            suggestions.append(_suggestion(members, SAME_SURNAME))
    return sorted(suggestions, key=lambda x: x.name.casefold())


def _suggestion(members: list[UnhousedContact], reason: str) -> HouseholdSuggestion:
    return HouseholdSuggestion(
        name=_household_name([m.last_name for m in members]),
        contact_ids=tuple(m.id for m in members),
        contact_names=tuple(f"{m.first_name} {m.last_name}".strip() for m in members),
        reason=reason,
    )


def confirm_households(
    s: Session, groups: Iterable[tuple[str, Iterable[int]]], now: datetime, file_name: str | None = None
) -> int:
    """Create one household per (name, contact ids) the user confirmed; returns the batch id.

    Contacts that meanwhile got a household are left where they are. The first contact becomes the primary.
    """
    batch = BatchRecorder(s, "households", file_name, now)
    created = changed = 0
    for name, ids in groups:
        free = import_lookups.unhoused_among(s, ids)
        if not free:
            continue
        values = {
            "name": name[:200],
            "status": HouseholdStatus.PROSPECT.value,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        hid = batch.insert_returning_id("households", values)
        created += 1
        ordered = sorted(free, key=list(ids).index)
        for n, cid in enumerate(ordered):
            role = ContactRole.PRIMARY.value if n == 0 else ContactRole.OTHER.value
            batch.update("contacts", {"id": cid}, {"household_id": hid, "role": role})
            changed += 1
    return batch.finish(added=created, changed=changed)


def households_of_their_own(s: Session, contact_ids: Iterable[int], now: datetime) -> int:
    """Each given contact without a household gets one of its own ("Ann Smith"); one batch."""
    rows = import_lookups.unhoused_names(s, contact_ids)
    return confirm_households(s, ((name, [cid]) for cid, name in rows), now)


def contacts_without_household(s: Session) -> list[int]:
    return import_lookups.contacts_without_household(s)
