"""Client and asset retention over a period, and the departures behind them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from actdesk.domain.analytics.aum import money, ratio
from actdesk.domain.analytics.records import BookRecords, HouseholdRecord


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
    households: dict[int, HouseholdRecord], start: date, end: date
) -> tuple[int, int, float | None]:
    """(clients at start, of them still clients at end, rate). Reads only the households (and the periods
    of those that left and came back), so the yearly trend needs no balances. A household that left and
    came back within the period is retained (a client on both dates)."""
    at_start = [r for r in households.values() if r.client_on(start)]
    kept = sum(1 for r in at_start if r.client_on(end))
    return len(at_start), kept, ratio(kept, len(at_start))


def retention(records: BookRecords) -> Retention:
    start, end = records.period_start, records.as_of
    start_aum = records.aum_on(start)  # every client at the start, in ascending ids
    n = len(start_aum)
    kept = 0
    inflows = outflows = lost = 0
    gone: list[tuple[date, int, Departure]] = []
    for h, aum in start_aum.items():
        household = records.households[h]
        i, o = records.period_flows(h)
        inflows += i
        outflows += o
        if household.client_on(end):
            kept += 1
            continue
        lost += aum
        _since, until, reason = household.period_on(start)
        assert until is not None  # a client at the start and not at the end has left in between
        gone.append((until, len(gone), Departure(h, household.name, until, reason, money(aum))))
    aum_start = sum(start_aum.values())
    return Retention(
        clients_at_start=n,
        retained=kept,
        client_rate=ratio(kept, n),
        aum_at_start=money(aum_start),
        outflows=money(-outflows),
        asset_rate=None if aum_start <= 0 else 1.0 - -outflows / aum_start,
        departures=[d for _until, _i, d in sorted(gone, key=lambda g: (g[0], g[1]))],
        assets_kept_rate=None if aum_start <= 0 else 1.0 - lost / aum_start,
        net_outflow_rate=None if aum_start <= 0 else -(inflows + outflows) / aum_start,
    )
