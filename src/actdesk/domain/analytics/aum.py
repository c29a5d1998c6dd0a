"""Assets under management: per household and book-wide, and the change over the period split into net
flows and market effect."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from actdesk.domain.analytics.common import aum_at, client_aum, clients_on, memoized, money, summed_over
from actdesk.domain.analytics.frames import BookFrames


@dataclass(frozen=True)
class AumChange:
    """AUM at the period's start and end and what moved it. ``end - start = net_flows + market``."""

    start: Decimal
    end: Decimal
    net_flows: Decimal  # flows on managed accounts in the period of households that were clients in it
    inflows: Decimal
    outflows: Decimal  # negative
    market: Decimal  # the rest: returns, plus AUM that arrived or left with a household without a flow

    @property
    def change(self) -> Decimal:
        return self.end - self.start


def period_flows(frames: BookFrames) -> pd.DataFrame:
    """Inflows and outflows (cents) per household over the 12 months ending at the as-of date."""
    return memoized(
        frames,
        ("period_flows",),
        lambda: summed_over(frames.flows, list(frames.snapshots[:2]), ["inflow_cents", "outflow_cents"]),
    )


def in_period_mask(frames: BookFrames) -> pd.Series:
    """Households that were clients at some point of the period (start, as-of]."""
    start = pd.Timestamp(frames.period_start)
    end = pd.Timestamp(frames.as_of)
    since, until = frames.households["client_since"], frames.households["client_until"]
    mask = (since.notna() & (since <= end) & (until.isna() | (until > start))).astype(bool)
    periods = frames.periods
    if periods.empty:
        return mask
    overlaps = (periods["start"] <= end) & (periods["end"].isna() | (periods["end"] > start))
    returning = frames.households.index.isin(periods["household_id"].unique())
    inside = frames.households.index.isin(periods.loc[overlaps, "household_id"].unique())
    return pd.Series(np.where(returning, inside, mask.to_numpy()), index=frames.households.index, dtype=bool)


def aum_change(frames: BookFrames) -> AumChange:
    start = int(client_aum(frames, frames.period_start).sum())
    end = int(client_aum(frames, frames.as_of).sum())
    ids = frames.households.index[in_period_mask(frames)]
    flows = period_flows(frames).reindex(ids, fill_value=0)
    inflows = int(flows["inflow_cents"].sum())
    outflows = int(flows["outflow_cents"].sum())
    net = inflows + outflows
    return AumChange(
        start=money(start),
        end=money(end),
        net_flows=money(net),
        inflows=money(inflows),
        outflows=money(outflows),
        market=money(end - start - net),
    )


def household_aum_table(frames: BookFrames) -> pd.DataFrame:
    """Per client household on the as-of date: AUM now, 6 and 12 months ago (cents) and growth over 12
    months (None when it had nothing a year ago)."""
    return memoized(frames, ("household_aum_table",), lambda: _household_aum_table(frames))


def _household_aum_table(frames: BookFrames) -> pd.DataFrame:
    ids = clients_on(frames, frames.as_of)
    table = pd.DataFrame(index=ids)
    for label, day in (
        ("aum", frames.snapshots[0]),
        ("aum_6m", frames.snapshots[1]),
        ("aum_12m", frames.snapshots[2]),
    ):
        table[label] = aum_at(frames, day).reindex(ids, fill_value=0).astype("int64")
    held = aum_at(frames, frames.as_of, "held_away_cents").reindex(ids, fill_value=0)
    table["held_away"] = held.astype("int64")
    growth = (table["aum"] - table["aum_12m"]) / table["aum_12m"].where(table["aum_12m"] > 0)
    table["aum_growth"] = growth.astype("float64")
    return table
