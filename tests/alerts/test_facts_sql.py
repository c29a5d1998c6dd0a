"""The facts builder's SQL against a hand-built book: every number the rules read."""

from __future__ import annotations

from datetime import date

from actdesk.domain.alerts import AlertSettings
from actdesk.storage.repositories.alert_facts import load_household_facts

from .books import AS_OF, build


def test_household_facts_from_sql(book) -> None:
    ids = build(book)
    with book.reader() as s:
        h = {x.household_id: x for x in load_household_facts(s, AS_OF, AlertSettings())}
    assert sorted(h) == sorted([ids.garcia, ids.quiet, ids.newcomer])  # the former client is out
    g = h[ids.garcia]
    assert (g.aum, g.aum_past, g.held_away) == (780_000, 1_000_000, 600_000)
    assert g.net_flows_past == -204_000  # flows on managed accounts since 31 May, fees included
    assert g.net_worth == 2_000_000
    assert g.share_of_wallet == 0.39 and g.share_of_wallet_past == 0.55
    assert (g.revenue_t12m, g.revenue_prev_t12m) == (7_000, 10_000)
    assert g.last_contact == date(2026, 9, 1)  # the completed task does not count as contact
    assert g.last_review == date(2026, 2, 1)
    assert g.next_review == date(2026, 12, 8)
    assert g.spouse_on_file and g.married and not g.heirs_recorded and g.spouse_name == "Luis Garcia"
    assert g.spouse_unseen  # Maria was in two completed activities in 24 months, Luis in none
    n = h[ids.newcomer]
    assert n.married and not n.spouse_on_file
    assert n.meetings_as_client == 1
    assert h[ids.quiet].meetings_as_client == 2
    outflows = [(hid, o) for hid, x in h.items() for o in x.outflows]
    (out,) = outflows  # the fee is not an outflow; July is outside 90 days
    assert (out[0], out[1].amount, out[1].aum_before, out[1].account) == (
        ids.garcia,
        150_000,
        900_000,
        "IRA at Schwab",
    )
    assert {m.name for x in h.values() for m in x.members} == {
        "Maria Garcia",
        "Luis Garcia",
        "Ann Lee",
        "Pat Kim",
    }
    (event,) = [e for x in h.values() for e in x.life_events]
    assert (event.kind, event.member) == ("inheritance", "Maria Garcia")


def test_old_history_is_found_beyond_the_recent_window(book) -> None:
    from tests import factories as f

    from .books import at

    with book.session() as s:
        hid = f.household(s, "Old friends", since=date(2012, 1, 1))
        f.activity(s, hid, "review", start=at(date(2019, 3, 4)), completed=at(date(2019, 3, 4), 16))
        f.activity(s, hid, "call", start=at(date(2021, 5, 6)), completed=at(date(2021, 5, 6), 16))
        f.activity(s, hid, "call", start=at(date(2026, 2, 1)), completed=at(date(2026, 2, 1), 16))
    with book.reader() as s:
        (old,) = [x for x in load_household_facts(s, AS_OF, AlertSettings()) if x.household_id == hid]
    assert old.last_contact == date(2026, 2, 1)
    assert old.last_review == date(2019, 3, 4)  # older than the recent window
