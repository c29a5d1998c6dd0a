"""Which activities need a reminder now. Qt-free: the window polls this and shows the notifications.

An occurrence is due for a reminder from ``minutes_before`` its start until it starts; each is reminded once
(the caller keeps the keys it has shown). Done, all-day and undated items get no reminder.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.orm import Session

from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.storage.repositories import activities as repo

ReminderKey = tuple[int, datetime | None]


@dataclass(frozen=True, slots=True)
class Reminder:
    occurrence: Occurrence
    household: str
    minutes_left: int

    @property
    def key(self) -> ReminderKey:
        return self.occurrence.key


def due_reminders(
    occurrences: Iterable[Occurrence], now: datetime, minutes_before: int, shown: Collection[ReminderKey] = ()
) -> list[tuple[Occurrence, int]]:
    """Pure selection: (occurrence, whole minutes until it starts) for each one to remind about now."""
    horizon = now + timedelta(minutes=minutes_before)
    found: list[tuple[Occurrence, int]] = []
    for occ in occurrences:
        if occ.start is None or occ.all_day or occ.done or occ.key in shown:
            continue
        if now <= occ.start <= horizon:
            found.append((occ, int((occ.start - now).total_seconds() // 60)))
    return sorted(found, key=lambda pair: pair[0].start or now)


def pending(
    s: Session, now: datetime, tz: tzinfo, minutes_before: int, shown: Collection[ReminderKey] = ()
) -> list[Reminder]:
    """Reminders to show now, read with one window query."""
    window = repo.occurrences(s, now, now + timedelta(minutes=minutes_before, seconds=1), tz)
    selected = due_reminders(window, now, minutes_before, shown)
    names = repo.household_names(s, sorted({occ.household_id for occ, _m in selected}))
    return [Reminder(occ, names.get(occ.household_id, ""), minutes) for occ, minutes in selected]
