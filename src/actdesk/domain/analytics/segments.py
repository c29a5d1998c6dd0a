"""A/B/C segmentation by trailing-12-month revenue, the mix at two dates and who moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.records import BookRecords
from actdesk.domain.analytics.revenue import ranked_by_revenue
from actdesk.domain.analytics.segment_sizes import segment_sizes as segment_sizes
from actdesk.domain.analytics.valuation import apportioned_values

SEGMENTS = ("A", "B", "C")


def assign_segments(records: BookRecords, as_of: date, config: AnalyticsConfig) -> dict[int, str]:
    """Client households on ``as_of`` (the as-of date or the period start) ranked by T12M revenue (ties:
    AUM, then id): A = top 20% rounded up, B = the next 30%, C = the rest (shares from ``config``)."""
    ranked = ranked_by_revenue(records, as_of)
    a, b = segment_sizes(len(ranked), config)
    labels = ["A"] * a + ["B"] * b + ["C"] * (len(ranked) - a - b)
    return {row[2]: s for row, s in zip(ranked, labels, strict=True)}


@dataclass(frozen=True)
class SegmentFigures:
    households: int
    revenue: Decimal
    recurring: Decimal
    aum: Decimal
    value: Decimal  # the multiple valuation of the segment's revenue


@dataclass(frozen=True)
class Mover:
    household_id: int
    name: str
    before: str | None  # None: not a client at the earlier date
    after: str | None  # None: no longer a client


@dataclass(frozen=True)
class SegmentMix:
    start: date
    end: date
    at_start: dict[str, SegmentFigures]
    at_end: dict[str, SegmentFigures]
    movers: list[Mover]
    value_change: dict[str, Decimal]  # per segment: value at end - value at start

    @property
    def value_change_total(self) -> Decimal:
        return sum(self.value_change.values(), Decimal("0.00"))


def segment_figures(records: BookRecords, as_of: date, config: AnalyticsConfig) -> dict[str, SegmentFigures]:
    ranked = ranked_by_revenue(records, as_of)  # in segment order: A's rows first, then B's, then C's
    a, b = segment_sizes(len(ranked), config)
    slices = {"A": ranked[:a], "B": ranked[a : a + b], "C": ranked[a + b :]}
    totals = {
        name: [sum(column) for column in list(zip(*rows, strict=True))[3:]] or [0] * 4
        for name, rows in slices.items()
    }
    # The segments' values add up to the book's multiple exactly, rounded once on the whole.
    values = apportioned_values([(money(totals[s][0]), money(totals[s][1])) for s in SEGMENTS], config)
    return {
        name: SegmentFigures(
            households=len(slices[name]),
            revenue=money(totals[name][2]),
            recurring=money(totals[name][0]),
            aum=money(totals[name][3]),
            value=value,
        )
        for name, value in zip(SEGMENTS, values, strict=True)
    }


def segment_mix(records: BookRecords, config: AnalyticsConfig) -> SegmentMix:
    """The mix at the period start and the as-of date, who moved, and what the shift did to book value."""
    start, end = records.period_start, records.as_of
    before, after = assign_segments(records, start, config), assign_segments(records, end, config)
    households = records.households
    movers = [
        Mover(h, households[h].name if h in households else "", before.get(h), after.get(h))
        for h in sorted(set(before) | set(after))
        if before.get(h) != after.get(h)
    ]
    at_start, at_end = segment_figures(records, start, config), segment_figures(records, end, config)
    return SegmentMix(
        start=start,
        end=end,
        at_start=at_start,
        at_end=at_end,
        movers=movers,
        value_change={s: at_end[s].value - at_start[s].value for s in SEGMENTS},
    )
