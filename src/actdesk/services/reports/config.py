"""The "reports" settings section: the compensation payout grid and the page size of printed reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar


def default_grid() -> list[list[float]]:
    """A common independent broker-dealer grid: [production floor in dollars, payout rate]."""
    return [[0, 0.80], [250_000, 0.85], [500_000, 0.88], [1_000_000, 0.90]]


@dataclass
class ReportSettings:
    """``payout_grid`` rows are ``[floor, rate]``; each rate applies to the production between its floor and
    the next one (marginal, like tax brackets), so crossing a tier never lowers the payout. ``paper`` is
    "a4" or "letter"."""

    SECTION: ClassVar[str] = "reports"  # its section of the settings file
    payout_grid: list[list[float]] = field(default_factory=default_grid)
    paper: str = "letter"

    def tiers(self) -> list[tuple[Decimal, Decimal]]:
        """The grid sorted by floor, as exact decimals; the first floor is 0."""
        rows = sorted((Decimal(str(f)), Decimal(str(r))) for f, r in self.payout_grid)
        if not rows or rows[0][0] != 0:
            rows.insert(0, (Decimal(0), Decimal(0)))
        return rows
