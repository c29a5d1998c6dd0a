"""Referral figures checked by hand, "bring a friend" events, brochure approval, asking for referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from email import message_from_bytes
from email.policy import default

import pytest
from tests import factories as f
from tests.mail.conftest import FakeClock

from actdesk.domain.enums import LifeEventKind
from actdesk.domain.models import LifeEvent
from actdesk.services.engagement.brochures import (
    BrochureProblem,
    approve_brochure,
    decline_brochure,
    sync_library,
)
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.events import (
    EventProblem,
    add_guest,
    create_event,
    guest_attended,
    invite,
    record_attendance,
    record_rsvp,
)
from actdesk.services.engagement.followups import file_life_event
from actdesk.services.engagement.referrals import (
    ask_for_referrals,
    dashboard_data,
    likely_referrers,
    referral_stats,
    sync_outcomes,
)
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.outbox import send_due
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_events as events_repo
from actdesk.storage.repositories import engagement_referrals as refs
from actdesk.storage.repositories import mail as mail_repo
from actdesk.storage.tables.book import ActivityRow, HouseholdRow

AS_OF = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


def referral_book(book: Book) -> dict[str, int]:
    """Ann (Smith, client) referred Jones (client since 2025, $100,000, $1,000 fees) and Park (prospect);
    an accountant (no household) referred Lee (client, $50,000, $600 fees)."""
    ids: dict[str, int] = {}
    with book.session() as s:
        ids["smith"] = f.household(s, "Smith household", since=date(2012, 1, 1))
        ids["ann"] = f.contact(s, ids["smith"], "Ann", "Smith", email="ann@example.org")
        ids["jones"] = f.household(s, "Jones household", since=date(2025, 5, 1))
        f.contact(s, ids["jones"], "Cat", "Jones", email="cat@example.org")
        ids["park"] = f.household(s, "Park household", status="prospect", since=None)
        ids["lee"] = f.household(s, "Lee household", since=date(2025, 9, 1))
        f.contact(s, ids["lee"], "Dan", "Lee", email="dan@example.org")
        ids["cpa"] = f.contact(s, None, "Carla", "Numbers", email="carla@cpa.example")
        for hid, aum, fee in (
            (ids["jones"], 100_000, 1_000),
            (ids["lee"], 50_000, 600),
            (ids["smith"], 400_000, 4_000),
        ):
            acct = f.account(s, hid)
            f.balance(s, acct, date(2025, 3, 1), aum)
            f.balance(s, acct, date(2026, 2, 27), aum)
            f.fee(s, hid, date(2026, 1, 15), fee)
        f.referral(s, ids["ann"], ids["jones"], date(2025, 4, 10))
        f.referral(s, ids["ann"], ids["park"], date(2026, 1, 20))
        f.referral(s, ids["cpa"], ids["lee"], date(2025, 8, 1))
    return ids


def test_referral_figures_by_hand(book) -> None:
    ids = referral_book(book)
    rows = {r.contact_id: r for r in referral_stats(book, AS_OF)}
    ann, cpa = rows[ids["ann"]], rows[ids["cpa"]]
    assert (ann.kind, ann.referred, ann.converted, ann.aum, ann.revenue) == (
        "client",
        2,
        1,
        Decimal("100000.00"),
        Decimal("1000.00"),
    )
    assert (cpa.kind, cpa.referred, cpa.converted, cpa.aum, cpa.revenue) == (
        "center_of_influence",
        1,
        1,
        Decimal("50000.00"),
        Decimal("600.00"),
    )
    assert sync_outcomes(book, AS_OF) == 3
    with book.reader() as s:
        assert sorted(r.outcome for r in refs.list_referrals(s)) == ["client", "client", "prospect"]
    board = dashboard_data(book, AS_OF)
    assert board.conversion == pytest.approx(2 / 3)
    assert board.by_month == {
        ("center_of_influence", "2025-08"): 1,
        ("client", "2025-04"): 1,
        ("client", "2026-01"): 1,
    }
    kinds = {k.kind: k for k in board.kinds}
    assert (kinds["client"].referred, kinds["client"].converted, kinds["client"].aum) == (
        2,
        1,
        Decimal("100000.00"),
    )


def test_bring_a_friend_guest_becomes_a_prospect_referred_by_the_host(
    book, smtp_server, password, general
) -> None:
    ids = referral_book(book)
    cfg = smtp_server.settings()
    sender = Sender.from_settings(cfg, general)
    event = create_event(
        book, "Retirement income seminar", NOW + timedelta(days=14), location="Harbor Club", now=NOW
    )
    report = invite(book, event, [ids["smith"], ids["jones"]], sender, language="en", now=NOW, tz=UTC)
    assert (report.invited, report.queued) == (2, 2)
    assert invite(book, event, [ids["smith"]], sender, language="en", now=NOW, tz=UTC).already == 1
    assert send_due(book, cfg, clock=FakeClock(NOW)).sent == 2
    invitation = message_from_bytes(smtp_server.delivered[0].original_content, policy=default)
    assert invitation["Subject"] == "You are invited: Retirement income seminar"
    record_rsvp(book, event, ids["ann"], "yes")
    record_attendance(book, event, ids["ann"], NOW + timedelta(days=14))
    guest = add_guest(book, event, ids["ann"], "Gus", "Friend", "gus@example.net", NOW)
    with pytest.raises(EventProblem, match="was not invited"):
        add_guest(book, event, ids["cpa"], "No", "Body", None, NOW)
    prospect = guest_attended(book, guest, NOW + timedelta(days=14))
    assert guest_attended(book, guest, NOW + timedelta(days=14)) == prospect  # twice: still one prospect
    with book.reader() as s:
        hh = s.get(HouseholdRow, prospect)
        assert hh is not None and (hh.name, hh.status) == ("Friend household", "prospect")
        [referral] = [r for r in refs.list_referrals(s) if r.referred_household_id == prospect]
        assert (referral.referrer_contact_id, referral.outcome, referral.date) == (
            ids["ann"],
            "prospect",
            date(2026, 3, 15),
        )
        [ann_invite] = [i for i in events_repo.invitations(s, event) if i.contact_id == ids["ann"]]
        assert ann_invite.rsvp == "yes" and ann_invite.attended and ann_invite.mail_state == "sent"
        calendar = s.get(ActivityRow, ann_invite.activity_id)
        assert calendar is not None and calendar.kind == "event" and calendar.completed_at is not None
        [summary] = events_repo.list_events(s, event)
        assert (summary.invited, summary.yes, summary.attended, summary.guests, summary.guests_attended) == (
            2,
            1,
            1,
            1,
            1,
        )


def test_a_brochure_is_queued_only_once_the_advisor_approves(book, smtp_server, general, tmp_path) -> None:
    ids = referral_book(book)
    eng = EngagementSettings(brochures_folder=str(tmp_path / "brochures"))
    library = sync_library(book, eng)
    assert {b.title for b in library} >= {"Planning after an inheritance", "Planificar tras una herencia"}
    with book.session() as s:
        first = file_life_event(
            s,
            LifeEvent(ids["smith"], LifeEventKind.INHERITANCE, date(2026, 2, 10), ids["ann"]),
            now=NOW,
            today=AS_OF,
            cfg=eng,
        )
        second = file_life_event(
            s,
            LifeEvent(ids["smith"], LifeEventKind.DEATH, date(2026, 2, 9), ids["ann"]),
            now=NOW,
            today=AS_OF,
            cfg=eng,
        )
    with book.reader() as s:
        assert mail_repo.list_messages(s) == []  # nothing goes out on its own
        assert {p.life_event_id for p in repo.pending_brochures(s)} == {
            first.life_event_id,
            second.life_event_id,
        }
    cfg = smtp_server.settings()
    pk = approve_brochure(
        book, first.life_event_id, eng, Sender.from_settings(cfg, general), language="en", now=NOW, tz=UTC
    )
    assert decline_brochure(book, second.life_event_id, NOW)
    with pytest.raises(BrochureProblem, match="no brochure waiting"):
        approve_brochure(
            book, first.life_event_id, eng, Sender.from_settings(cfg, general), language="en", now=NOW, tz=UTC
        )
    with book.reader() as s:
        [queued] = mail_repo.list_messages(s)
        raw = mail_repo.get_raw(s, pk)
        assert repo.pending_brochures(s) == []
    assert queued.id == pk and queued.to == "ann@example.org"
    msg = message_from_bytes(raw, policy=default)
    assert msg["Subject"] == "A short guide for you: Planning after an inheritance"
    assert "<h1" in msg.get_body(("html",)).get_content()  # type: ignore[union-attr]


def test_ask_the_households_most_likely_to_refer(book, smtp_server, general) -> None:
    ids = referral_book(book)
    with book.session() as s:
        f.activity(
            s, ids["smith"], kind="review", start=NOW - timedelta(days=30), completed=NOW - timedelta(days=30)
        )
    eng = EngagementSettings()
    ranked = likely_referrers(book, AS_OF, eng)
    assert [r.household_id for r in ranked] == [ids["smith"], ids["jones"]]  # A then B; Lee is C
    assert ranked[0].reasons[:2] == ("segment A", "1 review(s) in the last year")
    assert "has referred 2 before" in ranked[0].reasons
    cfg = smtp_server.settings()
    report = ask_for_referrals(
        book, ranked, Sender.from_settings(cfg, general), language="en", now=NOW, tz=UTC
    )
    assert report.queued == 2 and sorted(report.households) == sorted([ids["smith"], ids["jones"]])
    again = ask_for_referrals(
        book, ranked, Sender.from_settings(cfg, general), language="en", now=NOW, tz=UTC
    )
    assert again.queued == 0 and again.households == []
    assert likely_referrers(book, AS_OF, eng) == []  # just asked: not again for 180 days
    with book.reader() as s:
        subjects = sorted(m.subject for m in mail_repo.list_messages(s))
    assert subjects == ["A small favour, Ann", "A small favour, Cat"]
