"""Fee revenue: trailing 12 months per household and book-wide, recurring and one-off, the monthly trend,
stack ranking and the Pareto share."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.aum import household_aum_table
from actdesk.domain.analytics.common import fees_t12m, money
from actdesk.domain.analytics.frames import BookFrames


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


def revenue_summary(frames: BookFrames) -> RevenueSummary:
    now = fees_t12m(frames, frames.as_of)
    prior = fees_t12m(frames, frames.period_start)
    clients = household_aum_table(frames).index
    return RevenueSummary(
        t12m=money(int(now["total_cents"].sum())),
        recurring_t12m=money(int(now["recurring_cents"].sum())),
        one_off_t12m=money(int(now["one_off_cents"].sum())),
        prior_t12m=money(int(prior["total_cents"].sum())),
        clients_t12m=money(int(now["total_cents"].reindex(clients, fill_value=0).sum())),
    )


def stack_ranking(frames: BookFrames) -> pd.DataFrame:
    """Client households with revenue (T12M, cents), recurring revenue, AUM (cents) and 12-month AUM
    growth, each with its rank (1 = best). Sorted by revenue rank."""
    table = household_aum_table(frames)[["aum", "aum_12m", "aum_growth"]].copy()
    fees = fees_t12m(frames, frames.as_of).reindex(table.index, fill_value=0)
    table["revenue"] = fees["total_cents"].astype("int64")
    table["recurring"] = fees["recurring_cents"].astype("int64")
    names = frames.households["name"].reindex(table.index)
    table.insert(0, "name", names)
    by_revenue = table.reset_index().sort_values(
        ["revenue", "aum", "household_id"], ascending=[False, False, True]
    )
    table["revenue_rank"] = pd.Series(range(1, len(table) + 1), index=by_revenue["household_id"].to_numpy())
    table["aum_rank"] = table["aum"].rank(ascending=False, method="min").astype("int64")
    table["growth_rank"] = table["aum_growth"].rank(ascending=False, method="min", na_option="bottom")
    return table.sort_values("revenue_rank")


def pareto_share(values: pd.Series, share: float = 0.2) -> float | None:
    """What the top ``share`` of households (rounded up) bring of the total; None when the total is 0."""
    total = float(values.sum())
    if total <= 0 or values.empty:
        return None
    top = math.ceil(len(values) * share - 1e-9)
    return float(values.sort_values(ascending=False).iloc[:top].sum()) / total


def monthly_revenue(frames: BookFrames) -> pd.DataFrame:
    """Fees per month of the loaded monthly series: date, recurring, one_off, total (cents)."""
    monthly = frames.monthly
    return pd.DataFrame(
        {
            "date": monthly["date"],
            "recurring": monthly["recurring_cents"],
            "one_off": monthly["one_off_cents"],
            "total": monthly["recurring_cents"] + monthly["one_off_cents"],
        }
    )
