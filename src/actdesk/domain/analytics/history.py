"""Every household's history as month-by-month matrices: what the retention model's landmarks read.

One row per household that was ever a client, one column per month-end of the history (oldest first).
Storage fills it from the book (``actdesk.storage.retention_history``); the tests' generators fill it
directly. Everything here is plain numpy so that a landmark's features are a few vectorised window sums:
a feature at month-end ``t`` reads columns ``<= t`` only, and the outcome of a landmark reads the client
periods in the ``horizon`` months after it, so nothing is looked at before its time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from actdesk.domain.analytics.periods import ClientPeriod  # re-exported: the history reads them

UNKNOWN_START = -(10**6)
# what ``FeatureBuilder`` reads once, into running totals (see ``HouseholdHistory.without_monthly_sums``)
MONTHLY_SUMS = (
    "inflow",
    "withdrawal",
    "transfer_out",
    "contacts",
    "reviews",
    "life_events",
    "fees",
    "referrals_made",
    "service_requests",
)


@dataclass(frozen=True)
class HouseholdHistory:
    """Monthly matrices (n households x M month-ends). Amounts are float dollars (statistics, not money).

    ``client[h, m]``: a client at month-end m. ``left[h, m]``: a client period ended during month m.
    ``period_start[h, m]``: month index at which the period holding month-end m began (may be negative:
    before the history; ``UNKNOWN_START`` where not a client). ``inflow`` (contributions and transfers
    in), ``withdrawal`` (distributions) and ``transfer_out`` are positive sums within the month, managed
    accounts only. ``contacts``/``reviews`` count completed contacts and reviews in the month.
    ``service_requests`` counts service requests (tasks) falling due in the month and ``service_overdue``
    the requests past due and not yet done at the month-end (None: the book records none).
    ``earlier_months[h, m]``: months spent as a client in the periods that ended before the one holding
    month-end m began, from the periods' own dates (so a window of the last months still knows them; None:
    no household came back). Tenure is that plus the current period, as the KPIs count it.
    """

    months: list[date]
    ids: np.ndarray
    client: np.ndarray
    left: np.ndarray
    period_start: np.ndarray
    managed: np.ndarray
    held_away: np.ndarray
    inflow: np.ndarray
    withdrawal: np.ndarray
    transfer_out: np.ndarray
    contacts: np.ndarray
    reviews: np.ndarray
    life_events: np.ndarray
    fees: np.ndarray
    referrals_made: np.ndarray
    birth_year: np.ndarray  # float, NaN when unknown
    service_requests: np.ndarray | None = None
    service_overdue: np.ndarray | None = None
    earlier_months: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.ids)

    def index_of(self, day: date) -> int:
        """The index of the last month-end on or before ``day`` (-1 if before the history)."""
        return (
            int(np.searchsorted(np.array(self.months, dtype="datetime64[D]"), np.datetime64(day), "right"))
            - 1
        )

    def without_monthly_sums(self) -> HouseholdHistory:
        """This history without the monthly amounts and counts that ``FeatureBuilder`` turns into running
        totals (flows, contacts, reviews, life events, fees, referrals, service requests): what the builder
        keeps, so that a caller who lets the full history go frees them during a fit (52 MB at 10,000
        households, issue 21). Those fields have no columns: reading them fails loudly."""
        gone: dict[str, Any] = {
            name: np.zeros((self.n, 0), getattr(self, name).dtype)
            for name in MONTHLY_SUMS
            if getattr(self, name) is not None
        }
        return replace(self, **gone)

    def departures_before(self, t: int) -> int:
        """Client periods that ended in months 1..t: what any estimate at ``t`` can rest on."""
        return int(self.left[:, 1 : t + 1].sum())


def month_index(months: list[date], day: date) -> int:
    """Index of the month-end of ``day``'s month in ``months`` (may fall outside 0..M-1)."""
    first = months[0]
    return (day.year - first.year) * 12 + day.month - first.month


def client_matrices(
    ids: list[int], months: list[date], periods: list[ClientPeriod]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``client``, ``left`` and ``period_start`` from the client periods (see ``HouseholdHistory``)."""
    n, count = len(ids), len(months)
    row = {hid: i for i, hid in enumerate(ids)}
    client = np.zeros((n, count), dtype=bool)
    left = np.zeros((n, count), dtype=bool)
    start = np.full((n, count), UNKNOWN_START, dtype=np.int64)
    ends = np.array(months, dtype="datetime64[D]")
    for p in periods:
        h = row.get(p.household_id)
        if h is None:
            continue
        s = np.datetime64(p.start)
        inside = ends >= s
        if p.end is not None:
            inside &= ends < np.datetime64(p.end)
            m_end = month_index(months, p.end)
            if 0 <= m_end < count:
                left[h, m_end] = True
        client[h] |= inside
        start[h, inside] = month_index(months, p.start)
    return client, left, start


MONTH_DAYS = 365.25 / 12


def earlier_tenure(ids: list[int], months: list[date], periods: list[ClientPeriod]) -> np.ndarray | None:
    """``earlier_months`` (see ``HouseholdHistory``) from the client periods; None when no household has
    a period after an ended one."""
    row = {hid: i for i, hid in enumerate(ids)}
    by_household: dict[int, list[ClientPeriod]] = {}
    for p in periods:
        if p.household_id in row:
            by_household.setdefault(p.household_id, []).append(p)
    ends = np.array(months, dtype="datetime64[D]")
    out: np.ndarray | None = None
    for hid, own in by_household.items():
        if len(own) < 2:
            continue
        done = 0  # days in the periods ended so far
        for p in sorted(own, key=lambda q: q.start):
            if done:
                out = np.zeros((len(ids), len(months))) if out is None else out
                inside = ends >= np.datetime64(p.start)
                if p.end is not None:
                    inside &= ends < np.datetime64(p.end)
                out[row[hid], inside] = done / MONTH_DAYS
            if p.end is not None:
                done += (p.end - p.start).days
    return out
