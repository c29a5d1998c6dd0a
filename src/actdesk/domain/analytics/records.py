"""The book as plain records, as of one date: what every KPI reads (issue 21).

Storage fills it with a few aggregate queries (``actdesk.storage.book_records.load_book_records``); the
KPIs compute from it in plain Python, exact to the cent (money as integer cents, dates as ``date``), with
no pandas: on a book of a few hundred households a hundred pandas operations of a tenth of a millisecond
each cost more than the SQL. ``load_book_frames`` reads the same records with the same queries
(``BookFrames.records``) for the dashboard and the reports.

A household that left and came back carries all its client periods; the others' one period is their own
``since`` / ``until``. "A client on D" is everywhere: a period holding D (begun on or before D, not ended
on or before D); the periods' own rules are ``periods.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple, TypeVar, cast

from actdesk.domain.analytics.periods import ClientPeriod, client_on, first_joined, tenure_days

T = TypeVar("T")


class HouseholdRecord(NamedTuple):
    name: str
    status: str
    since: date | None  # the latest period's (the household's own columns)
    until: date | None
    reason: str | None
    periods: tuple[ClientPeriod, ...] = ()  # every period, only for a household that left and came back

    def client_on(self, day: date) -> bool:
        if self.periods:
            return client_on(self.periods, day)
        return self.since is not None and self.since <= day and (self.until is None or self.until > day)

    def client_between(self, start: date, end: date) -> bool:
        """A client at some point of (start, end]."""
        if self.periods:
            return any(p.start <= end and (p.end is None or p.end > start) for p in self.periods)
        return self.since is not None and self.since <= end and (self.until is None or self.until > start)

    def first_since(self) -> date | None:
        """When it first became a client (its first period's start for one that came back)."""
        return first_joined(self.periods) if self.periods else self.since

    def period_on(self, day: date) -> tuple[date | None, date | None, str | None]:
        """(since, until, reason) of the period holding ``day``, else of the latest one begun by then (its
        own columns when it never left and came back, or when none had begun)."""
        begun = [p for p in self.periods if p.start <= day]
        if not begun:
            return self.since, self.until, self.reason
        last = max(begun, key=lambda p: p.start)
        return last.start, last.end, last.reason

    def tenure_days(self, day: date) -> int | None:
        """Days as a client up to ``day``, the time away left out (None: never a client)."""
        if self.periods and any(p.start <= day for p in self.periods):
            return tenure_days(self.periods, day)
        return None if self.since is None else (day - self.since).days


class MemberRecord(NamedTuple):
    """A household's contacts summed, and its primary contact's details (the first with the primary role,
    else the first contact)."""

    members: int
    income: int | None  # cents, summed; None when nobody's is known
    net_worth: int | None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    risk_tolerance: str | None = None
    city: str | None = None
    region: str | None = None
    country: str | None = None


class ReferrerRecord(NamedTuple):
    contact_id: int
    household_id: int | None
    first_name: str | None
    last_name: str | None
    center_of_influence: bool  # no household, or named one by a relationship


class ReferralRecord(NamedTuple):
    referrer_contact_id: int
    referred_household_id: int
    date: date
    outcome: str | None = None


ZERO3 = (0, 0, 0)
ZERO4 = (0, 0, 0, 0)
AUM_COLUMN = {0: 0, 2: 1}  # snapshot index -> position in a household's ``aum`` tuple


@dataclass(frozen=True)
class BookRecords:
    """Everything the KPIs read for one as-of date, pre-aggregated in SQL.

    ``snapshots`` are the as-of date and 6, 12 and 24 months before it (``dates.key_dates``), newest
    first. ``aum``: per household with accounts that was a client at some point between the third
    snapshot and the as-of date, the managed balance (each account's latest on or before the day) at the
    as-of date and at the third snapshot (a year before), and the held-away balance at the as-of date (no
    KPI reads balances at the 6-month snapshot: not reading them saves a third of the seeks). ``flows`` (managed accounts):
    inflows and outflows (negative) over the intervals (snapshot 1, as-of] and (snapshot 2, snapshot 1].
    ``fees``: recurring and one-off over (s2, as-of] and (s3, s2], the two years the KPIs read (summed by
    year in SQL: four sums per household, not six). Households absent from a
    dict have zeros.
    """

    as_of: date
    snapshots: tuple[date, ...]
    households: dict[int, HouseholdRecord]  # ascending ids
    members: dict[int, MemberRecord]
    referrers: dict[int, ReferrerRecord]  # by contact id
    # accounts, managed accounts, distinct account types: the households of ``aum``, counted in its pass
    accounts: dict[int, tuple[int, int, int]]
    aum: dict[int, tuple[int, int, int]]  # managed now, managed a year before, held away now
    flows: dict[int, tuple[int, int, int, int]]  # in, out of (s1, s0]; in, out of (s2, s1]
    fees: dict[int, tuple[int, int, int, int]]  # recurring, one-off of (s2, s0]; of (s3, s2]
    referrals: tuple[ReferralRecord, ...] = ()
    memo: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def period_start(self) -> date:
        """The start of the default period: 12 months before the as-of date."""
        return self.snapshots[2]

    def memoized(self, key: tuple[object, ...], build: Callable[[], T]) -> T:
        """``build()`` once per records and key. Callers must not modify what they get back."""
        if key not in self.memo:
            self.memo[key] = build()
        return cast(T, self.memo[key])

    def snapshot_index(self, day: date) -> int:
        try:
            i = self.snapshots.index(day)
        except ValueError:
            raise ValueError(
                f"{day} is not one of the loaded snapshot dates {[d.isoformat() for d in self.snapshots]}"
            ) from None
        if i not in AUM_COLUMN:
            raise ValueError(f"balances are loaded at the as-of date and a year before only, not at {day}")
        return AUM_COLUMN[i]

    def clients_on(self, day: date) -> list[int]:
        """Ids of the households that are clients on ``day``, ascending."""

        def build() -> list[int]:  # the one rule: HouseholdRecord.client_on (periods.py for a returner)
            return [h for h, record in self.households.items() if record.client_on(day)]

        return self.memoized(("clients", day), build)

    def aum_on(self, day: date) -> dict[int, int]:
        """Managed balance (cents) on ``day`` (the as-of date or a year before) of every client then."""

        def build() -> dict[int, int]:
            i, aum = self.snapshot_index(day), self.aum
            return {h: aum[h][i] if h in aum else 0 for h in self.clients_on(day)}

        return self.memoized(("aum_on", day), build)

    def held_away(self, household_id: int) -> int:
        return self.aum.get(household_id, ZERO3)[2]

    def fees_t12m(self, end: date) -> dict[int, tuple[int, int, int]]:
        """Per household with fees: (recurring, one-off, total) cents over the 12 months ending at ``end``
        (the as-of date or the period start)."""

        def build() -> dict[int, tuple[int, int, int]]:
            i = self.snapshots.index(end) if end in self.snapshots else -1
            out: dict[int, tuple[int, int, int]] = {}
            for h, f in self.fees.items():
                recurring, one_off = (f[0], f[1]) if i == 0 else (f[2], f[3])
                out[h] = (recurring, one_off, recurring + one_off)
            return out

        if end not in (self.snapshots[0], self.snapshots[2]):
            raise ValueError(
                f"trailing 12 months are available ending at the as-of date or the period start, not {end}"
            )
        return self.memoized(("fees_t12m", end), build)

    def revenue_of(self, household_id: int, end: date) -> int:
        fees = self.fees_t12m(end).get(household_id)
        return 0 if fees is None else fees[2]

    def period_flows(self, household_id: int) -> tuple[int, int]:
        """(inflows, outflows) cents over the 12 months ending at the as-of date."""
        f = self.flows.get(household_id, ZERO4)
        return f[0] + f[2], f[1] + f[3]
