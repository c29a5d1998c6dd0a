"""A/B/C segmentation by trailing-12-month revenue, the mix at two dates and who moved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.common import aum_at, clients_on, fees_t12m, memoized, money
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.analytics.segment_sizes import segment_sizes as segment_sizes
from actdesk.domain.analytics.valuation import apportioned_values

SEGMENTS = ("A", "B", "C")


def _ranked(frames: BookFrames, as_of: date) -> pd.DataFrame:
    return memoized(frames, ("ranked", as_of), lambda: _rank(frames, as_of))


def _rank(frames: BookFrames, as_of: date) -> pd.DataFrame:
    ids = clients_on(frames, as_of)
    table = fees_t12m(frames, as_of).reindex(ids, fill_value=0)
    table["aum"] = aum_at(frames, as_of).reindex(ids, fill_value=0)
    table = table.rename_axis("household_id").reset_index()
    return table.sort_values(["total_cents", "aum", "household_id"], ascending=[False, False, True])


def assign_segments(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> dict[int, str]:
    """Client households on ``as_of`` (the as-of date or the period start) ranked by T12M revenue (ties:
    AUM, then id): A = top 20% rounded up, B = the next 30%, C = the rest (shares from ``config``)."""
    shares = (config.segment_a_share, config.segment_b_share)
    return dict(memoized(frames, ("segments", as_of, shares), lambda: _assign(frames, as_of, config)))


def _assign(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> dict[int, str]:
    ranked = _ranked(frames, as_of)
    a, b = segment_sizes(len(ranked), config)
    labels = ["A"] * a + ["B"] * b + ["C"] * (len(ranked) - a - b)
    return {int(h): s for h, s in zip(ranked["household_id"], labels, strict=True)}


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


def segment_figures(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> dict[str, SegmentFigures]:
    ranked = _ranked(frames, as_of)  # in segment order: A's rows first, then B's, then C's
    a, b = segment_sizes(len(ranked), config)
    slices = {"A": slice(0, a), "B": slice(a, a + b), "C": slice(a + b, len(ranked))}
    sums = ranked[["recurring_cents", "one_off_cents", "total_cents", "aum"]].to_numpy(dtype="int64")
    totals = {name: sums[slices[name]].sum(axis=0) for name in SEGMENTS}
    # The segments' values add up to the book's multiple exactly, rounded once on the whole.
    values = apportioned_values(
        [(money(int(totals[name][0])), money(int(totals[name][1]))) for name in SEGMENTS], config
    )
    out: dict[str, SegmentFigures] = {}
    for name, value in zip(SEGMENTS, values, strict=True):
        recurring_cents, _one_off_cents, total_cents, aum_cents = totals[name]
        out[name] = SegmentFigures(
            households=slices[name].stop - slices[name].start,
            revenue=money(int(total_cents)),
            recurring=money(int(recurring_cents)),
            aum=money(int(aum_cents)),
            value=value,
        )
    return out


def segment_mix(frames: BookFrames, config: AnalyticsConfig) -> SegmentMix:
    """The mix at the period start and the as-of date, who moved, and what the shift did to book value."""
    start, end = frames.period_start, frames.as_of
    before, after = assign_segments(frames, start, config), assign_segments(frames, end, config)
    names = frames.households["name"]
    movers = [
        Mover(int(h), str(names.get(h, "")), before.get(h), after.get(h))
        for h in sorted(set(before) | set(after))
        if before.get(h) != after.get(h)
    ]
    at_start, at_end = segment_figures(frames, start, config), segment_figures(frames, end, config)
    return SegmentMix(
        start=start,
        end=end,
        at_start=at_start,
        at_end=at_end,
        movers=movers,
        value_change={s: at_end[s].value - at_start[s].value for s in SEGMENTS},
    )
