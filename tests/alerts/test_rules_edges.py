"""Edges the plain-Python rules treat as the pandas ones did (issue 21): no known AUM before an outflow, a
birthday clamped to the month's end, nothing managed here, unknown revenue in the segment ranking."""

from __future__ import annotations

import math
from datetime import date

from actdesk.domain.alerts import MemberFacts, OutflowFacts, RuleKey, Severity
from actdesk.domain.alerts.segments import segments_from_facts

from .quiet import fired, quiet


def test_an_outflow_with_no_known_aum_before_it_is_all_of_it() -> None:
    (f,) = fired(RuleKey.LARGE_WITHDRAWAL, quiet(outflows=(OutflowFacts(date(2026, 11, 2), 50_000.0, 0.0),)))
    assert (f.severity, f.magnitude) == (Severity.HIGH, 1.0)
    assert f.explanation == (
        "A $50,000 outflow on Nov 2, 2026 took 100% of the household's $50,000 of managed assets."
    )
    empty = quiet(outflows=(OutflowFacts(date(2026, 11, 2), 0.0, 0.0),))  # 0 of 0: no share, no alert
    assert fired(RuleKey.LARGE_WITHDRAWAL, empty) == []


def test_milestones_on_the_same_day_in_the_milestones_order_and_clamped_to_the_month() -> None:
    ben = MemberFacts("Ben Ito", date(1962, 2, 28))  # 65 on 28 Feb 2027
    ana = MemberFacts("Ana Ito", date(1967, 8, 31))  # 59½ on "31 Feb" 2027: the 28th, the window's last day
    (f,) = fired(RuleKey.AGE_MILESTONE, quiet(members=(ben, ana)))
    assert f.explanation == (
        "Ana Ito turns 59½ on Feb 28, 2027, in 90 days: withdrawals from IRAs and 401(k)s become "
        "penalty-free; Ben Ito turns 65 on Feb 28, 2027, in 90 days: Medicare enrollment opens."
    )
    assert (f.severity, f.magnitude) == (Severity.LOW, date(2027, 2, 28).toordinal())


def test_held_away_assets_with_nothing_managed_here() -> None:
    (f,) = fired(RuleKey.HELD_AWAY_ASSETS, quiet(aum=0.0, held_away=200_000.0))
    assert f.explanation == "Held-away assets of $200,000, and nothing managed here yet."
    assert (f.severity, f.magnitude) == (Severity.MEDIUM, 100.0)


def test_segments_rank_revenue_then_aum_then_id_and_unknown_revenue_last() -> None:
    households = [
        quiet(household_id=1, revenue_t12m=10.0, aum=1.0),
        quiet(household_id=2, revenue_t12m=10.0, aum=2.0),
        quiet(household_id=3, revenue_t12m=math.nan, aum=9.0),
        quiet(household_id=4, revenue_t12m=5.0, aum=0.0),
    ]
    assert segments_from_facts(households) == {2: "A", 1: "B", 4: "C", 3: "C"}
