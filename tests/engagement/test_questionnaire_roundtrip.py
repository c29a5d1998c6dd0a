"""The questionnaire through a real SMTP server and back: sent before the review, answered, filed.

Replies are built from the message the server received, as a mail client would (quoted, with answers typed
in or above), saved as .eml / .mbox files and read with the same code the window's drop and the CLI use.
"""

from __future__ import annotations

import mailbox
from datetime import UTC, date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from tests.engagement.helpers import NOW, SmallBook, delivered_to, reply_to, small_book
from tests.mail.conftest import FakeClock

from actdesk.services.engagement.brochures import sync_library
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.questionnaire import run_questionnaire_automation
from actdesk.services.engagement.replies import read_file
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.outbox import send_due
from actdesk.storage.engine import Book
from actdesk.storage.repositories import alerts as alerts_repo
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.tables.engagement import QuestionnaireReplyRow


@pytest.fixture
def eng(tmp_path: Path) -> EngagementSettings:
    return EngagementSettings(questionnaire_days_before=21, brochures_folder=str(tmp_path / "brochures"))


@pytest.fixture
def sent(book: Book, smtp_server, password, general, eng) -> SmallBook:
    ids = small_book(book)
    sync_library(book, eng)
    cfg = smtp_server.settings()
    report = run_questionnaire_automation(book, cfg, eng, Sender.from_settings(cfg, general), now=NOW, tz=UTC)
    assert dict(report.queued) == {"questionnaire": 3}  # Ann and Bob (Smith), Cat (Jones)
    again = run_questionnaire_automation(book, cfg, eng, Sender.from_settings(cfg, general), now=NOW, tz=UTC)
    assert again.already == 3 and not again.queued
    assert send_due(book, cfg, clock=FakeClock(NOW)).sent == 3
    return ids


def read(book: Book, path: Path, eng: EngagementSettings, apply: bool = True):
    return read_file(book, path, eng, apply=apply, now=NOW, tz=UTC)


