"""Pipeline arithmetic against values computed by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from actdesk.domain.pipeline.board import (
    PipelineError,
    PipelineItem,
    StageChange,
    check_move,
    column_totals,
    days_in_stage,
    effective_probability,
    open_weighted_value,
    time_in_stages,
    weighted_revenue,
    weighted_value,
)
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.sources import Spend, source_stats

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)
CFG = PipelineConfig()


def item(
    id: int,
    stage: str,
    aum: str | None,
    probability: float | None = None,
    *,
    revenue: str | None = None,
    source: str | None = "Referral",
    created: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    changed: datetime | None = None,
    household_id: int | None = None,
    kind: str = "new_household",
) -> PipelineItem:
    return PipelineItem(
        id=id,
        household_id=household_id or id,
        household=f"H{id}",
        kind=kind,
        stage=stage,
        expected_aum=None if aum is None else Decimal(aum),
        expected_revenue=None if revenue is None else Decimal(revenue),
        probability=probability,
        expected_close=None,
        source=source,
        lost_reason="price" if stage == "lost" else None,
        created_at=created,
        stage_changed_at=changed or created,
    )


A = item(1, "lead", "100000", changed=NOW - timedelta(days=14))
B = item(2, "proposal", "250000", 0.75, revenue="2500", changed=NOW - timedelta(days=30, hours=3))
C = item(
    3,
    "won",
    "400000",
    0.3,
    created=datetime(2026, 1, 1, tzinfo=UTC),
    changed=datetime(2026, 3, 2, tzinfo=UTC),
)
D = item(4, "lost", "50000")
E = item(5, "meeting", None)
F = item(
    6, "won", "100000", created=datetime(2026, 2, 1, tzinfo=UTC), changed=datetime(2026, 2, 21, tzinfo=UTC)
)


def test_probability_is_the_recorded_one_or_the_stages_and_closed_stages_are_fixed() -> None:
    assert effective_probability(A, CFG) == 0.1  # none recorded: the lead default
    assert effective_probability(B, CFG) == 0.75  # recorded by the advisor
    assert effective_probability(C, CFG) == 1.0  # won is 1 whatever was recorded
    assert effective_probability(D, CFG) == 0.0


def test_weighted_value_is_expected_aum_times_probability() -> None:
    assert weighted_value(A, CFG) == Decimal("10000.00")
    assert weighted_value(B, CFG) == Decimal("187500.00")
    assert weighted_value(C, CFG) == Decimal("400000.00")
    assert weighted_value(D, CFG) == Decimal("0.00")
    assert weighted_value(E, CFG) == Decimal("0.00")
    assert weighted_revenue(B, CFG) == Decimal("1875.00")
    # the pipeline's value counts open stages only: 10,000 + 187,500 + 0
    assert open_weighted_value([A, B, C, D, E], CFG) == Decimal("197500.00")


def test_configured_probabilities_change_the_weighting() -> None:
    cfg = PipelineConfig(probabilities={"lead": 0.25})
    assert weighted_value(A, cfg) == Decimal("25000.00")


def test_days_in_stage_and_column_totals() -> None:
    assert days_in_stage(A, NOW) == 14
    assert days_in_stage(B, NOW) == 30
    totals = {t.stage: t for t in column_totals([A, B, C, D, E, F], CFG, NOW)}
    assert list(totals) == CFG.stages
    assert totals["lead"].count == 1 and totals["lead"].average_days == 14
    assert totals["won"].count == 2
    assert totals["won"].expected_aum == Decimal("500000")
    assert totals["won"].weighted_value == Decimal("500000.00")
    assert totals["proposal"].weighted_revenue == Decimal("1875.00")
    assert totals["contacted"].count == 0 and totals["contacted"].average_days is None


def test_lost_needs_a_reason_and_stages_must_be_known() -> None:
    with pytest.raises(PipelineError, match="reason"):
        check_move("lost", None, CFG)
    with pytest.raises(PipelineError, match="reason"):
        check_move("lost", "   ", CFG)
    with pytest.raises(PipelineError, match="unknown stage"):
        check_move("negotiation", None, CFG)
    assert check_move("lost", "  chose a robo-advisor ", CFG) == "chose a robo-advisor"
    assert check_move("won", "ignored", CFG) is None


def test_custom_stages() -> None:
    cfg = PipelineConfig(stages=["lead", "discovery", "won", "lost"], probabilities={"discovery": 0.5})
    assert check_move("discovery", None, cfg) is None
    assert weighted_value(item(9, "discovery", "1000"), cfg) == Decimal("500.00")
    assert cfg.open_stages == ["lead", "discovery"]


def test_win_rate_cycle_time_and_cost_per_household_by_source() -> None:
    spend = [
        Spend("Referral", date(2026, 2, 1), Decimal("500.00"), hours=2.0),
        Spend("Seminar", date(2026, 3, 1), Decimal("1000.00")),
    ]
    stats = {s.source: s for s in source_stats([A, B, C, D, E, F], spend, CFG)}
    r = stats["Referral"]
    assert (r.opportunities, r.open, r.won, r.lost) == (6, 3, 2, 1)
    assert r.win_rate == pytest.approx(2 / 3)
    assert r.cycle_days == 40.0  # (60 + 20) / 2
    assert r.households_won == 2
    assert r.aum_won == Decimal("500000")
    assert r.total_cost == Decimal("800.00")  # 500 + 2 h x 150
    assert r.cost_per_household == Decimal("400.00")
    s = stats["Seminar"]
    assert s.opportunities == 0 and s.win_rate is None and s.cost_per_household is None
    assert s.total_cost == Decimal("1000.00")


def test_time_in_stages_from_history() -> None:
    t0 = NOW - timedelta(days=30)
    opp = item(1, "meeting", "1", created=t0, changed=t0 + timedelta(days=25))
    history = [
        StageChange(1, None, "lead", t0),
        StageChange(1, "lead", "contacted", t0 + timedelta(days=10)),
        StageChange(1, "contacted", "meeting", t0 + timedelta(days=25)),
    ]
    assert time_in_stages(history, [opp], NOW) == {"lead": [10.0], "contacted": [15.0], "meeting": [5.0]}
