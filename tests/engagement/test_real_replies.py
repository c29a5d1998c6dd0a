"""Questionnaire replies as real mail programs write them (issue 22, questionnaire replies).

Header shapes reproduce samples that crashed the reader (the eml_parser project's test mails: "Name.<addr>",
"<[id@domain]>", CR/LF in an encoded name, a year-1 date with an empty encoded subject, raw 8-bit headers);
Thunderbird's format=flowed; Outlook's top-posted replies above an unquoted original and its HTML-only
MsoNormal paragraphs; an Outlook .msg file (from mail-parser's tests, Apache-2.0, see replies/README.md).
"""

from __future__ import annotations

import json
import re
from datetime import date
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from tests.engagement.helpers import delivered_to, reply_to
from tests.engagement.test_questionnaire_roundtrip import eng, read, sent, write

from actdesk.cli import main
from actdesk.domain.engagement.reply import parse_reply
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.questionnaire import all_questionnaires
from actdesk.services.engagement.reply_mail import read_messages, unflow
from actdesk.storage.repositories import engagement as repo

__all__ = ["eng", "sent"]  # fixtures used here
REPLIES = Path(__file__).parent / "replies"


def original_text(raw: bytes) -> str:
    part = message_from_bytes(raw, policy=default).get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def with_header(raw: bytes, name: bytes, value: bytes) -> bytes:
    head, sep, body = raw.partition(b"\n\n") if b"\r\n\r\n" not in raw else raw.partition(b"\r\n\r\n")
    lines = [line for line in re.split(rb"\r?\n", head) if not line.lower().startswith(name.lower() + b":")]
    return b"\r\n".join([*lines, name + b": " + value]) + sep + body


@pytest.mark.parametrize(
    ("name", "value"),
    [
        (b"From", b"Ann Smith.<ann@example.org>"),  # AttributeError in the e-mail package
        (b"From", b"=?utf-8?q?=0A?= <ann@example.org>"),  # an encoded CR/LF: ValueError
        (b"Message-ID", b"<[id@example.org]>"),  # IndexError
        (b"Date", b"0001-01-01 00:00:00 +0000 UTC"),  # an impossible date
        (b"Subject", b"=?UTF-8?B??="),  # an empty encoded word
    ],
    ids=[
        "name-dot-address",
        "crlf-in-name",
        "bracketed-message-id",
        "year-one-date",
        "empty-encoded-subject",
    ],
)
def test_unreadable_headers_are_missing_with_a_note_and_the_token_still_matches(
    book, sent, smtp_server, eng, tmp_path, name: bytes, value: bytes
) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    raw = with_header(
        reply_to(original, "1. [x] Date: 2026-02-03 Notes: our granddaughter Mia", keep_references=False),
        name,
        value,
    )
    [result] = read(book, write(tmp_path, "reply.eml", raw), eng)
    assert result.household_id == sent.smith and "token" in result.matched_by
    assert result.status == "filed"
    with book.reader() as s:
        assert [(e.kind, e.date) for e in repo.list_life_events(s, household_id=sent.smith)] == [
            ("birth", date(2026, 2, 3))
        ]


def test_a_header_of_raw_8bit_bytes_does_not_stop_the_reader(book, sent, smtp_server, eng, tmp_path) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    raw = reply_to(original, "1. [x] Date: 2026-02-03")
    raw = with_header(raw, b"Message-ID", b"")
    raw = with_header(raw, b"X-Mailer-Note", "envoyé depuis mon téléphone".encode())
    [result] = read(book, write(tmp_path, "reply.eml", raw), eng)
    assert result.status == "filed" and result.fingerprint.startswith(("sha256:", "<"))


def test_invisible_characters_in_a_reply_are_taken_out_not_refused(
    book, sent, smtp_server, eng, tmp_path
) -> None:
    """A right-to-left mail program's embedding marks and a stray control character in the subject and the
    notes: the book refuses them when typed (storage/text_guard.py), so the reader takes them out and the
    reply is filed as any other."""
    original = delivered_to(smtp_server, "ann@example.org")
    raw = reply_to(original, "1. [x] Date: 2026-02-03 Notes: our \u202bgranddaughter\u202c Mia\x07")
    raw = with_header(raw, b"Subject", "Re: \u202bquestionnaire\u202c\x01".encode())
    [result] = read(book, write(tmp_path, "reply.eml", raw), eng)
    assert result.status == "filed"
    assert result.parsed.answers[0].notes == "our granddaughter Mia"
    with book.reader() as s:
        [event] = repo.list_life_events(s, household_id=sent.smith)
    assert event.notes == "our granddaughter Mia"


