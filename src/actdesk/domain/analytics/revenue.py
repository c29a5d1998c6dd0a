"""Fee revenue: trailing 12 months per household and book-wide, recurring and one-off, stack ranking and
the Pareto share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from actdesk.domain.analytics.aum import household_aum, money
from actdesk.domain.analytics.records import BookRecords


@dataclass(frozen=True)
class RevenueSummary:
    """Fees dated in the 12 months ending at the as-of date, whoever paid them (book-wide)."""

    t12m: Decimal
    recurring_t12m: Decimal
    one_off_t12m: Decimal
    prior_t12m: Decimal  # the 12 months before, for year-on-year change
    clients_t12m: Decimal  # paid by households that are clients on the as-of date

    @property
    def growth(self) -> float | None:
        return None if self.prior_t12m <= 0 else float(self.t12m / self.prior_t12m - 1)


class RankedHousehold(NamedTuple):
    """A client household in the stack ranking: revenue and recurring revenue (T12M, cents), AUM now and a
    year ago (cents), 12-month AUM growth (None when it had nothing a year ago)."""

    household_id: int
    name: str
    revenue: int
    recurring: int
    aum: int
    aum_12m: int
    aum_growth: float | None


def revenue_summary(records: BookRecords) -> RevenueSummary:
    now = records.fees_t12m(records.as_of)
    prior = records.fees_t12m(records.period_start)
    clients = household_aum(records)
    return RevenueSummary(
        t12m=money(sum(f[2] for f in now.values())),
        recurring_t12m=money(sum(f[0] for f in now.values())),
        one_off_t12m=money(sum(f[1] for f in now.values())),
        prior_t12m=money(sum(f[2] for f in prior.values())),
        clients_t12m=money(sum(now[h][2] for h in clients if h in now)),
    )


def ranked_by_revenue(records: BookRecords, day: date) -> list[tuple[int, int, int, int, int, int, int]]:
    """Client households on ``day`` (the as-of date or the period start) as (-total, -AUM, id, recurring,
    one-off, total, AUM): sorted by T12M revenue, best first (ties: AUM, then id). The one sort behind the
    stack ranking and the segments."""

    def build() -> list[tuple[int, int, int, int, int, int, int]]:
        fees, none = records.fees_t12m(day), (0, 0, 0)
        get = fees.get
        rows = []
        for h, aum in records.aum_on(day).items():
            recurring, one_off, total = get(h, none)
            rows.append((-total, -aum, h, recurring, one_off, total, aum))
        rows.sort()
        return rows

    return records.memoized(("ranked", day), build)


def stack_ranking(records: BookRecords, limit: int | None = None) -> list[RankedHousehold]:
    """Client households by T12M revenue, best first (ties: AUM, then id): position i is rank i + 1. The
    first ``limit`` only when given (the KPIs show ten: no row built for the other thousands)."""

    def build() -> list[RankedHousehold]:
        households, table = records.households, household_aum(records)
        rows = ranked_by_revenue(records, records.as_of)
        return [
            RankedHousehold(h, households[h].name, total, recurring, aum, table[h].aum_12m, table[h].growth)
            for _t, _a, h, recurring, _one_off, total, aum in (rows if limit is None else rows[:limit])
        ]

    return records.memoized(("stack_ranking", limit), build)


def pareto_share(values: Sequence[int], share: float = 0.2) -> float | None:
    """What the top ``share`` of households (rounded up) bring of the total; None when the total is 0."""
    total = float(sum(values))
    if total <= 0 or not values:
        return None
    top = math.ceil(len(values) * share - 1e-9)
    return float(sum(sorted(values, reverse=True)[:top])) / total
