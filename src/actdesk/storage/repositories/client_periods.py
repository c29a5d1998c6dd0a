"""Client periods: a household that leaves and comes back keeps both stretches (issue 20).

The household's ``client_since`` / ``client_until`` / ``leaving_reason`` are its latest period, and they
win: every read takes the table's periods that began *before* the household's ``client_since`` plus the
household's own columns as the latest one. So a household written by a path that knows nothing of periods
(an importer, the demo, a test factory) still reads as one period, and nothing is counted twice.
``sync_periods`` makes the table itself match after a write; a return keeps the earlier period because it
is written to the table before the household's columns move on.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import String, Table, delete, exists, func, insert, select, type_coerce
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.enums import HouseholdStatus
from actdesk.i18n import _, format_date
from actdesk.storage.errors import NotFoundError, ValidationError
from actdesk.storage.tables.base import utcnow
from actdesk.storage.tables.book import HouseholdRow
from actdesk.storage.tables.client_periods import ClientPeriodRow

Executor = Session | Connection
HOUSEHOLDS: Table = HouseholdRow.__table__  # type: ignore[assignment]
PERIODS: Table = ClientPeriodRow.__table__  # type: ignore[assignment]


def sync_periods(s: Executor, household_ids: Collection[int] | None = None) -> None:
    """Make the table's latest period of each household (all, or the given ids) equal its own columns:
    periods beginning on or after its ``client_since`` are replaced by that one; a household without
    ``client_since`` keeps no period."""
    h, p = HOUSEHOLDS, PERIODS
    later = exists().where(
        h.c.id == p.c.household_id, (h.c.client_since.is_(None)) | (p.c.start >= h.c.client_since)
    )
    wipe = delete(p).where(later)
    source = select(h.c.id, h.c.client_since, h.c.client_until, h.c.leaving_reason).where(
        h.c.client_since.is_not(None)
    )
    if household_ids is not None:
        ids = list(household_ids)
        if not ids:
            return
        wipe = wipe.where(p.c.household_id.in_(ids))
        source = source.where(h.c.id.in_(ids))
    s.execute(wipe)
    s.execute(insert(p).from_select(["household_id", "start", "end", "leaving_reason"], source))


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value)[:10])


def client_periods(
    s: Executor, household_ids: Collection[int] | None = None, *, returning_only: bool = False
) -> list[ClientPeriod]:
    """Every client period (see the module's rule), by household and start. ``returning_only``: only the
    periods of households that have more than one (the rare ones the KPIs must look at apart)."""
    h, p = HOUSEHOLDS, PERIODS
    earlier = (
        select(
            p.c.household_id,
            type_coerce(p.c.start, String),
            type_coerce(p.c.end, String),
            p.c.leaving_reason,
        )
        .join(h, h.c.id == p.c.household_id)
        .where(h.c.client_since.is_not(None), p.c.start < h.c.client_since)
    )
    rows = list(s.execute(earlier if household_ids is None else earlier.where(h.c.id.in_(household_ids))))
    latest = select(
        h.c.id,
        type_coerce(h.c.client_since, String),
        type_coerce(h.c.client_until, String),
        h.c.leaving_reason,
    ).where(h.c.client_since.is_not(None))
    if returning_only:
        latest = latest.where(h.c.id.in_({int(r[0]) for r in rows}))
    elif household_ids is not None:
        latest = latest.where(h.c.id.in_(household_ids))
    rows += list(s.execute(latest))
    out = [
        ClientPeriod(int(hid), _day(start) or date.min, _day(end), reason) for hid, start, end, reason in rows
    ]
    return sorted(out, key=lambda c: (c.household_id, c.start))


def first_days_as_client(s: Executor, household_ids: Collection[int] | None = None) -> dict[int, date | None]:
    """id -> the household's first day as a client, across every period (None for a household that never
    was one): the one client anniversary of the schedule's reviews and the yearly note (issue 20)."""
    h, p = HOUSEHOLDS, PERIODS
    earliest = (
        select(func.min(p.c.start))
        .where(p.c.household_id == h.c.id, p.c.start < h.c.client_since)
        .scalar_subquery()
    )
    query = select(h.c.id, type_coerce(func.coalesce(earliest, h.c.client_since), String))
    if household_ids is not None:
        query = query.where(h.c.id.in_(list(household_ids)))
    return {int(hid): _day(day) for hid, day in s.execute(query)}


def periods_known_on(s: Executor, as_of: date) -> list[ClientPeriod]:
    """The periods that had begun by ``as_of``, as the book knew them then: one still open on that date is
    read as open (no end, no reason). What the retention model's history reads, so it cannot look ahead."""
    out: list[ClientPeriod] = []
    for c in client_periods(s):
        if c.start > as_of:
            continue
        ended = c.end is not None and c.end <= as_of
        out.append(
            ClientPeriod(c.household_id, c.start, c.end if ended else None, c.reason if ended else None)
        )
    return out


def _household(s: Session, household_id: int) -> HouseholdRow:
    row = s.get(HouseholdRow, household_id)
    if row is None:
        raise NotFoundError(_("household {household_id} no longer exists").format(household_id=household_id))
    return row


def record_return(s: Session, household_id: int, on: date) -> list[ClientPeriod]:
    """A former client comes back on ``on``: its last period stays as it was and a new one opens."""
    row = _household(s, household_id)
    if row.status != HouseholdStatus.FORMER_CLIENT.value or row.client_until is None:
        raise ValidationError({"status": _("only a former client can come back (this household is not one)")})
    if on < row.client_until:
        raise ValidationError(
            {
                "date": _("a return cannot be before the household left ({day})").format(
                    day=format_date(row.client_until)
                )
            }
        )
    sync_periods(s, [household_id])  # the period that ended is in the table before the columns move on
    row.status = HouseholdStatus.CLIENT.value
    row.client_since, row.client_until, row.leaving_reason = on, None, None
    row.updated_at = utcnow()
    s.flush()
    sync_periods(s, [household_id])
    return client_periods(s, [household_id])


def record_departure(s: Session, household_id: int, on: date, reason: str) -> list[ClientPeriod]:
    """A client leaves on ``on`` (the first day it is no longer a client) for ``reason``."""
    row = _household(s, household_id)
    if row.status != HouseholdStatus.CLIENT.value or row.client_since is None:
        raise ValidationError({"status": _("only a current client can leave (this household is not one)")})
    if not reason.strip():
        raise ValidationError({"leaving_reason": _("a household that leaves needs a leaving reason")})
    if on <= row.client_since:
        raise ValidationError(
            {
                "date": _("a departure must be after the client joined ({day})").format(
                    day=format_date(row.client_since)
                )
            }
        )
    row.status = HouseholdStatus.FORMER_CLIENT.value
    row.client_until, row.leaving_reason = on, reason.strip()
    row.updated_at = utcnow()
    s.flush()
    sync_periods(s, [household_id])
    return client_periods(s, [household_id])


def before_edit(s: Session, row: HouseholdRow, new_since: date | None) -> None:
    """Called before an edit overwrites the household's dates. A former client given a new start on or
    after it left has come back: its ended period is kept. Any other change corrects the latest period,
    which ``sync_periods`` rewrites after the edit (so a corrected start leaves no phantom period)."""
    returning = (
        row.status == HouseholdStatus.FORMER_CLIENT.value
        and row.client_until is not None
        and new_since is not None
        and new_since >= row.client_until
    )
    if returning:
        sync_periods(s, [row.id])
    elif row.client_since is not None:
        p = PERIODS
        s.execute(delete(p).where(p.c.household_id == row.id, p.c.start == row.client_since))