def test_format_flowed_notes_are_not_cut_at_the_soft_break(book, sent, smtp_server, eng, tmp_path) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    raw = reply_to(original, "placeholder")
    msg = message_from_bytes(raw, policy=default)
    flowed = (
        "1. [x] Date: 2026-02-03 Notes: our granddaughter Mia was born early in the \r\n"
        "morning, both are well \r\n"
        "and home now\r\n\r\nAnn\r\n"
    )
    msg.set_content(flowed, params={"format": "flowed"}, cte="7bit")
    [result] = read(book, write(tmp_path, "flowed.eml", msg.as_bytes()), eng)
    assert result.status == "filed"
    assert result.parsed.answers[0].notes == (
        "our granddaughter Mia was born early in the morning, both are well and home now"
    )
    assert unflow("> a soft \r\n> line\r\n>> deeper\r\n") == "> a soft line\n> > deeper\n"


def outlook_block(original: bytes) -> str:
    return (
        "________________________________\n"
        "From: Pat Advisor <pat@example.com>\n"
        "Sent: Monday, March 2, 2026 9:00 AM\n"
        "To: Ann Smith <ann@example.org>\n"
        "Subject: Before our review on March 22, 2026: has anything changed?\n\n" + original_text(original)
    )


def test_outlook_top_posted_answers_above_an_unquoted_original(
    book, sent, smtp_server, eng, tmp_path
) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    top = "Hi Pat,\n\n1. [x] Birth 2026-02-03\n\nNotes: our granddaughter Mia\n\n2. x 18/04/2026\n\nThanks, Ann\n\n"
    raw = reply_to(original, "placeholder")
    msg = message_from_bytes(raw, policy=default)
    msg.set_content(top + outlook_block(original))
    [result] = read(book, write(tmp_path, "outlook.eml", msg.as_bytes()), eng, apply=False)
    assert [i.code for i in result.parsed.issues if i.code != "missing"] == []
    assert [(a.number, a.date, a.notes) for a in result.parsed.answers] == [
        (1, date(2026, 2, 3), "our granddaughter Mia"),
        (2, date(2026, 4, 18), ""),
    ]
    # The client's own words, not the advisor's message below the Outlook header block.
    assert result.parsed.free_text == "Hi Pat,\nThanks, Ann"


def test_outlook_html_only_reply_keeps_the_notes_line(book, sent, smtp_server, eng, tmp_path) -> None:
    original = delivered_to(smtp_server, "ann@example.org")
    paragraphs = [
        "Hi Pat,",
        "",
        "2. [x] A marriage or new partner",
        "",
        "Date: April 18, 2026",
        "",
        "Notes: we married in Sevilla",
        "",
        "Ann",
    ]
    html = (
        "<html><head><style>p.MsoNormal{margin:0cm}</style></head><body lang=EN-US><div class=WordSection1>"
        + "".join(f"<p class=MsoNormal>{p or '<o:p>&nbsp;</o:p>'}<o:p></o:p></p>" for p in paragraphs)
        + '<div style="border:none;border-top:solid #E1E1E1 1.0pt"><p class=MsoNormal><b>From:</b> Pat Advisor'
        "<br><b>Sent:</b> Monday, March 2, 2026 9:00 AM<br><b>To:</b> Ann Smith</p></div>"
        + "".join(f"<p class=MsoNormal>{line}</p>" for line in original_text(original).split("\n"))
        + "</div></body></html>"
    )
    msg = message_from_bytes(reply_to(original, "placeholder"), policy=default)
    msg.set_content(html, subtype="html")
    [result] = read(book, write(tmp_path, "outlook_html.eml", msg.as_bytes()), eng, apply=False)
    assert [(a.number, a.date, a.notes) for a in result.parsed.answers] == [
        (2, date(2026, 4, 18), "we married in Sevilla")
    ]


def test_garbled_marks_and_ambiguous_dates_are_named_as_the_docs_promise() -> None:
    questionnaires = all_questionnaires(EngagementSettings(), "en")
    issues = parse_reply("2. [maybe] not sure yet\n3. [x] 05/06/2026\n", questionnaires).issues
    assert [(i.code, i.number) for i in issues if i.code != "missing"] == [
        ("garbled", 2),
        ("date_ambiguous", 3),
    ]


def test_an_outlook_msg_file_is_read(book, db_path, capsys) -> None:
    [msg] = read_messages(REPLIES / "mail_outlook_1.msg")
    assert "Newsletter" in str(msg["Subject"]) and "@w-vwa.de" in str(msg["From"])
    book.dispose()
    code = main(
        ["--db", str(db_path), "questionnaire", "read", str(REPLIES / "mail_outlook_1.msg"), "--json"]
    )
    assert code == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    # Read, not refused: an unknown sender (not a contact) is reported and nothing is filed.
    assert report["status"] == "unmatched" and report["sender"].endswith("@w-vwa.de")


def test_a_file_that_is_not_mail_is_refused_with_one_line(book, db_path, tmp_path, capsys) -> None:
    book.dispose()
    junk = tmp_path / "notes.eml"
    junk.write_text("just some text\n", encoding="utf-8")
    assert main(["--db", str(db_path), "questionnaire", "read", str(junk)]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
