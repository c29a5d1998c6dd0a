"""Cost to serve versus revenue: which households cost more of the advisor's time than they pay.

Cost to serve = sum over activity kinds of (completed activities x configured minutes) / 60 x hourly cost,
over the same 12 months as the revenue (trailing-12-month fees, from the analytics).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from actdesk.domain.pipeline.board import CENT, ZERO
from actdesk.domain.pipeline.config import PipelineConfig


@dataclass(frozen=True)
class ServiceCost:
    household_id: int
    name: str
    segment: str
    minutes: int
    cost: Decimal
    revenue: Decimal

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def unprofitable(self) -> bool:
        return self.cost > self.revenue


@dataclass(frozen=True)
class SegmentEconomics:
    segment: str
    households: int
    revenue: Decimal
    cost: Decimal
    unprofitable: int  # households costing more than they pay


def service_minutes(counts: Mapping[str, int], config: PipelineConfig) -> int:
    return sum(n * int(config.activity_minutes.get(kind, 0)) for kind, n in counts.items())


def cost_of(minutes: int, config: PipelineConfig) -> Decimal:
    return (Decimal(minutes) / 60 * Decimal(str(config.hourly_cost))).quantize(CENT, rounding=ROUND_HALF_UP)


def service_costs(
    segments: Mapping[int, str],
    names: Mapping[int, str],
    activity_counts: Mapping[int, Mapping[str, int]],
    revenue: Mapping[int, Decimal],
    config: PipelineConfig,
) -> list[ServiceCost]:
    """One row per client household in ``segments``; the most unprofitable first."""
    rows = []
    for hid, segment in segments.items():
        minutes = service_minutes(activity_counts.get(hid, {}), config)
        rows.append(
            ServiceCost(
                hid, names.get(hid, ""), segment, minutes, cost_of(minutes, config), revenue.get(hid, ZERO)
            )
        )
    rows.sort(key=lambda r: (r.margin, r.household_id))
    return rows


def segment_economics(
    rows: list[ServiceCost], segment_names: tuple[str, ...] = ("A", "B", "C")
) -> list[SegmentEconomics]:
    out = []
    for name in segment_names:
        in_segment = [r for r in rows if r.segment == name]
        out.append(
            SegmentEconomics(
                name,
                len(in_segment),
                sum((r.revenue for r in in_segment), ZERO),
                sum((r.cost for r in in_segment), ZERO),
                sum(1 for r in in_segment if r.unprofitable),
            )
        )
    return out
