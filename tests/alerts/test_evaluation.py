"""The evaluation service on a real book: persisted lifecycle, one alert per household and rule, baselines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tests import factories as f

from actdesk.domain.alerts import AlertState, RuleKey
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.services.alerts.actions import dismiss_alert, snooze_alert
from actdesk.services.alerts.analytics_inputs import AnalyticsInputs
from actdesk.services.alerts.evaluation import evaluate_book
from actdesk.storage.repositories import alerts as repo

from .books import AS_OF, at, build

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def rules_of(outcome, household: int) -> set[str]:
    return {a.rule.value for a in outcome.alerts if a.household_id == household}


def test_evaluation_raises_the_expected_alerts_and_persists_them(book) -> None:
    ids = build(book)
    outcome = evaluate_book(book, AS_OF, NOW)
    assert rules_of(outcome, ids.garcia) == {
        "silent_erosion",
        "large_withdrawal",
        "contact_gap",
        "review_overdue",
        "revenue_decline",
        "relationship_gap",
        "life_event",
        "held_away_assets",
        "age_milestone",
    }
    assert rules_of(outcome, ids.quiet) == set()
    assert rules_of(outcome, ids.newcomer) == {"relationship_gap"}
    with book.reader() as s:
        stored = repo.list_alerts(s)
        assert repo.count_new(s) == len(stored) == len(outcome.alerts)
        assert repo.last_evaluation(s)["findings"] == len(outcome.findings)  # type: ignore[index]
    assert {a.household_name for a in stored} == {"Garcia household", "Newcomer household"}
    assert all(a.id is not None for a in outcome.alerts)


def test_re_evaluation_keeps_one_alert_per_household_and_rule(book) -> None:
    build(book)
    first = evaluate_book(book, AS_OF, NOW)
    second = evaluate_book(book, AS_OF, NOW + timedelta(minutes=15))
    assert second.merge.created == [] and second.merge.resolved == []
    assert second.merge.changed == []  # nothing but "last seen" to write
    with book.reader() as s:
        stored = repo.list_alerts(s, states=list(AlertState))
    assert len(stored) == len(first.alerts)
    assert len({a.key for a in stored}) == len(stored)
    assert {a.last_seen_at for a in stored} == {NOW + timedelta(minutes=15)}
    assert {a.created_at for a in stored} == {NOW}


def test_dismissed_stays_dismissed_and_cleared_condition_resolves(book) -> None:
    ids = build(book)
    outcome = evaluate_book(book, AS_OF, NOW)
    by_rule = {a.rule: a for a in outcome.alerts if a.household_id == ids.garcia}
    dismiss_alert(book, by_rule[RuleKey.HELD_AWAY_ASSETS].id, "The 401(k) stays at the employer", NOW)  # type: ignore[arg-type]
    snooze_alert(book, by_rule[RuleKey.AGE_MILESTONE].id, date(2026, 12, 5), NOW, AS_OF)  # type: ignore[arg-type]
    with book.session() as s:  # the advisor calls Maria: the contact gap clears
        f.activity(
            s, ids.garcia, "call", start=at(date(2026, 11, 30), 9), completed=at(date(2026, 11, 30), 10)
        )
    later = evaluate_book(book, AS_OF, NOW + timedelta(hours=1))
    states = {a.rule: a.state for a in later.alerts if a.household_id == ids.garcia}
    assert states[RuleKey.HELD_AWAY_ASSETS] is AlertState.DISMISSED
    assert states[RuleKey.AGE_MILESTONE] is AlertState.SNOOZED
    assert RuleKey.CONTACT_GAP not in states
    with book.reader() as s:
        gap = repo.get_alert(s, by_rule[RuleKey.CONTACT_GAP].id)  # type: ignore[arg-type]
    assert gap.state is AlertState.RESOLVED and gap.resolved_at is not None
    woken = evaluate_book(book, date(2026, 12, 5), NOW + timedelta(days=5))
    assert {a.rule: a.state for a in woken.alerts if a.household_id == ids.garcia}[
        RuleKey.AGE_MILESTONE
    ] is AlertState.NEW


def _inputs(hid: int, p: float) -> AnalyticsInputs:
    return AnalyticsInputs(probabilities={hid: RetentionProbability(hid, p, ["contact gap of 90 days"])})


def test_a_fall_in_retention_probability_is_remembered_until_it_recovers(book) -> None:
    ids = build(book)

    def retention(p: float, minutes: int) -> list:  # type: ignore[type-arg]
        out = evaluate_book(book, AS_OF, NOW + timedelta(minutes=minutes), inputs=_inputs(ids.quiet, p))
        return [a for a in out.alerts if a.rule is RuleKey.LOW_RETENTION_PROBABILITY]

    assert retention(0.97, 0) == []
    (fell,) = retention(0.87, 15)
    assert fell.reference == 0.97 and "fell from 97% to 87%" in fell.explanation
    (still,) = retention(0.87, 30)  # the next run compares with the kept baseline, not with 87%
    assert still.id == fell.id and "fell from 97% to 87%" in still.explanation
    assert retention(0.95, 45) == []
    with book.reader() as s:
        assert repo.retention_snapshots(s) == {ids.quiet: 0.95}


def test_dry_run_writes_nothing(book) -> None:
    build(book)
    outcome = evaluate_book(book, AS_OF, NOW, persist=False)
    assert outcome.alerts and all(a.id is None for a in outcome.alerts)
    with book.reader() as s:
        assert repo.list_alerts(s) == [] and repo.last_evaluation(s) is None


def test_segments_match_the_analytics(book) -> None:
    from actdesk.domain.alerts import AlertSettings
    from actdesk.domain.alerts.segments import segments_from_facts
    from actdesk.services.analytics import segments_for
    from actdesk.storage.repositories.alert_facts import load_household_facts

    build(book)
    with book.session() as s:  # a few more clients so that all three segments are used
        for i in range(7):
            hid = f.household(s, f"Extra {i}", since=date(2020, 1, 1))
            f.fee(s, hid, date(2026, 3, 1), 1_000 * (i % 3))
    with book.reader() as s:
        households = load_household_facts(s, AS_OF, AlertSettings())
    ours = segments_from_facts(households)
    assert set(ours.values()) == {"A", "B", "C"}
    assert ours == segments_for(book, AS_OF)
