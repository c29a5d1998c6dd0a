"""Client periods of one household: which one holds a date, and tenure as their sum (issue 20).

Tenure is the time spent as a client, the periods added up and the time away left out: a household that
comes back is not a new client again, and the months it spent elsewhere are not relationship
(docs/metrics.md, "Leaving and returning"). ``common.tenure_years`` is the same rule over the whole book.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class ClientPeriod:
    """One stretch of a household being a client: from ``start`` to ``end`` (None: still a client). A
    household that leaves and comes back has two periods."""

    household_id: int
    start: date
    end: date | None
    reason: str | None = None


def tenure_days(periods: Sequence[ClientPeriod], day: date) -> int:
    """Days as a client up to ``day``: the sum over the periods begun by then of (its end or ``day``,
    whichever is earlier) - its start."""
    return sum(
        ((p.end if p.end is not None and p.end < day else day) - p.start).days
        for p in periods
        if p.start <= day
    )


def client_on(periods: Sequence[ClientPeriod], day: date) -> bool:
    """A client on ``day``: one period has begun by then and not ended (an end on ``day`` has ended)."""
    return any(p.start <= day and (p.end is None or p.end > day) for p in periods)


def status_on(periods: Sequence[ClientPeriod], current: str, day: date) -> str:
    """The household's status on ``day`` from its client periods: ``client`` when one holds it,
    ``former_client`` when one ended by then, else ``prospect``. Without any period the book knows nothing of
    its history, so its ``current`` status stands."""
    if not periods:
        return current
    if client_on(periods, day):
        return "client"
    if any(p.end is not None and p.end <= day for p in periods):
        return "former_client"
    return "prospect"


def tenure_years(periods: Sequence[ClientPeriod], day: date) -> float:
    """``tenure_days`` in years of 365.25 days: what the card, the CLI and the merge fields show."""
    return tenure_days(periods, day) / 365.25


def whole_years(start: date, day: date) -> int:
    """Whole calendar years from ``start`` to ``day``: an anniversary counts on its own day (days / 365.25
    falls a day short of it when fewer leap days lie between)."""
    return max(0, day.year - start.year - ((day.month, day.day) < (start.month, start.day)))


def years_in_all(periods: Sequence[ClientPeriod], day: date) -> int:
    """Whole years as a client on ``day``, every period added up and the time away left out: the whole
    calendar years of ``tenure_days`` ending on ``day`` (as if the periods had followed one another). A
    household that never left has the calendar years since it joined; the ``tenure_years`` merge field and the
    relationship anniversary's years."""
    return whole_years(day - timedelta(days=tenure_days(periods, day)), day)


def first_joined(periods: Sequence[ClientPeriod]) -> date | None:
    """The day the household first became a client (the card's "Client since" for a returning client)."""
    return min((p.start for p in periods), default=None)


def returned_on(periods: Sequence[ClientPeriod], day: date) -> date | None:
    """The day the household came back, when the period holding ``day`` follows one that had ended: a
    returning client is neither a brand-new client nor still gone. None when not a client on ``day`` or
    never away."""
    holding = [p for p in periods if p.start <= day and (p.end is None or p.end > day)]
    if not holding:
        return None
    start = holding[-1].start
    return start if any(p.end is not None and p.end <= start for p in periods) else None


def left_before(periods: Sequence[ClientPeriod], day: date) -> ClientPeriod | None:
    """The last period that ended on or before ``day`` (when and why the household left last time)."""
    ended = [p for p in periods if p.end is not None and p.end <= day]
    return max(ended, key=lambda p: p.end or p.start, default=None)
