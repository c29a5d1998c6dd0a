"""Incentive compensation at a payout grid: pure decimal arithmetic, no database, no floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class TierPayout:
    floor: Decimal
    ceiling: Decimal | None  # None: no upper bound
    rate: Decimal
    production: Decimal  # the part of the production that falls in this tier
    payout: Decimal


def grid_payout(production: Decimal, tiers: list[tuple[Decimal, Decimal]]) -> list[TierPayout]:
    """Each tier's rate on the production between its floor and the next floor (marginal grid).

    ``tiers`` are (floor, rate) sorted by floor, the first floor 0. Negative production (refunds larger
    than fees) pays nothing."""
    out: list[TierPayout] = []
    for i, (floor, rate) in enumerate(tiers):
        ceiling = tiers[i + 1][0] if i + 1 < len(tiers) else None
        top = production if ceiling is None else min(production, ceiling)
        part = max(Decimal(0), top - floor)
        out.append(TierPayout(floor, ceiling, rate, part, (part * rate).quantize(CENT, ROUND_HALF_UP)))
    return out


def total_payout(production: Decimal, tiers: list[tuple[Decimal, Decimal]]) -> Decimal:
    return sum((t.payout for t in grid_payout(production, tiers)), Decimal("0.00"))
