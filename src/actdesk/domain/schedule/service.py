"""Service levels: is each household contacted as often as its segment's cadence promises?

Inputs are plain facts gathered by storage (last completed contact, next scheduled contact, open items);
``as_of`` is explicit so that reports are reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

BUCKETS = ("0-30", "31-60", "61-90", "90+")


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    household_id: int
    name: str
    segment: str | None
    client_since: date | None
    last_contact: date | None
    next_scheduled: date | None


@dataclass(frozen=True, slots=True)
class ServiceLine:
    household_id: int
    name: str
    segment: str | None
    cadence_days: int
    last_contact: date | None
    next_scheduled: date | None
    contact_due: date
    days_overdue: int
    days_since_contact: int | None

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


def contact_due(facts: HouseholdFacts, cadence_days: int, as_of: date) -> date:
    """Last contact plus the cadence; never contacted counts from the client anniversary (or today)."""
    anchor = facts.last_contact or facts.client_since or as_of
    return anchor + timedelta(days=cadence_days)


def service_level(
    households: Iterable[HouseholdFacts],
    as_of: date,
    cadence_days: dict[str, int],
    default_cadence_days: int,
) -> list[ServiceLine]:
    """One line per household, most overdue first."""
    lines: list[ServiceLine] = []
    for h in households:
        cadence = cadence_days.get(h.segment or "", default_cadence_days)
        due = contact_due(h, cadence, as_of)
        lines.append(
            ServiceLine(
                household_id=h.household_id,
                name=h.name,
                segment=h.segment,
                cadence_days=cadence,
                last_contact=h.last_contact,
                next_scheduled=h.next_scheduled,
                contact_due=due,
                days_overdue=max(0, (as_of - due).days),
                days_since_contact=None if h.last_contact is None else (as_of - h.last_contact).days,
            )
        )
    return sorted(lines, key=lambda line: (-line.days_overdue, line.contact_due, line.name))


def bucket(days_overdue: int) -> str:
    """Aging bucket of an item overdue by ``days_overdue`` (>= 1) days."""
    if days_overdue <= 30:
        return BUCKETS[0]
    if days_overdue <= 60:
        return BUCKETS[1]
    if days_overdue <= 90:
        return BUCKETS[2]
    return BUCKETS[3]


def aging_buckets(due_dates: Iterable[date], as_of: date) -> dict[str, int]:
    """How many open items are overdue by 0-30, 31-60, 61-90 and over 90 days (items due today are not)."""
    counts = dict.fromkeys(BUCKETS, 0)
    for due in due_dates:
        days = (as_of - due).days
        if days >= 1:
            counts[bucket(days)] += 1
    return counts
