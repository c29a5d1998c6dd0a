"""Assets under management: per household and book-wide, and the change over the period split into net
flows and market effect."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from actdesk.domain.analytics.records import BookRecords
from actdesk.domain.money import ZERO, from_cents


def money(cents: int | None) -> Decimal:
    """Integer cents to Decimal currency units (zero for missing)."""
    return ZERO if cents is None else (from_cents(int(cents)) or ZERO)


def ratio(numerator: float, denominator: float) -> float | None:
    """A rate, or None when it is undefined (nothing to divide by)."""
    return None if not denominator else float(numerator) / float(denominator)


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


class HouseholdAum(NamedTuple):
    """A client household on the as-of date: AUM now and 12 months ago, held away (cents) and growth
    over 12 months (None when it had nothing a year ago)."""

    aum: int
    aum_12m: int
    held_away: int
    growth: float | None


def aum_change(records: BookRecords) -> AumChange:
    start = sum(records.aum_on(records.period_start).values())
    end = sum(records.aum_on(records.as_of).values())
    inflows = outflows = 0
    households = records.households
    for h in records.flows:  # the households with flows, not every household
        household = households.get(h)
        if household is not None and household.client_between(records.period_start, records.as_of):
            i, o = records.period_flows(h)
            inflows += i
            outflows += o
    net = inflows + outflows
    return AumChange(
        start=money(start),
        end=money(end),
        net_flows=money(net),
        inflows=money(inflows),
        outflows=money(outflows),
        market=money(end - start - net),
    )


def household_aum(records: BookRecords) -> dict[int, HouseholdAum]:
    """Per client household on the as-of date (ascending ids)."""

    def build() -> dict[int, HouseholdAum]:
        out: dict[int, HouseholdAum] = {}
        for h in records.clients_on(records.as_of):
            now, twelve, held = records.aum.get(h, (0, 0, 0))
            growth = (now - twelve) / twelve if twelve > 0 else None
            out[h] = HouseholdAum(now, twelve, held, growth)
        return out

    return records.memoized(("household_aum",), build)
