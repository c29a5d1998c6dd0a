"""Coaching, snapshot and client-page numbers counted by hand on small books; the what-if against the domain."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import update as sql_update
from tests import factories as f

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.valuation import npv
from actdesk.services.dashboard.book import what_if
from actdesk.services.dashboard.client import gather_client
from actdesk.services.dashboard.coaching import CoachingSettings, gather_coaching
from actdesk.services.dashboard.snapshot import OVERDUE_KEPT, gather_snapshot
from actdesk.storage.tables.alerts import AlertRow
from actdesk.storage.tables.book import ActivityRow, HouseholdRow, OpportunityRow
from actdesk.storage.tables.mail import MailMessageRow

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)  # a Wednesday; the week began on Monday 23 November


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


def test_coaching_counts_completed_activities_per_week_and_new_households_per_quarter(book) -> None:
    with book.session() as s:
        h = f.household(s, "Smith household", since=date(2026, 10, 5))  # new this quarter
        f.household(s, "Lopez family", since=date(2026, 8, 1))  # new last quarter
        f.household(s, "Young household", since=date(2015, 1, 1))
        f.household(s, "Prospect household", status="prospect", since=None)
        f.activity(s, h, "call", at(23), completed=at(23))
        f.activity(s, h, "call", at(24), completed=at(24), outcome="Asked for a Referral to her brother")
        f.activity(s, h, "call", at(17), completed=at(17))  # last week
        f.activity(s, h, "call", at(25), completed=None)  # not done: does not count
        f.activity(s, h, "call", at(27), completed=at(27))  # completed in the future (bad clock): ignored
        f.activity(s, h, "meeting", at(24), completed=at(24))
        f.activity(s, h, "review", at(10), completed=at(10))  # two weeks ago
        f.activity(s, h, "email", at(24), completed=at(24), subject="Referral thank-you")
    settings = CoachingSettings(calls_per_week=3)
    with book.reader() as s:
        coaching = gather_coaching(s, NOW, UTC, settings)
    m = {x.key: x for x in coaching.metrics}
    assert coaching.week_start == date(2026, 11, 23) and coaching.quarter_start == date(2026, 10, 1)
    assert m["calls"].actual == 2 and m["calls"].target == 3
    assert m["calls"].trend[-2] == (date(2026, 11, 16), 1)
    assert len(m["calls"].trend) == 12
    assert m["meetings"].actual == 1
    assert m["reviews"].actual == 0 and dict(m["reviews"].trend)[date(2026, 11, 9)] == 1
    assert m["referrals_asked"].actual == 2  # the call's outcome and the e-mail's subject
    assert m["new_households"].trend[-2:] == [(date(2026, 7, 1), 1), (date(2026, 10, 1), 1)]
    assert m["calls"].progress == 2 / 3
    assert m["calls"].average == 1 / 11


def _alert(s, household: int, created: datetime) -> None:
    s.add(
        AlertRow(
            household_id=household,
            rule="contact_gap",
            key=f"contact_gap:{household}:{created.day}",
            severity="high",
            state="new",
            explanation="No contact in 200 days",
            magnitude=200.0,
            created_at=created,
            updated_at=created,
            last_seen_at=created,
        )
    )


def _mail(s, n: int, state: str, when: datetime) -> None:
    s.add(
        MailMessageRow(
            message_id=f"<m{n}@x>",
            state=state,
            to_addr=f"c{n}@example.com",
            from_addr="me@example.com",
            subject=f"Message {n}",
            raw=b"x",
            scheduled_for=when,
            sent_at=when if state == "sent" else None,
            last_attempt_at=when,
            created_at=when,
        )
    )


def test_snapshot_counts_what_changed_since_yesterday(book) -> None:
    with book.session() as s:
        smith = f.household(s, "Smith household")
        lopez = f.household(s, "Lopez family")
        _alert(s, smith, NOW - timedelta(hours=2))
        _alert(s, lopez, NOW - timedelta(days=3))
        f.activity(s, smith, "meeting", at(25, hour=18), subject="Review meeting")  # due later today
        f.activity(s, lopez, "call", at(24, hour=9), subject="Missed call")  # overdue
        f.activity(s, lopez, "call", at(24, hour=11), completed=at(24, hour=11))  # done
        s.add(ActivityRow(household_id=smith, kind="task", subject="Send forms", due_date=date(2026, 11, 25)))
        _mail(s, 1, "sent", NOW - timedelta(hours=2))
        _mail(s, 2, "sent", NOW - timedelta(days=3))
        _mail(s, 3, "failed", NOW - timedelta(hours=1))
        s.add(
            OpportunityRow(
                household_id=lopez,
                kind="rollover",
                stage="proposal",
                stage_changed_at=NOW - timedelta(hours=1),
            )
        )
        s.add(
            OpportunityRow(
                household_id=smith, kind="new_money", stage="won", stage_changed_at=NOW - timedelta(days=5)
            )
        )
    with book.reader() as s:
        snap = gather_snapshot(s, NOW, UTC)
    assert [(a.household, a.rule) for a in snap.new_alerts] == [("Smith household", "contact_gap")]
    assert sorted(o.subject for o in snap.due_today) == ["Review meeting", "Send forms"]
    assert [o.subject for o in snap.overdue] == ["Missed call"]
    assert snap.sent == 1
    assert [m.to for m in snap.failed] == ["c3@example.com"]
    assert [(m.household, m.stage) for m in snap.pipeline_moves] == [("Lopez family", "proposal")]
    assert snap.names[lopez] == "Lopez family" and not snap.quiet


def test_snapshot_lists_the_most_recent_alerts_and_overdue_and_counts_them_all(book) -> None:
    """A large book has tens of thousands of overdue items: the snapshot counts them all and lists the most
    recent, for the whole practice or for one owner's households; today's items are due, not overdue."""
    with book.session() as s:
        mine = f.household(s, "Smith household")
        theirs = f.household(s, "Lopez family")
        s.execute(sql_update(HouseholdRow).where(HouseholdRow.id == mine).values(owner="ana"))
        s.execute(sql_update(HouseholdRow).where(HouseholdRow.id == theirs).values(owner="ben"))
        for day in range(1, 61):  # 60 missed calls, one a day before today
            when = NOW - timedelta(days=day)
            f.activity(s, mine if day % 2 else theirs, "call", when, subject=f"Missed call {day}")
        s.add(ActivityRow(household_id=mine, kind="task", subject="Old form", due_date=date(2026, 9, 1)))
        f.activity(s, mine, "call", at(25, hour=1), subject="Early call today")
        _alert(s, mine, NOW - timedelta(hours=3))
        _alert(s, theirs, NOW - timedelta(hours=1))
    with book.reader() as s:
        everyone = gather_snapshot(s, NOW, UTC)
        ana = gather_snapshot(s, NOW, UTC, owners=frozenset({"ana"}))
    assert everyone.overdue_total == 61 and len(everyone.overdue) == OVERDUE_KEPT
    assert everyone.overdue[-1].subject == "Missed call 1"  # oldest first: the most recent is last
    assert "Early call today" not in {o.subject for o in everyone.overdue}
    assert "Early call today" in {o.subject for o in everyone.due_today}
    assert ana.overdue_total == 31 and {o.household_id for o in ana.overdue} == {mine}
    assert everyone.new_alerts_total == 2 and [a.household_id for a in everyone.new_alerts] == [theirs, mine]
    assert ana.new_alerts_total == 1 and [a.household_id for a in ana.new_alerts] == [mine]


def test_snapshot_of_an_empty_book_is_quiet(book) -> None:
    with book.reader() as s:
        snap = gather_snapshot(s, NOW, UTC)
    assert snap.quiet and snap.sent == 0


def test_client_page_reads_that_household_only(book) -> None:
    with book.session() as s:
        smith = f.household(s, "Smith household", since=date(2020, 1, 1))
        f.contact(s, smith, "Ann", "Smith", net_worth="2000000")
        ira = f.account(s, smith, "ira")
        away = f.account(s, smith, "401k", managed=False)
        f.balance(s, ira, date(2026, 9, 30), "900000")
        f.balance(s, ira, date(2026, 10, 31), "1000000")
        f.balance(s, away, date(2026, 10, 31), "250000")
        f.fee(s, smith, date(2026, 10, 1), "2500")
        f.fee(s, smith, date(2026, 7, 1), "2400")
        f.fee(s, smith, date(2026, 8, 15), "500", recurring=False)
        f.activity(s, smith, "review", at(10), completed=at(10), subject="Annual review")
        f.activity(s, smith, "review", datetime(2027, 2, 10, 15, tzinfo=UTC), subject="Next annual review")
        other = f.household(s, "Lopez family")
        f.fee(s, other, date(2026, 10, 1), "9999")
    data = gather_client(book, smith, date(2026, 11, 20), NOW, UTC, AnalyticsConfig())
    assert data.managed == Decimal("1000000.00")
    assert data.share_of_wallet == 0.5
    assert data.revenue["recurring"].sum() == 4900.0 and data.revenue["one_off"].sum() == 500.0
    oct_row = data.balances[(data.balances["date"] == date(2026, 10, 20))]
    assert sorted(oct_row["balance"]) == [900000.0]  # the IRA's latest balance on 20 October
    assert [a.subject for a in data.contacts] == ["Annual review"]
    assert data.next_review is not None and data.next_review.subject == "Next annual review"


def test_what_if_is_the_domain_valuation() -> None:
    config = AnalyticsConfig()
    kpis = {
        # the fees of households that already left (here 20,000) are not part of the run rate valued
        "revenue": {"recurring_t12m": Decimal("120000.00"), "one_off_t12m": Decimal("5000.00")},
        "book_value": {
            "npv": npv(Decimal("100000.00"), 0.95, config),
            "recurring_run_rate": Decimal("100000.00"),
        },
    }
    same = what_if(kpis, config, 0.95, config.discount_rate)
    assert same.npv_change == Decimal("0.00")
    other = what_if(kpis, config, 0.9, 0.1)
    assert other.npv == npv(Decimal("100000.00"), 0.9, replace(config, discount_rate=0.1))
    assert other.multiple == Decimal("235000.00")