def write(tmp_path: Path, name: str, raw: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(raw)
    return path


def test_the_sent_questionnaire_is_laid_out_for_reading_back(sent, smtp_server) -> None:
    raw = delivered_to(smtp_server, "ann@example.org")
    msg = message_from_bytes(raw, policy=default)
    text = msg.get_body(("plain",)).get_content().replace("\r\n", "\n")  # type: ignore[union-attr]
    assert msg["Subject"] == "Before our review on Mar 22, 2026: has anything changed?"
    assert " 2. [ ] A marriage or new partner\n    Date: \n    Notes: " in text
    assert f"Reference: ACTDESK-Q:{sent.smith}:" in text
    assert "UNSUBSCRIBE" not in text and msg["List-Unsubscribe"] is None  # service mail
    assert msg["Message-ID"]


def test_a_reply_becomes_life_events_on_the_right_household(book, sent, smtp_server, eng, tmp_path) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    raw = reply_to(
        original,
        "Hi Pat, two things happened this year!\n\n1. [x] Date: 2026-02-03 Notes: our granddaughter Mia",
        fill={
            " 2. [ ] A marriage or new partner\n    Date: ": " 2. [x] A marriage or new partner\n    Date: April 18, 2026"
        },
    )
    [result] = read(book, write(tmp_path, "reply.eml", raw), eng)
    assert result.status == "filed"
    assert result.household_id == sent.smith and result.contact_id == sent.ann
    assert set(result.matched_by) == {"in_reply_to", "sender", "token"}
    assert not result.parsed.issues
    with book.reader() as s:
        events = repo.list_life_events(s, household_id=sent.smith)
        alerts = [a for a in alerts_repo.active_alerts(s) if a.household_id == sent.smith]
        pending = repo.pending_brochures(s, sent.smith)
    assert sorted((e.kind, e.date, e.source, e.contact_id) for e in events) == [
        ("birth", date(2026, 2, 3), "questionnaire", sent.ann),
        ("marriage", date(2026, 4, 18), "questionnaire", sent.ann),
    ]
    assert next(e for e in events if e.kind == "birth").notes == "our granddaughter Mia"
    assert all(e.activity_id is not None and not e.activity_done for e in events)
    assert [a.rule.value for a in alerts] == ["life_event"]
    assert "Marriage" in alerts[0].explanation and "Birth" in alerts[0].explanation
    assert {p.brochure_title for p in pending} == {"A growing family: the money checklist"}
    # The same file dropped again files nothing twice.
    [again] = read(book, write(tmp_path, "reply.eml", raw), eng)
    assert again.status == "already_filed"
    with book.reader() as s:
        assert len(repo.list_life_events(s, household_id=sent.smith)) == 2


def test_missing_extra_and_garbled_answers_are_reported_never_misfiled(
    book, sent, smtp_server, eng, tmp_path
) -> None:
    original = delivered_to(smtp_server, "cat@example.org")
    raw = reply_to(
        original,
        "12. [x] we bought a boat\n3. x 05/06/2026",
        fill={
            " 5. [ ] An inheritance or a large gift\n    Date: ": " 5. [x] An inheritance or a large gift\n    Date: 2026-01-20",
            " 7. [ ] Buying or selling a home": " 7. [maybe] Buying or selling a home",
            " 9. [ ] A new job, job loss or change of employer\n": "",
            " 4. [ ] A death in the family\n    Date: ": " 4. [x] A death in the family\n    Date: soon",
            " 8. [ ] A move to another address": " 8. [x] A divorce or separation",
        },
    )
    [result] = read(book, write(tmp_path, "cat.eml", raw), eng)
    codes = sorted((i.code, i.number) for i in result.parsed.issues)
    assert codes == [
        ("date_ambiguous", 3),
        ("date_unreadable", 4),
        ("garbled", 7),
        ("missing", 9),
        ("question_mismatch", 8),
        ("unknown_question", 12),
    ]
    with book.reader() as s:
        events = repo.list_life_events(s)
    assert [(e.household_id, e.kind, e.date) for e in events] == [
        (sent.jones, "inheritance", date(2026, 1, 20))
    ]


def test_a_reply_from_an_unknown_sender_is_not_filed(book, sent, smtp_server, eng, tmp_path) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    raw = reply_to(
        original,
        "",
        fill={
            " 1. [ ] A birth": " 1. [x] A birth",
            "    Date: \n    Notes: \n\n 2.": "    Date: 2026-02-03\n    Notes: \n\n 2.",
        },
        sender="stranger@example.net",
    )
    [result] = read(book, write(tmp_path, "stranger.eml", raw), eng)
    assert result.status == "unmatched" and result.household_id is None
    assert "stranger@example.net" in result.problems[0]
    assert [a.kind for a in result.parsed.answers] == ["birth"]  # read, but not filed
    with book.reader() as s:
        assert repo.list_life_events(s) == []
        assert s.query(QuestionnaireReplyRow).one().status == "unmatched"


def test_a_reply_quoting_another_households_questionnaire_is_not_filed(
    book, sent, smtp_server, eng, tmp_path
) -> None:
    original = delivered_to(smtp_server, "ann@example.org")  # Ann forwarded it to Cat, who answered it
    raw = reply_to(original, "1. x 2026-02-03", sender="cat@example.org")
    [result] = read(book, write(tmp_path, "fwd.eml", raw), eng)
    assert result.status == "unmatched"
    assert "another household" in result.problems[0]
    with book.reader() as s:
        assert repo.list_life_events(s) == []


def test_an_address_shared_by_two_households_without_a_reference_is_not_filed(
    book, sent, eng, tmp_path
) -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "dan@example.org"
    msg["Subject"] = "answers"
    msg.set_content("2. [x] A marriage or new partner\n   Date: 2026-05-01\n")
    [result] = read(book, write(tmp_path, "dan.eml", msg.as_bytes()), eng)
    assert result.status == "unmatched" and "several households" in result.problems[0]


def test_an_mbox_with_several_replies(book, sent, smtp_server, eng, tmp_path) -> None:
    ann = reply_to(delivered_to(smtp_server, "ann@example.org"), "6. x 2026-05-30 Leo graduates")
    cat = reply_to(
        delivered_to(smtp_server, "cat@example.org"),
        "Nothing new, thanks!",
        fill={
            "10. [ ] A retirement, or retirement planned\n    Date: ": "10. [x] A retirement, or retirement planned\n    Date: 2026-12-31"
        },
    )
    stranger = reply_to(
        delivered_to(smtp_server, "bob@example.org"), "1. x 2026-01-01", sender="who@example.net"
    )
    path = tmp_path / "replies.mbox"
    box = mailbox.mbox(str(path))
    for raw in (ann, cat, stranger):
        box.add(mailbox.mboxMessage(raw))
    box.flush()
    box.close()
    results = read(book, path, eng)
    assert [r.status for r in results] == ["filed", "filed", "unmatched"]
    with book.reader() as s:
        events = sorted((e.household_id, e.kind, e.date) for e in repo.list_life_events(s))
    assert events == [
        (sent.smith, "graduation", date(2026, 5, 30)),
        (sent.jones, "retirement", date(2026, 12, 31)),
    ]
    assert [r.status for r in read(book, path, eng)] == ["already_filed", "already_filed", "unmatched"]


def test_an_html_only_reply_in_spanish(book, smtp_server, password, general, eng, tmp_path) -> None:
    ids = small_book(book)
    cfg = smtp_server.settings(language="es")
    run_questionnaire_automation(book, cfg, eng, Sender.from_settings(cfg, general), now=NOW, tz=UTC)
    send_due(book, cfg, clock=FakeClock(NOW))
    original = delivered_to(smtp_server, "cat@example.org")
    assert "Fecha:" in message_from_bytes(original, policy=default).get_body(("plain",)).get_content()  # type: ignore[union-attr]
    raw = reply_to(
        original,
        "Hola, aquí van mis respuestas.",
        fill={
            " 3. [ ] Un divorcio o separación\n    Fecha: ": " 3. [x] Un divorcio o separación\n    Fecha: 05/06/2026"
        },
        html_only=True,
    )
    [result] = read(book, write(tmp_path, "es.eml", raw), eng)
    assert result.parsed.language == "es" and result.status == "filed"
    with book.reader() as s:
        assert [(e.household_id, e.kind, e.date) for e in repo.list_life_events(s)] == [
            (ids.jones, "divorce", date(2026, 6, 5))  # day first in Spanish
        ]
