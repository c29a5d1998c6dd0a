"""The lifecycle as pure functions: no duplicates, no resurrection unless worse, resolution, snooze wake-up."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from actdesk.domain.alerts import WORSEN_STEPS, Alert, AlertState, Finding, RuleKey, Severity
from actdesk.domain.alerts.lifecycle import (
    ActionError,
    MergeResult,
    dismiss,
    mark_seen,
    merge_evaluation,
    snooze,
)

T0 = datetime(2026, 11, 30, 9, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def erosion(magnitude: float = 0.2, severity: Severity = Severity.HIGH, household: int = 7) -> Finding:
    return Finding(household, RuleKey.SILENT_EROSION, severity, f"outflows {magnitude:.0%}", magnitude)


def merge(
    findings: list[Finding], active: list[Alert], *, minutes: int = 15, today: date = TODAY
) -> MergeResult:
    result = merge_evaluation(
        findings, active, now=T0 + timedelta(minutes=minutes), today=today, worsen_steps=WORSEN_STEPS
    )
    for i, alert in enumerate(result.created, start=100):
        alert.id = i
    return result


def stored(findings: list[Finding]) -> list[Alert]:
    return merge(findings, [], minutes=0).created


def test_first_evaluation_creates_new_alerts() -> None:
    (alert,) = stored([erosion()])
    assert alert.state is AlertState.NEW and alert.key == "silent_erosion:7"


def test_re_evaluation_never_duplicates_an_open_alert() -> None:
    active = stored([erosion()])
    result = merge([erosion(0.21), erosion(0.21)], active)
    assert result.created == [] and result.updated == active
    assert active[0].magnitude == 0.21 and active[0].explanation == "outflows 21%"
    assert active[0].created_at == T0


def test_a_dismissed_alert_stays_dismissed_while_the_condition_is_no_worse() -> None:
    active = stored([erosion(0.2)])
    dismiss(active[0], "Moving money to buy a house", T0)
    result = merge([erosion(0.24)], active)
    assert active[0].state is AlertState.DISMISSED and result.fresh == []
    assert result.created == []


def test_a_dismissed_alert_comes_back_when_the_condition_gets_worse() -> None:
    active = stored([erosion(0.2, Severity.MEDIUM)])
    dismiss(active[0], "Moving money to buy a house", T0)
    result = merge([erosion(0.25, Severity.MEDIUM)], active)  # 5 more points of outflows
    assert active[0].state is AlertState.NEW and result.reopened == active
    assert active[0].dismissed_reason is None
    again = stored([erosion(0.2, Severity.MEDIUM)])
    dismiss(again[0], "known", T0)
    merge([erosion(0.2, Severity.HIGH)], again)  # same magnitude, severity rose
    assert again[0].state is AlertState.NEW


def test_a_cleared_condition_resolves_the_alert_and_a_recurrence_opens_a_fresh_one() -> None:
    active = stored([erosion()])
    result = merge([], active)
    assert active[0].state is AlertState.RESOLVED and active[0].resolved_at == T0 + timedelta(minutes=15)
    assert result.resolved == active
    later = merge([erosion()], [])
    assert len(later.created) == 1 and later.created[0].state is AlertState.NEW


def test_a_dismissed_alert_is_resolved_when_its_condition_clears() -> None:
    active = stored([erosion()])
    dismiss(active[0], "known", T0)
    merge([], active)
    assert active[0].state is AlertState.RESOLVED


def test_snoozed_alerts_come_back_on_their_date() -> None:
    active = stored([erosion()])
    snooze(active[0], date(2026, 12, 7), T0, TODAY)
    merge([erosion()], active, today=date(2026, 12, 6))
    assert active[0].state is AlertState.SNOOZED
    result = merge([erosion()], active, today=date(2026, 12, 7))
    assert active[0].state is AlertState.NEW and active[0].snoozed_until is None
    assert result.fresh == active


def test_seen_alerts_stay_seen_unless_worse() -> None:
    active = stored([erosion(0.2)])
    mark_seen(active[0], T0)
    merge([erosion(0.22)], active)
    merge([erosion(0.24)], active)  # creeping up, but less than one step above what the advisor saw
    assert active[0].state is AlertState.SEEN
    merge([erosion(0.26)], active)
    assert active[0].state is AlertState.NEW


def test_duplicates_left_in_storage_are_repaired() -> None:
    first, second = stored([erosion()]) + stored([erosion()])
    second.created_at = T0 + timedelta(minutes=1)
    result = merge([erosion()], [first, second])
    assert first.state is AlertState.RESOLVED and second.state is AlertState.NEW
    assert result.updated == [second]


def test_actions_refuse_bad_input() -> None:
    (alert,) = stored([erosion()])
    with pytest.raises(ActionError, match="Say why"):
        dismiss(alert, "   ", T0)
    with pytest.raises(ActionError, match="after today"):
        snooze(alert, TODAY, T0, TODAY)
    assert alert.state is AlertState.NEW
    merge([], [alert])
    with pytest.raises(ActionError, match="already resolved"):
        mark_seen(alert, T0)
