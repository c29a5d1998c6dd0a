"""Automations queue each occasion once; audience filters select and skip as documented."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tests import factories as f
from tests.mail.helpers import sender, small_book

from actdesk.services.mail.automations import (
    queue_occasions,
    review_occasions,
    run_automations,
)
from actdesk.services.mail.campaigns import AudienceError, count_audience, parse_audience
from actdesk.storage.repositories import mail as repo
from actdesk.storage.repositories.mail_audience import load_recipients

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def automation_rows(book) -> list[tuple[str, str, datetime]]:
    with book.reader() as s:
        return sorted((m.to, m.subject, m.scheduled_for) for m in repo.list_messages(s, states=["queued"]))


def test_automations_are_idempotent_and_cover_each_rule(book, smtp_server, general) -> None:
    ids = small_book(book)  # Ann's birthday is 2 March
    with book.session() as s:
        f.activity(
            s, ids["smith"], kind="review", start=NOW + timedelta(days=10), subject="Semi-annual review"
        )
        f.activity(s, ids["smith"], kind="review", start=NOW + timedelta(days=60), subject="Too far ahead")
        kim = f.household(s, "Kim household", since=date(2020, 3, 5))
        f.contact(s, kim, "Kim", "Ro", email="kim@example.org")
    cfg = smtp_server.settings()
    first = run_automations(book, cfg, sender(cfg, general), now=NOW, tz=UTC)
    assert dict(first.queued) == {"birthday": 1, "review": 2, "anniversary": 1}
    rows = automation_rows(book)
    assert ("ann@example.org", "Happy birthday, Ann!", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) in rows
    review = [r for r in rows if r[1].startswith("Your review")]
    assert {r[0] for r in review} == {"ann@example.org", "bob@example.org"}
    assert all(r[2] == NOW for r in review)  # less than 14 days ahead: the note goes now
    assert any(r[0] == "kim@example.org" and r[1].startswith("6 years together") for r in rows)

    again = run_automations(book, cfg, sender(cfg, general), now=NOW + timedelta(hours=3), tz=UTC)
    assert sum(again.queued.values()) == 0 and again.already == 4
    assert automation_rows(book) == rows


def test_review_reminder_days_before_and_rescheduling(book, smtp_server, general) -> None:
    ids = small_book(book)
    with book.session() as s:
        act = f.activity(s, ids["smith"], kind="review", start=datetime(2026, 3, 25, 15, tzinfo=UTC))
    cfg = smtp_server.settings(birthday_enabled=False, anniversary_enabled=False)
    run_automations(book, cfg, sender(cfg, general), now=NOW, tz=UTC)
    assert {r[2] for r in automation_rows(book)} == {datetime(2026, 3, 11, 15, tzinfo=UTC)}

    from actdesk.storage.tables.book import ActivityRow

    with book.session() as s:
        s.get(ActivityRow, act).start = datetime(2026, 3, 30, 15, tzinfo=UTC)
    run_automations(book, cfg, sender(cfg, general), now=NOW + timedelta(days=1), tz=UTC)
    assert {r[2] for r in automation_rows(book)} == {datetime(2026, 3, 16, 15, tzinfo=UTC)}
    with book.reader() as s:
        assert len(repo.list_messages(s, states=["cancelled"])) == 2


def test_a_questionnaire_rule_reuses_the_review_machinery(book, smtp_server, general) -> None:
    """How the life-events questionnaire plugs in: its own rule name and template, the same occasions."""
    ids = small_book(book)
    with book.session() as s:
        f.activity(s, ids["smith"], kind="review", start=NOW + timedelta(days=20))
    cfg = smtp_server.settings()
    from actdesk.services.mail.templates import parse_template_text

    questionnaire = parse_template_text(
        "Subject: Before our review on {{ review.date }}\nKind: service\n\n1. Any births?\n", "questionnaire"
    )
    with book.reader() as s:
        occ = review_occasions(
            s,
            load_recipients(s, NOW),
            NOW,
            UTC,
            days_before=21,
            rule="questionnaire",
            template="questionnaire",
        )
    report = queue_occasions(
        book,
        occ,
        sender(cfg, general),
        now=NOW,
        tz=UTC,
        language="en",
        templates=lambda name, lang: questionnaire,
    )
    assert report.queued == {"questionnaire": 2}
    assert (
        queue_occasions(
            book,
            occ,
            sender(cfg, general),
            now=NOW,
            tz=UTC,
            language="en",
            templates=lambda name, lang: questionnaire,
        ).already
        == 2
    )
    assert {r[1] for r in automation_rows(book)} == {"Before our review on Mar 22, 2026"}


def test_automations_honour_do_not_email_and_opt_out(book, smtp_server, general) -> None:
    ids = small_book(book)
    with book.session() as s:
        f.activity(s, ids["jones"], kind="review", start=NOW + timedelta(days=3))
        f.activity(s, ids["lee"], kind="review", start=NOW + timedelta(days=3))
    cfg = smtp_server.settings()
    report = run_automations(book, cfg, sender(cfg, general), now=NOW, tz=UTC)
    assert report.skipped == {"do_not_email": 1, "opted_out": 1, "no_email": 1}
    assert all(r[0] not in ("cat@example.org", "dan@example.org") for r in automation_rows(book))


def test_audience_filters(book) -> None:
    small_book(book)
    with book.session() as s:
        s.add_all([])
        from actdesk.storage.tables.book import HouseholdTagRow

        smith = f.household(s, "Golf household")
        f.contact(s, smith, "Gil", "Golf", email="gil@example.org", birth=date(1960, 6, 1))
        s.add(HouseholdTagRow(household_id=smith, tag="golf"))
    assert len(count_audience(book, "status=client", NOW).recipients) == 3
    assert [r.contact.first_name for r in count_audience(book, "tag=golf", NOW).recipients] == ["Gil"]
    assert [r.contact.first_name for r in count_audience(book, "age=60-70", NOW).recipients] == ["Ann", "Gil"]
    assert [r.contact.first_name for r in count_audience(book, "status=prospect", NOW).recipients] == ["Fay"]
    assert len(count_audience(book, "status=client|prospect,role=spouse", NOW).recipients) == 1
    plan = count_audience(book, "", NOW)
    assert dict(plan.skipped) == {"do_not_email": 1, "no_email": 1, "opted_out": 1}


def test_shared_address_gets_one_message(book) -> None:
    with book.session() as s:
        hh = f.household(s, "Shared")
        f.contact(s, hh, "Al", "S", email="home@example.org")
        f.contact(s, hh, "Bo", "S", role="spouse", email="HOME@example.org")
    plan = count_audience(book, "", NOW)
    assert len(plan.recipients) == 1 and plan.skipped == {"duplicate_email": 1}


@pytest.mark.parametrize("text", ["colour=red", "age=70-60", "status", "segment="])
def test_bad_filters_are_refused(text: str) -> None:
    with pytest.raises(AudienceError):
        parse_audience(text)


def test_segment_filter_without_the_analytics_engine_is_a_clear_error(book) -> None:
    with pytest.raises(AudienceError, match="Segments"):
        count_audience(book, "segment=A", NOW)
    assert count_audience(book, "segment=A", NOW, segments=lambda: {}).recipients == []


def test_archive_keeps_five_years_unless_a_shorter_period_is_confirmed(
    book, smtp_server, password, clock, general
) -> None:
    from tests.mail.helpers import queue

    from actdesk.services.mail.archive import purge_expired, set_retention
    from actdesk.services.mail.config import MailConfigError
    from actdesk.services.mail.outbox import send_due

    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now())
    assert send_due(book, cfg, clock=clock).sent == 2
    later = clock.now() + timedelta(days=366 * 4)
    with pytest.raises(MailConfigError, match="204-2"):
        set_retention(cfg, 3)
    cfg.retention_years = 3  # edited by hand in settings.json, never confirmed: five years still kept
    assert purge_expired(book, cfg, later) == 0
    set_retention(cfg, 3, confirmed=True)
    assert purge_expired(book, cfg, later) == 2


def test_event_reminder_follows_an_invitation_once(book, smtp_server, password, clock, general) -> None:
    from actdesk.services.mail.campaigns import create_campaign
    from actdesk.services.mail.merge import activity_fields
    from actdesk.services.mail.outbox import send_due
    from actdesk.services.mail.templates import starter_template

    ids = small_book(book)
    start = clock.now() + timedelta(days=20)
    with book.session() as s:
        event = f.activity(
            s, ids["smith"], kind="event", start=start, subject="Wine tasting", location="Harbor Club"
        )
    cfg = smtp_server.settings(
        birthday_enabled=False, anniversary_enabled=False, review_reminder_enabled=False
    )
    extra = {"event": activity_fields("Wine tasting", start, "Harbor Club", "en", UTC)}
    result = create_campaign(
        book,
        starter_template("event_invitation"),
        "status=client",
        sender(cfg, general),
        now=clock.now(),
        tz=UTC,
        extra=extra,
        activity_id=event,
    )
    assert result.queued == 2
    assert send_due(book, cfg, clock=clock).sent == 2
    assert "You are invited: Wine tasting" in smtp_server.delivered[0].original_content.decode()

    clock.advance(days=1)
    assert sum(run_automations(book, cfg, sender(cfg, general), now=clock.now(), tz=UTC).queued.values()) == 0
    clock.advance(days=3)
    report = run_automations(book, cfg, sender(cfg, general), now=clock.now(), tz=UTC)
    assert report.queued == {"event_reminder": 2}
    assert run_automations(book, cfg, sender(cfg, general), now=clock.now(), tz=UTC).already == 2
    assert send_due(book, cfg, clock=clock).sent == 2
    reminder = smtp_server.delivered[-1].original_content.decode()
    assert "Reminder: Wine tasting on Mar 22, 2026" in reminder
