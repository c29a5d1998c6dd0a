"""The pipeline board's arithmetic: probability, weighted value, days in stage, column totals, moves.

Weighted value is expected AUM times the probability of closing; weighted revenue is expected revenue
times the same probability. An opportunity's probability is the one recorded on it (the advisor may set
it), else its stage's configured probability; won is always 1 and lost always 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.i18n import _

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


class PipelineError(ValueError):
    """A move or an opportunity the pipeline refuses; the message is one translated line for the advisor."""


@dataclass(frozen=True)
class PipelineItem:
    """One opportunity as the board shows it (the household's name joined in)."""

    id: int
    household_id: int
    household: str
    kind: str
    stage: str
    expected_aum: Decimal | None
    expected_revenue: Decimal | None
    probability: float | None
    expected_close: date | None
    source: str | None
    lost_reason: str | None
    created_at: datetime
    stage_changed_at: datetime


@dataclass(frozen=True)
class StageChange:
    opportunity_id: int
    from_stage: str | None
    to_stage: str
    changed_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class ColumnTotals:
    stage: str
    count: int
    expected_aum: Decimal
    expected_revenue: Decimal
    weighted_value: Decimal
    weighted_revenue: Decimal
    average_days: float | None  # mean days the opportunities in it have spent in this stage


def effective_probability(item: PipelineItem, config: PipelineConfig) -> float:
    if config.is_closed(item.stage):
        return config.probability(item.stage)
    if item.probability is not None:
        return float(item.probability)
    return config.probability(item.stage)


def _weighted(amount: Decimal | None, probability: float) -> Decimal:
    if amount is None:
        return ZERO
    return (amount * Decimal(str(probability))).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_value(item: PipelineItem, config: PipelineConfig) -> Decimal:
    """Expected AUM x probability of closing."""
    return _weighted(item.expected_aum, effective_probability(item, config))


def weighted_revenue(item: PipelineItem, config: PipelineConfig) -> Decimal:
    """Expected revenue x probability of closing."""
    return _weighted(item.expected_revenue, effective_probability(item, config))


def days_in_stage(item: PipelineItem, now: datetime) -> int:
    """Whole days since the opportunity entered its current stage (0 on the day it moved)."""
    return max(0, (now - item.stage_changed_at).days)


def column_totals(items: Iterable[PipelineItem], config: PipelineConfig, now: datetime) -> list[ColumnTotals]:
    """Per configured stage, in board order: count, sums and weighted values, mean days in stage.
    Opportunities in a stage the settings no longer list are left out (``unknown_stages`` names them)."""
    by_stage: dict[str, list[PipelineItem]] = {s: [] for s in config.stages}
    for item in items:
        if item.stage in by_stage:
            by_stage[item.stage].append(item)
    out = []
    for stage, rows in by_stage.items():
        days = [days_in_stage(i, now) for i in rows]
        out.append(
            ColumnTotals(
                stage=stage,
                count=len(rows),
                expected_aum=sum((i.expected_aum or ZERO for i in rows), ZERO),
                expected_revenue=sum((i.expected_revenue or ZERO for i in rows), ZERO),
                weighted_value=sum((weighted_value(i, config) for i in rows), ZERO),
                weighted_revenue=sum((weighted_revenue(i, config) for i in rows), ZERO),
                average_days=sum(days) / len(days) if days else None,
            )
        )
    return out


def unknown_stages(items: Iterable[PipelineItem], config: PipelineConfig) -> list[str]:
    return sorted({i.stage for i in items if i.stage not in config.stages})


def open_weighted_value(items: Iterable[PipelineItem], config: PipelineConfig) -> Decimal:
    """The pipeline's weighted value: the sum over open opportunities (won and lost are no longer pipeline)."""
    return sum((weighted_value(i, config) for i in items if i.stage in config.open_stages), ZERO)


def check_move(stage: str, reason: str | None, config: PipelineConfig) -> str | None:
    """The cleaned reason of a valid move to ``stage``; raises ``PipelineError`` when the move is refused."""
    if stage not in config.stages:
        raise PipelineError(
            _("unknown stage {stage!r}; the stages are: {stages}").format(
                stage=stage, stages=", ".join(config.stages)
            )
        )
    cleaned = (reason or "").strip() or None
    if stage == config.lost_stage and cleaned is None:
        raise PipelineError(_("a lost opportunity needs a reason (why did the prospect say no?)"))
    return cleaned if stage == config.lost_stage else None


def time_in_stages(
    changes: Sequence[StageChange], items: Sequence[PipelineItem], now: datetime
) -> dict[str, list[float]]:
    """Days each opportunity spent in each stage it has left or is in, from its stage history.

    An opportunity without recorded history (created before the history existed, or imported) counts
    once, from its creation to its last stage change, in its current stage."""
    by_opp: dict[int, list[StageChange]] = {}
    for c in changes:
        by_opp.setdefault(c.opportunity_id, []).append(c)
    out: dict[str, list[float]] = {}
    for item in items:
        history = sorted(by_opp.get(item.id, []), key=lambda c: c.changed_at)
        if not history:
            out.setdefault(item.stage, []).append(max(0.0, (now - item.stage_changed_at).days))
            continue
        for current, following in zip(history, [*history[1:], None], strict=True):
            end = following.changed_at if following else now
            out.setdefault(current.to_stage, []).append(max(0.0, (end - current.changed_at).days))
    return out
