"""Replies come back by themselves: a real Dovecot inbox, replies delivered into it, filed into the book."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from datetime import UTC, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from tests.engagement.helpers import NOW, SmallBook, delivered_to, reply_to, small_book
from tests.mail import fixtures_imap
from tests.mail.conftest import FakeClock
from tests.mail.dovecot import IMAP_PASSWORD, IMAP_USER
from tests.mail.fixtures_imap import ImapWorld

from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.events import create_event, invite
from actdesk.services.engagement.questionnaire import run_questionnaire_automation
from actdesk.services.mail import oauth
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.config import MailSettings, store_password
from actdesk.services.mail.imap_client import ImapOffline
from actdesk.services.mail.imap_watch import ReplyWatcher, WatchContext, check_replies
from actdesk.services.mail.outbox import send_due
from actdesk.services.mail.replies_inbox import FILED, REVIEW, CheckReport
from actdesk.storage.engine import Book
from actdesk.storage.open import open_book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_events as events_repo
from actdesk.storage.repositories import mail_inbox as inbox_repo

imap_world = fixtures_imap.imap_world
imap = fixtures_imap.imap

ANSWER = "Hi Pat!\n\n1. [x] Date: 2026-02-03 Notes: our granddaughter Mia"


@pytest.fixture
def eng(tmp_path: Path) -> EngagementSettings:
    return EngagementSettings(questionnaire_days_before=21, brochures_folder=str(tmp_path / "brochures"))


@pytest.fixture
def sent(book: Book, smtp_server: Any, password: str, general: Any, eng: EngagementSettings) -> SmallBook:
    ids = small_book(book)
    cfg = smtp_server.settings()
    run_questionnaire_automation(book, cfg, eng, Sender.from_settings(cfg, general), now=NOW, tz=UTC)
    assert send_due(book, cfg, clock=FakeClock(NOW)).sent == 3
    return ids


def ctx(book: Book, cfg: MailSettings, eng: EngagementSettings) -> WatchContext:
    return WatchContext(book, cfg, eng, UTC, "en")


def password_cfg(imap: ImapWorld, **overrides: object) -> MailSettings:
    store_password(IMAP_USER, IMAP_PASSWORD, allow_insecure=False)
    return imap.settings(**overrides)


def chatter(sender: str, subject: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, IMAP_USER, subject
    msg["Message-ID"] = make_msgid(domain="example.org")
    msg.set_content("Are we still on for lunch on Friday?\n")
    return msg


def life_events(book: Book, household: int) -> list[tuple[str, Any]]:
    with book.reader() as s:
        return sorted((e.kind, e.date) for e in repo.list_life_events(s, household_id=household))


def test_a_reply_lands_in_the_record_and_is_marked_never_deleted(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    reply = reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER)
    lunch = chatter("ann@example.org", "Lunch?")  # a client's ordinary mail: not ours to touch
    spam = chatter("news@shop.example", "Big sale")
    imap.deliver(reply, lunch, spam)
    report = check_replies(ctx(book, password_cfg(imap), eng))
    assert report.examined == 3 and len(report.filed) == 1
    [taken] = report.filed
    assert (taken.kind, taken.outcome, taken.household_id, taken.events_filed) == (
        "questionnaire", "filed", sent.smith, 1,
    )  # fmt: skip
    assert life_events(book, sent.smith) == [("birth", NOW.date().replace(month=2, day=3))]
    flags = imap.flags()
    assert len(flags) == 3  # nothing deleted
    reply_id = message_from_bytes(reply, policy=default)["Message-ID"].encode()
    assert FILED.encode() in flags[reply_id] and b"\\Seen" not in flags[reply_id]
    assert flags[lunch["Message-ID"].encode()] == () and flags[spam["Message-ID"].encode()] == ()
    # The attention strip's data: the household's latest replies from the mailbox.
    with book.reader() as s:
        [item] = inbox_repo.recent_for_household(s, sent.smith)
        assert item.state == "marked" and item.household == "Smith household"
        assert [i.id for i in inbox_repo.unseen(s)] == [item.id]
    # Nothing new: the next pass files nothing and looks at nothing old again.
    again = check_replies(ctx(book, password_cfg(imap), eng))
    assert again.examined == 0 and again.taken == []
    assert len(life_events(book, sent.smith)) == 1


def test_unknown_sender_is_marked_for_review_not_filed(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    stranger = reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER, sender="mallory@evil.example")
    imap.deliver(stranger)
    report = check_replies(ctx(book, password_cfg(imap), eng))
    assert [t.outcome for t in report.taken] == ["unmatched"] and report.filed == []
    assert life_events(book, sent.smith) == []
    [flags] = imap.flags().values()
    assert REVIEW.encode() in flags


def _crash_child(db_path: str, cfg: MailSettings, eng: EngagementSettings, stage: str) -> None:
    book = open_book(Path(db_path))  # a fresh process's own connection, as after a restart

    def observe(at: str, uid: int) -> None:
        if at == stage:
            os._exit(3)  # the app dies here: no cleanup, no logout, nothing more committed

    check_replies(WatchContext(book, cfg, eng, UTC, "en"), observe)
    os._exit(0)


@pytest.mark.parametrize("stage", ["claimed", "filed"])
def test_a_crash_between_reading_and_marking_files_once(
    stage: str,
    book: Book,
    db_path: Path,
    sent: SmallBook,
    smtp_server: Any,
    imap: ImapWorld,
    eng: EngagementSettings,
) -> None:
    imap.deliver(reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER))
    cfg = password_cfg(imap)
    child = multiprocessing.get_context("fork").Process(
        target=_crash_child, args=(str(db_path), cfg, eng, stage)
    )
    child.start()
    child.join(60)
    assert child.exitcode == 3
    [flags] = imap.flags().values()
    assert FILED.encode() not in flags  # the keyword was never stored
    assert len(life_events(book, sent.smith)) == (1 if stage == "filed" else 0)
    report = check_replies(ctx(book, cfg, eng))
    assert report.finished_after_crash == 1
    assert len(life_events(book, sent.smith)) == 1  # filed exactly once
    [flags] = imap.flags().values()
    assert FILED.encode() in flags
    with book.reader() as s:
        assert inbox_repo.counts(s) == {"marked": 1}


def test_xoauth2_login_for_a_signed_in_account(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    from tests.mail.fixtures_oauth import oauth_settings

    base = oauth_settings(imap.auth, "microsoft")
    cfg = oauth.sign_in(base, "microsoft", open_url=imap.auth.browser, timeout=20)
    cfg.imap_enabled, cfg.imap_host, cfg.imap_port, cfg.cafile = (
        True,
        "127.0.0.1",
        imap.server.port,
        imap.cafile,
    )
    imap.deliver(reply_to(delivered_to(smtp_server, "bob@example.org"), ANSWER))
    report = check_replies(ctx(book, cfg, eng))
    assert [t.outcome for t in report.filed] == ["filed"]
    assert imap.auth.state.introspections >= 1  # Dovecot checked the token with the authorization server


def test_offline_is_reported_and_the_next_pass_resumes(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    from tests.mail.conftest import free_port

    imap.deliver(reply_to(delivered_to(smtp_server, "cat@example.org"), ANSWER))
    with pytest.raises(ImapOffline):
        check_replies(ctx(book, password_cfg(imap, imap_port=free_port()), eng))
    with book.reader() as s:
        state = inbox_repo.sync_state(s, IMAP_USER, "INBOX")
    assert state is not None and state.last_error and "Could not reach" in state.last_error
    report = check_replies(ctx(book, password_cfg(imap), eng))
    assert [t.household_id for t in report.filed] == [sent.jones]
    with book.reader() as s:
        state = inbox_repo.sync_state(s, IMAP_USER, "INBOX")
    assert state is not None and state.last_error is None and state.last_sync_at is not None


def test_an_rsvp_reply_records_the_answer(
    book: Book, smtp_server: Any, password: str, general: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    ids = small_book(book)
    cfg = smtp_server.settings()
    event = create_event(
        book, "Retirement income seminar", NOW + timedelta(days=14), location="Club", now=NOW
    )
    invite(book, event, [ids.smith], Sender.from_settings(cfg, general), language="en", now=NOW, tz=UTC)
    assert send_due(book, cfg, clock=FakeClock(NOW)).sent == 2
    original = message_from_bytes(delivered_to(smtp_server, "bob@example.org"), policy=default)
    answer = EmailMessage()
    answer["From"], answer["To"] = "bob@example.org", IMAP_USER
    answer["Subject"] = "Re: " + str(original["Subject"])
    answer["In-Reply-To"] = answer["References"] = original["Message-ID"]
    answer["Message-ID"] = make_msgid(domain="example.org")
    answer.set_content("Yes, we'll be there! Thanks.\n\n> You are invited\n")
    stranger = EmailMessage()
    stranger["From"], stranger["To"], stranger["Subject"] = "cat@example.org", IMAP_USER, answer["Subject"]
    stranger["In-Reply-To"] = stranger["References"] = original["Message-ID"]
    stranger["Message-ID"] = make_msgid(domain="example.org")
    stranger.set_content("No, sorry.\n")
    imap.deliver(answer, stranger)
    report = check_replies(ctx(book, password_cfg(imap), eng))
    assert [(t.kind, t.outcome) for t in report.taken] == [("rsvp", "yes"), ("rsvp", "unmatched")]
    assert "not in the invited household" in (report.taken[1].problem or "")
    with book.reader() as s:
        rsvps = {i.contact_id: i.rsvp for i in events_repo.invitations(s, event)}
    assert rsvps == {ids.ann: "none", ids.bob: "yes"}


@pytest.mark.parametrize("use_idle", [True, False])
def test_the_background_watcher_files_a_reply_when_it_arrives(
    use_idle: bool, book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    cfg = password_cfg(imap, imap_poll_seconds=1)
    reports: list[CheckReport] = []
    problems: list[str] = []
    watcher = ReplyWatcher(lambda: ctx(book, cfg, eng), reports.append, problems.append, use_idle=use_idle)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: len(reports) >= 1)
        if use_idle:
            _wait(lambda: watcher.idling)
        imap.deliver(reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER))
        _wait(lambda: any(r.filed for r in reports))
    finally:
        watcher.stop()
        thread.join(15)
    assert not thread.is_alive() and problems == []
    assert len(life_events(book, sent.smith)) == 1


def _wait(condition: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_watcher_waits_out_an_offline_period_and_resumes(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    from tests.mail.conftest import free_port

    imap.deliver(reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER))
    online = password_cfg(imap, imap_poll_seconds=1)
    offline = password_cfg(imap, imap_poll_seconds=1, imap_port=free_port())
    current = [offline]
    reports: list[CheckReport] = []
    problems: list[str] = []
    watcher = ReplyWatcher(lambda: ctx(book, current[0], eng), reports.append, problems.append)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    try:
        _wait(lambda: len(problems) >= 2)  # tried, backed off, tried again
        assert "Could not reach" in problems[0] and reports == []
        current[0] = online  # the network is back
        _wait(lambda: any(r.filed for r in reports))
    finally:
        watcher.stop()
        thread.join(15)
    assert len(life_events(book, sent.smith)) == 1


def test_the_first_look_skips_mail_from_before_our_first_questionnaire(
    book: Book, sent: SmallBook, smtp_server: Any, imap: ImapWorld, eng: EngagementSettings
) -> None:
    old_answers = chatter("ann@example.org", "Our news")
    old_answers.set_content("1. [x] Date: 2024-02-03\n")  # answers-like, but from long before we asked
    imap.deliver(old_answers, when=NOW - timedelta(days=400))
    imap.deliver(reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER))
    report = check_replies(ctx(book, password_cfg(imap), eng))
    assert report.examined == 1 and len(report.filed) == 1
    assert imap.flags()[old_answers["Message-ID"].encode()] == ()
