"""Risk rules: each fires at its threshold, stays quiet just below it, and explains itself with numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from actdesk.domain.alerts import OutflowFacts, RuleKey, Severity

from .quiet import SETTINGS, fired, quiet

EROSION = RuleKey.SILENT_EROSION


def test_silent_erosion_fires_at_fifteen_percent_net_outflows() -> None:
    (f,) = fired(EROSION, quiet(aum_past=1_000_000, net_flows_past=-150_000, aum=870_000))
    assert f.severity is Severity.HIGH
    assert f.magnitude == 0.15
    assert f.explanation == (
        "Net outflows of $150,000 in the last 6 months took 15% of managed assets ($1,000,000 then, $870,000 now)."
    )


def test_silent_erosion_ignores_fourteen_point_nine_percent_and_market_losses() -> None:
    assert fired(EROSION, quiet(aum_past=1_000_000, net_flows_past=-149_000, aum=851_000)) == []
    # A 30% market fall with no money leaving is not erosion.
    assert fired(EROSION, quiet(aum_past=1_000_000, net_flows_past=0, aum=700_000)) == []


def test_silent_erosion_fires_on_ten_point_share_of_wallet_fall() -> None:
    (f,) = fired(EROSION, quiet(share_of_wallet_past=0.3, share_of_wallet=0.2))
    assert f.magnitude == 0.3 - 0.2
    assert f.explanation == "Share of wallet fell 10 points in 12 months, from 30% to 20%."
    assert fired(EROSION, quiet(share_of_wallet_past=0.3, share_of_wallet=0.201)) == []


def test_silent_erosion_names_both_causes_in_one_sentence() -> None:
    (f,) = fired(
        EROSION,
        quiet(
            aum_past=1_000_000,
            net_flows_past=-200_000,
            aum=800_000,
            share_of_wallet_past=0.5,
            share_of_wallet=0.38,
        ),
    )
    assert f.explanation == (
        "Net outflows of $200,000 in the last 6 months took 20% of managed assets ($1,000,000 then, $800,000 now); "
        "share of wallet fell 12 points in 12 months, from 50% to 38%."
    )
    assert f.magnitude == 0.2


WITHDRAWAL = RuleKey.LARGE_WITHDRAWAL


def _out(
    amount: float, before: float = 1_000_000, day: date = date(2026, 11, 10), account: str = "IRA at Schwab"
) -> OutflowFacts:
    return OutflowFacts(day, amount, before, account)


def test_large_withdrawal_fires_at_ten_percent_of_aum() -> None:
    (f,) = fired(WITHDRAWAL, quiet(outflows=(_out(100_000),)))
    assert f.severity is Severity.MEDIUM
    assert f.explanation == (
        "A $100,000 outflow from the IRA at Schwab on Nov 10, 2026 took 10% of the household's $1,000,000 of managed assets."
    )


def test_large_withdrawal_quiet_just_below_and_outside_the_window() -> None:
    assert fired(WITHDRAWAL, quiet(outflows=(_out(99_999),))) == []
    assert fired(WITHDRAWAL, quiet(outflows=(_out(300_000, day=date(2026, 8, 31)),))) == []


def test_large_withdrawal_reports_the_largest_and_counts_the_others() -> None:
    (f,) = fired(
        WITHDRAWAL, quiet(outflows=(_out(120_000), _out(250_000, day=date(2026, 10, 1), account="")))
    )
    assert f.severity is Severity.HIGH  # 25% is at least twice the threshold
    assert f.explanation == (
        "A $250,000 outflow on Oct 1, 2026 took 25% of the household's $1,000,000 of managed assets. "
        "2 large outflows in the last 90 days."
    )
    assert abs(f.magnitude - 0.37) < 1e-9


REVENUE = RuleKey.REVENUE_DECLINE


def test_revenue_decline_fires_at_twenty_percent() -> None:
    (f,) = fired(REVENUE, quiet(revenue_t12m=8_000, revenue_prev_t12m=10_000))
    assert f.severity is Severity.MEDIUM
    assert (
        f.explanation
        == "Fee revenue over the last 12 months is $8,000, down 20% from $10,000 the year before."
    )


def test_revenue_decline_quiet_just_below_and_for_new_clients() -> None:
    assert fired(REVENUE, quiet(revenue_t12m=8_001, revenue_prev_t12m=10_000)) == []
    assert fired(REVENUE, quiet(revenue_t12m=0, revenue_prev_t12m=0)) == []


def test_revenue_decline_can_look_at_recurring_fees_only() -> None:
    one_off_last_year = quiet(
        revenue_t12m=5_000, revenue_prev_t12m=9_000, recurring_t12m=5_000, recurring_prev_t12m=5_000
    )
    assert len(fired(REVENUE, one_off_last_year)) == 1
    assert fired(REVENUE, one_off_last_year, settings=replace(SETTINGS, revenue_recurring_only=True)) == []


RETENTION = RuleKey.LOW_RETENTION_PROBABILITY


def test_retention_fires_below_eighty_five_percent_with_factors() -> None:
    h = quiet(
        retention_probability=0.84,
        retention_reference=0.86,
        retention_factors=("net outflows of 18% in 6 months",),
    )
    (f,) = fired(RETENTION, h)
    assert f.explanation == (
        "The estimated chance of still being a client in 12 months is 84%, below 85%. "
        "Main factors: net outflows of 18% in 6 months."
    )
    assert f.reference is None
    assert f.severity is Severity.MEDIUM


def test_retention_quiet_at_eighty_five_percent() -> None:
    assert fired(RETENTION, quiet(retention_probability=0.85, retention_reference=0.9)) == []


def test_retention_fires_on_a_ten_point_fall_since_the_last_evaluation() -> None:
    (f,) = fired(RETENTION, quiet(retention_probability=0.87, retention_reference=0.97))
    assert f.explanation == (
        "The estimated chance of still being a client in 12 months fell from 97% to 87% since the last evaluation."
    )
    assert f.reference == 0.97
    assert fired(RETENTION, quiet(retention_probability=0.88, retention_reference=0.979)) == []


def test_retention_is_high_severity_far_below_the_threshold_and_quiet_without_a_model() -> None:
    (f,) = fired(RETENTION, quiet(retention_probability=0.6, retention_reference=float("nan")))
    assert f.severity is Severity.HIGH
    assert fired(RETENTION, quiet(retention_probability=float("nan"))) == []
