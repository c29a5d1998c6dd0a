"""The book-of-business dashboard's data: KPIs, trends, segment mix, alerts by rule, and the what-if."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.household_table import household_table
from actdesk.domain.analytics.kpis import household_recurring
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.domain.analytics.trends import aum_trend_of, revenue_trend_of
from actdesk.domain.analytics.valuation import household_npv, multiple_value, npv
from actdesk.services import analytics
from actdesk.storage.engine import Book
from actdesk.storage.repositories import alerts as alerts_repo

RETENTION_YEARS = 5  # yearly points of the retention trend


@dataclass
class BookDashboard:
    as_of: date
    config: AnalyticsConfig
    kpis: dict[str, Any]
    aum: pd.DataFrame  # analytics.aum_trend
    revenue: pd.DataFrame  # analytics.revenue_trend
    wallet: pd.DataFrame  # analytics.wallet_trend
    retention: pd.DataFrame  # analytics.retention_trend
    segments: dict[int, str]  # household id -> A/B/C today
    households: pd.DataFrame  # analytics ``household_table``: aum, revenue_t12m, segment... per client
    alerts_by_rule: dict[str, list[int]] = field(default_factory=dict)  # rule -> household ids
    names: dict[int, str] = field(default_factory=dict)
    recurring: dict[int, Decimal] = field(default_factory=dict)  # household_recurring

    @property
    def empty(self) -> bool:
        return int(self.kpis.get("clients") or 0) == 0 and self.aum["aum"].fillna(0).eq(0).all()

    def segment_households(self, segment: str) -> list[int]:
        """The households of one segment today, largest fees first."""
        table = self.households
        rows = table[table["segment"] == segment].sort_values("revenue_t12m", ascending=False)
        return [int(h) for h in rows.index]


def gather_book(book: Book, as_of: date, config: AnalyticsConfig, months: int = 25) -> BookDashboard:
    """Everything the book dashboard draws, read in the background: the book is loaded once (frames with
    the monthly series, the yearly retention rows) and every KPI, trend and table is computed from it.
    All but the book value client by client, which needs the retention model: see ``with_model``."""
    loaded = analytics.book_analytics(
        book, as_of, config, with_probabilities=False, months=months, years=RETENTION_YEARS
    )
    frames = loaded.frames
    with book.reader() as s:
        by_rule = alerts_repo.open_alerts_by_rule(s)  # the same "open" as the Alerts panel's default list
    table = household_table(frames.records, as_of, config)
    segments = {int(h): str(v) for h, v in table["segment"].dropna().items()}
    return BookDashboard(
        as_of=as_of,
        config=config,
        kpis=loaded.kpis,
        aum=aum_trend_of(frames),
        revenue=revenue_trend_of(frames),
        wallet=analytics.wallet_trend_of(frames),
        retention=loaded.retention,
        segments=segments,
        households=table,
        alerts_by_rule=dict(by_rule),
        names={int(h): str(n) for h, n in frames.households["name"].items()},  # loaded with the frames
        recurring=household_recurring(frames.records, as_of),
    )


def with_model(data: BookDashboard, probabilities: dict[int, RetentionProbability]) -> BookDashboard:
    """``data`` with the book value client by client: each client's recurring fees at its own retention
    probability (the one figure that needs the retention model, which ``gather_book`` leaves out so the
    dashboard shows before the model is fitted)."""
    value = dict(data.kpis["book_value"])
    value["npv_households"] = household_npv(
        data.recurring, {h: p.probability for h, p in probabilities.items()}, data.config
    )
    # the model's track record, shown in one line beside the figure it feeds
    value["model_track_record"] = next(iter(probabilities.values())).track_record if probabilities else None
    return replace(data, kpis={**data.kpis, "book_value": value})


def alert_counts(data: BookDashboard) -> list[tuple[str, int]]:
    """Open alerts per rule, most first."""
    return Counter({rule: len(ids) for rule, ids in data.alerts_by_rule.items()}).most_common()


@dataclass(frozen=True)
class WhatIf:
    retention: float
    discount_rate: float
    npv: Decimal
    multiple: Decimal
    npv_change: Decimal  # against the NPV at the book's own retention and the configured discount rate


def what_if(kpis: dict[str, Any], config: AnalyticsConfig, retention: float, discount_rate: float) -> WhatIf:
    """Book value at another retention rate and discount rate, through the domain's valuation functions."""
    # the current clients' recurring run rate, as the book value itself (not fees of households that left)
    recurring = Decimal(kpis["book_value"]["recurring_run_rate"])
    one_off = Decimal(kpis["revenue"]["one_off_t12m"])
    base = kpis["book_value"]["npv"]
    value = npv(recurring, retention, replace(config, discount_rate=discount_rate))
    return WhatIf(
        retention=retention,
        discount_rate=discount_rate,
        npv=value,
        multiple=multiple_value(recurring, one_off, config),
        npv_change=value - (Decimal(base) if base is not None else value),
    )
