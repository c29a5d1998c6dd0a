"""Client and asset retention over a period, and the departures behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.aum import period_flows
from actdesk.domain.analytics.common import client_aum, client_mask, money, period_on, ratio
from actdesk.domain.analytics.frames import BookFrames


@dataclass(frozen=True)
class Departure:
    household_id: int
    name: str
    left_on: date
    reason: str | None
    aum_at_start: Decimal  # what the household held at the period start


@dataclass(frozen=True)
class Retention:
    clients_at_start: int
    retained: int
    client_rate: float | None  # retained / clients at start; None with no clients at the start
    aum_at_start: Decimal
    outflows: Decimal  # positive: sum of negative flows of the start's clients in the period
    asset_rate: float | None  # 1 - outflows / AUM at the start; None with no AUM at the start
    departures: list[Departure]
    # Issue 20: the two ideas apart. Assets kept from departures = 1 - (AUM at the start of the households
    # that left) / AUM at the start: the industry's "asset retention" (a departure with no recorded transfer
    # out still counts). Net outflow rate = -(inflows + outflows of the start's clients) / AUM at the start
    # (positive when more left than came in; withdrawals by staying clients count here, not above).
    assets_kept_rate: float | None = None
    net_outflow_rate: float | None = None


def client_retention(
    households: pd.DataFrame, start: date, end: date, periods: pd.DataFrame | None = None
) -> tuple[int, int, float | None]:
    """(clients at start, of them still clients at end, rate). Reads only the households frame (and the
    periods of those that left and came back), so the yearly trend needs no balances. A household that
    left and came back within the period is retained (a client on both dates)."""
    at_start = client_mask(households, start, periods)
    still = at_start & client_mask(households, end, periods)
    n, kept = int(at_start.sum()), int(still.sum())
    return n, kept, ratio(kept, n)


def retention(frames: BookFrames) -> Retention:
    start, end = frames.period_start, frames.as_of
    households = frames.households
    n, kept, rate = client_retention(households, start, end, frames.periods)
    start_aum = client_aum(frames, start)
    flows = period_flows(frames).reindex(start_aum.index, fill_value=0)
    outflows = -int(flows["outflow_cents"].sum())
    aum_start = int(start_aum.sum())
    asset_rate = None if aum_start <= 0 else 1.0 - outflows / aum_start
    gone = client_mask(households, start, frames.periods) & ~client_mask(households, end, frames.periods)
    left = households[["name"]].join(period_on(frames, start))[gone]
    lost = int(start_aum.reindex(left.index, fill_value=0).sum())
    net = int(flows["inflow_cents"].sum()) + int(flows["outflow_cents"].sum())
    assets_kept = None if aum_start <= 0 else 1.0 - lost / aum_start
    net_outflow = None if aum_start <= 0 else -net / aum_start
    departures = [
        Departure(
            household_id=int(hid),
            name=str(name),
            left_on=until.date(),
            reason=None if pd.isna(reason) else str(reason),
            aum_at_start=money(int(start_aum.get(hid, 0))),
        )
        for hid, name, until, reason in left.sort_values("client_until")[
            ["name", "client_until", "leaving_reason"]
        ].itertuples()
    ]
    return Retention(
        clients_at_start=n,
        retained=kept,
        client_rate=rate,
        aum_at_start=money(aum_start),
        outflows=money(outflows),
        asset_rate=asset_rate,
        departures=departures,
        assets_kept_rate=assets_kept,
        net_outflow_rate=net_outflow,
    )
