"""Where clients come from and what they cost: win rate, cycle time, spend, revenue and AUM won per source.

Win rate is won / (won + lost) among closed opportunities; cycle time is the mean days from an
opportunity's creation to its win. Spend is money plus hours valued at the configured hourly cost; cost
per acquired household divides it by the new households won from that source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from actdesk.domain.pipeline.board import CENT, ZERO, PipelineItem
from actdesk.domain.pipeline.config import PipelineConfig

NEW_HOUSEHOLD = "new_household"


@dataclass(frozen=True)
class Spend:
    source: str
    day: date
    amount: Decimal
    hours: float = 0.0
    note: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class SourceStats:
    source: str
    opportunities: int
    open: int
    won: int
    lost: int
    win_rate: float | None  # None: nothing closed yet
    cycle_days: float | None  # mean days from creation to win; None: nothing won
    households_won: int  # new households won
    aum_won: Decimal
    revenue_won: Decimal
    money_spent: Decimal
    hours_spent: float
    total_cost: Decimal  # money + hours x hourly cost
    cost_per_household: Decimal | None  # None: no household won yet, or no spend recorded


def source_name(source: str | None) -> str:
    """Blank sources group together under the empty string (the UI shows "Unknown")."""
    return (source or "").strip()


def source_stats(
    items: Iterable[PipelineItem],
    spend: Sequence[Spend],
    config: PipelineConfig,
    start: date | None = None,
    end: date | None = None,
) -> list[SourceStats]:
    """Per source, most households won first. ``start``/``end`` (inclusive) limit spend by its date and
    opportunities by their creation date; None means all time."""

    def inside(day: date) -> bool:
        return (start is None or day >= start) and (end is None or day <= end)

    groups: dict[str, list[PipelineItem]] = {}
    for item in items:
        if inside(item.created_at.date()):
            groups.setdefault(source_name(item.source), []).append(item)
    money: dict[str, Decimal] = {}
    hours: dict[str, float] = {}
    for s in spend:
        if inside(s.day):
            key = source_name(s.source)
            money[key] = money.get(key, ZERO) + s.amount
            hours[key] = hours.get(key, 0.0) + s.hours
    hourly = Decimal(str(config.hourly_cost))
    out = []
    for key in sorted(set(groups) | set(money)):
        rows = groups.get(key, [])
        won = [i for i in rows if i.stage == config.won_stage]
        lost = [i for i in rows if i.stage == config.lost_stage]
        cycles = [max(0, (i.stage_changed_at - i.created_at).days) for i in won]
        households = len({i.household_id for i in won if i.kind == NEW_HOUSEHOLD})
        spent, spent_hours = money.get(key, ZERO), hours.get(key, 0.0)
        total = (spent + Decimal(str(spent_hours)) * hourly).quantize(CENT, rounding=ROUND_HALF_UP)
        out.append(
            SourceStats(
                source=key,
                opportunities=len(rows),
                open=sum(1 for i in rows if not config.is_closed(i.stage)),
                won=len(won),
                lost=len(lost),
                win_rate=len(won) / (len(won) + len(lost)) if won or lost else None,
                cycle_days=sum(cycles) / len(cycles) if cycles else None,
                households_won=households,
                aum_won=sum((i.expected_aum or ZERO for i in won), ZERO),
                revenue_won=sum((i.expected_revenue or ZERO for i in won), ZERO),
                money_spent=spent,
                hours_spent=spent_hours,
                total_cost=total,
                cost_per_household=(total / households).quantize(CENT, rounding=ROUND_HALF_UP)
                if households and key in money
                else None,
            )
        )
    out.sort(key=lambda s: (-s.households_won, -s.won, s.source))
    return out
