"""Fee revenue: trailing 12 months per household and book-wide, recurring and one-off, stack ranking and
the Pareto share."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
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


def stack_ranking(records: BookRecords) -> list[RankedHousehold]:
    """Client households by T12M revenue, best first (ties: AUM, then id): position i is rank i + 1."""

    def build() -> list[RankedHousehold]:
        fees, none, households = records.fees_t12m(records.as_of), (0, 0, 0), records.households
        table = household_aum(records)
        order = sorted((-fees.get(h, none)[2], -a.aum, h) for h, a in table.items())
        rows = []
        for minus_revenue, _minus_aum, h in order:
            a = table[h]
            recurring = fees.get(h, none)[0]
            rows.append(
                RankedHousehold(h, households[h].name, -minus_revenue, recurring, a.aum, a.aum_12m, a.growth)
            )
        return rows

    return records.memoized(("stack_ranking",), build)


def pareto_share(values: Sequence[int], share: float = 0.2) -> float | None:
    """What the top ``share`` of households (rounded up) bring of the total; None when the total is 0."""
    total = float(sum(values))
    if total <= 0 or not values:
        return None
    top = math.ceil(len(values) * share - 1e-9)
    return float(sum(sorted(values, reverse=True)[:top])) / total
