"""Service rules: contact cadence per segment and the semi-annual review."""

from __future__ import annotations

from datetime import date, timedelta

from actdesk.domain.alerts import RuleKey, Severity

from .quiet import AS_OF, fired, quiet

GAP = RuleKey.CONTACT_GAP


def test_contact_gap_fires_after_the_segment_cadence() -> None:
    for segment, days in (("A", 30), ("B", 90), ("C", 180)):
        (f,) = fired(GAP, quiet(segment=segment, last_contact=AS_OF - timedelta(days=days + 1)))
        assert f.severity is Severity.MEDIUM
        assert fired(GAP, quiet(segment=segment, last_contact=AS_OF - timedelta(days=days))) == []


def test_contact_gap_explanation() -> None:
    (f,) = fired(GAP, quiet(segment="A", last_contact=date(2026, 10, 1)))
    assert f.explanation == (
        "No completed contact for 60 days (last on Oct 1, 2026); segment A households are contacted every 30 days."
    )
    assert f.severity is Severity.HIGH  # two full cadences
    assert f.magnitude == 2.0


def test_contact_gap_counts_from_client_since_when_never_contacted() -> None:
    (f,) = fired(GAP, quiet(segment="C", last_contact=None, client_since=date(2026, 5, 1)))
    assert f.explanation == (
        "No completed contact since becoming a client 213 days ago; segment C households are contacted every 180 days."
    )


REVIEW = RuleKey.REVIEW_OVERDUE


def test_review_overdue_after_six_months() -> None:
    (f,) = fired(REVIEW, quiet(last_review=date(2026, 5, 29)))
    assert f.explanation == (
        "Review overdue by 1 day: reviews are due every 6 months and the last one was on May 29, 2026."
    )
    assert f.severity is Severity.MEDIUM
    assert fired(REVIEW, quiet(last_review=date(2026, 5, 30))) == []


def test_review_overdue_without_any_review_and_softened_when_one_is_booked() -> None:
    (f,) = fired(
        REVIEW, quiet(last_review=None, client_since=date(2025, 1, 15), next_review=date(2026, 12, 8))
    )
    assert f.explanation == (
        "Review overdue by 503 days: no review held since becoming a client; the first was due on Jul 15, 2025. "
        "A review is scheduled for Dec 8, 2026."
    )
    assert f.severity is Severity.LOW
    (g,) = fired(REVIEW, quiet(last_review=None, client_since=date(2025, 1, 15)))
    assert g.severity is Severity.HIGH  # no review for a whole year past due
