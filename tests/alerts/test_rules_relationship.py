"""Relationship gaps: one spouse known, heirs missing above an AUM, no second meeting in the first year."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from actdesk.domain.alerts import RuleKey, Severity

from .quiet import SETTINGS, fired, quiet

GAP = RuleKey.RELATIONSHIP_GAP


def test_married_household_without_a_spouse_on_file() -> None:
    (f,) = fired(GAP, quiet(married=True, spouse_on_file=False))
    assert (
        f.explanation == "Relationship gap: only one spouse is known: the spouse or partner is not on file."
    )
    assert f.severity is Severity.MEDIUM
    assert fired(GAP, quiet(married=True, spouse_on_file=True)) == []
    assert fired(GAP, quiet(married=False, spouse_on_file=False)) == []


def test_spouse_on_file_but_never_met() -> None:
    (f,) = fired(GAP, quiet(married=True, spouse_on_file=True, spouse_unseen=True, spouse_name="Luis Garcia"))
    assert f.explanation == (
        "Relationship gap: only one spouse is known: Luis Garcia has not been in a meeting or call for 24 months."
    )


def test_heirs_missing_from_the_configured_aum() -> None:
    (f,) = fired(GAP, quiet(aum=1_000_000, heirs_recorded=False))
    assert f.explanation == "Relationship gap: no heirs recorded for $1,000,000 of managed assets."
    assert fired(GAP, quiet(aum=999_999, heirs_recorded=False)) == []
    assert fired(GAP, quiet(aum=2_000_000, heirs_recorded=True)) == []
    assert fired(
        GAP, quiet(aum=600_000, heirs_recorded=False), settings=replace(SETTINGS, heirs_min_aum=500_000)
    )


def test_first_year_client_without_a_second_meeting() -> None:
    (f,) = fired(GAP, quiet(client_since=date(2026, 9, 1), meetings_as_client=1))
    assert f.explanation == "Relationship gap: a client for 90 days with only 1 meeting so far."
    assert fired(GAP, quiet(client_since=date(2026, 9, 1), meetings_as_client=2)) == []
    assert (
        fired(GAP, quiet(client_since=date(2026, 9, 2), meetings_as_client=0)) == []
    )  # 89 days: still onboarding
    assert (
        fired(GAP, quiet(client_since=date(2025, 11, 30), meetings_as_client=0)) == []
    )  # past the first year


def test_several_gaps_make_one_alert_of_higher_severity() -> None:
    (f,) = fired(
        GAP,
        quiet(
            married=True,
            aum=1_500_000,
            heirs_recorded=False,
            client_since=date(2026, 6, 1),
            meetings_as_client=0,
        ),
    )
    assert f.severity is Severity.HIGH
    assert f.magnitude == 3.0
    assert f.explanation == (
        "Relationship gaps: only one spouse is known: the spouse or partner is not on file; no heirs recorded for "
        "$1,500,000 of managed assets; a client for 182 days without a meeting yet."
    )
