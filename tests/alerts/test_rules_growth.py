"""Growth signals: life events, held-away assets, age milestones."""

from __future__ import annotations

from datetime import date

from actdesk.domain.alerts import LifeEventFacts, MemberFacts, RuleKey, Severity

from .quiet import fired, quiet

EVENT = RuleKey.LIFE_EVENT


def test_life_event_in_the_window_fires_with_a_next_step() -> None:
    (f,) = fired(
        EVENT, quiet(life_events=(LifeEventFacts("inheritance", date(2026, 10, 1), "Maria Garcia"),))
    )
    assert f.severity is Severity.HIGH
    assert (
        f.explanation
        == "Inheritance (Maria Garcia) on Oct 1, 2026. Next step: discuss investing the inherited assets."
    )
    assert f.magnitude == date(2026, 10, 1).toordinal()


def test_life_event_quiet_just_outside_the_window() -> None:
    assert fired(EVENT, quiet(life_events=(LifeEventFacts("marriage", date(2026, 10, 1)),)))
    assert (
        fired(EVENT, quiet(life_events=(LifeEventFacts("marriage", date(2026, 9, 30)),))) == []
    )  # 61 days ago
    assert fired(
        EVENT, quiet(life_events=(LifeEventFacts("retirement", date(2027, 2, 28)),))
    )  # 90 days ahead
    assert fired(EVENT, quiet(life_events=(LifeEventFacts("retirement", date(2027, 3, 1)),))) == []


def test_several_life_events_most_pressing_first() -> None:
    (f,) = fired(
        EVENT,
        quiet(
            life_events=(
                LifeEventFacts("move", date(2026, 11, 20)),
                LifeEventFacts("retirement", date(2027, 1, 31), "Luis Garcia"),
            )
        ),
    )
    assert f.severity is Severity.MEDIUM
    assert f.explanation == (
        "Retirement (Luis Garcia) on Jan 31, 2027; Move on Nov 20, 2026. "
        "Next step: discuss rolling over the 401(k) and the income plan."
    )


HELD = RuleKey.HELD_AWAY_ASSETS


def test_held_away_assets_half_of_aum_fires() -> None:
    (f,) = fired(HELD, quiet(aum=400_000, held_away=200_000))
    assert f.severity is Severity.LOW
    assert f.explanation == "Held-away assets of $200,000 are 0.5× the $400,000 managed here."
    assert fired(HELD, quiet(aum=400_000, held_away=199_999)) == []
    assert fired(HELD, quiet(aum=100_000, held_away=99_999)) == []  # below the minimum amount


def test_held_away_assets_with_nothing_managed() -> None:
    (f,) = fired(HELD, quiet(aum=0, held_away=250_000))
    assert f.severity is Severity.MEDIUM
    assert f.explanation == "Held-away assets of $250,000, and nothing managed here yet."


MILESTONE = RuleKey.AGE_MILESTONE


def test_turning_seventy_three_within_ninety_days() -> None:
    (f,) = fired(MILESTONE, quiet(members=(MemberFacts("Maria Garcia", date(1954, 2, 28)),)))
    assert f.severity is Severity.MEDIUM
    assert (
        f.explanation
        == "Maria Garcia turns 73 on Feb 28, 2027, in 90 days: required minimum distributions begin."
    )
    assert fired(MILESTONE, quiet(members=(MemberFacts("Maria Garcia", date(1954, 3, 1)),))) == []
    assert (
        fired(MILESTONE, quiet(members=(MemberFacts("Maria Garcia", date(1953, 11, 30)),))) == []
    )  # today: passed


def test_fifty_nine_and_a_half_and_sixty_five() -> None:
    (f,) = fired(
        MILESTONE,
        quiet(
            members=(
                MemberFacts("Luis Garcia", date(1967, 6, 15)),
                MemberFacts("Ana Garcia", date(1962, 1, 10)),
                MemberFacts("X", None),
            )
        ),
    )
    assert f.severity is Severity.LOW
    assert f.explanation == (
        "Luis Garcia turns 59½ on Dec 15, 2026, in 15 days: withdrawals from IRAs and 401(k)s become penalty-free; "
        "Ana Garcia turns 65 on Jan 10, 2027, in 41 days: Medicare enrollment opens."
    )
