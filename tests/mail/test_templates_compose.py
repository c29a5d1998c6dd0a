"""Templates are sandboxed and strict; field values never inject headers or HTML; starter templates render."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes
from email.policy import default

import pytest
from tests import factories as f
from tests.mail.helpers import queue

from actdesk.services.mail.compose import compose
from actdesk.services.mail.merge import field_catalog, merge_context, sample_recipient
from actdesk.services.mail.outbox import send_due
from actdesk.services.mail.templates import (
    STARTER_TEMPLATES,
    TemplateProblem,
    parse_template_text,
    render,
    starter_template,
)

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
EVIL = "Eve\r\nBcc: attacker@evil.example\r\n\r\n<script>alert(1)</script>"


def test_crlf_and_script_in_a_field_neither_inject_headers_nor_html(
    book, smtp_server, password, clock, general
) -> None:
    with book.session() as s:
        hh = f.household(s, "Mallory <b>household</b>")
        f.contact(s, hh, EVIL, "Lee", email="eve@example.org")
    cfg = smtp_server.settings()
    text = "Subject: Hi {{ contact.first_name }}\n\nHello {{ contact.first_name }} of {{ household.name }}\n"
    template = parse_template_text(
        text, "t", html="<p>Hello {{ contact.first_name }} of {{ household.name }}</p>"
    )
    from actdesk.services.mail.campaigns import Sender, create_campaign

    create_campaign(book, template, "", Sender.from_settings(cfg, general), now=clock.now(), tz=UTC)
    assert send_due(book, cfg, clock=clock).sent == 1

    (envelope,) = smtp_server.delivered
    assert envelope.rcpt_tos == ["eve@example.org"]  # no Bcc smuggled into the envelope
    msg = message_from_bytes(envelope.original_content, policy=default)
    assert msg["Bcc"] is None
    assert "\n" not in msg["Subject"] and msg["Subject"].startswith("Hi Eve Bcc: attacker@evil.example")
    assert [k for k in msg if k.lower() == "subject"] == ["Subject"]
    assert msg["To"].addresses[0].addr_spec == "eve@example.org"
    html = msg.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;household&lt;/b&gt;" in html
    plain = msg.get_body(("plain",)).get_content()
    assert "<script>alert(1)</script>" in plain  # plain text is shown as text by every mail reader


def test_sandbox_refuses_code() -> None:
    t = parse_template_text("Subject: x\n\n{{ contact.__class__.__mro__[1].__subclasses__() }}\n", "evil")
    with pytest.raises(TemplateProblem, match=r"not allowed|unknown merge field"):
        render(
            t,
            merge_context(
                sample_recipient(), language="en", now=NOW, tz=UTC, signature="", practice="", advisor=""
            ),
        )


def test_unknown_field_names_the_field_and_lists_the_known_ones() -> None:
    t = parse_template_text("Subject: x\n\nHi {{ contact.nickname }}\n", "typo")
    ctx = merge_context(
        sample_recipient(), language="en", now=NOW, tz=UTC, signature="", practice="", advisor=""
    )
    with pytest.raises(TemplateProblem) as err:
        render(t, ctx)
    assert "nickname" in str(err.value) and "contact.first_name" in str(err.value)


def test_syntax_error_reports_the_line() -> None:
    t = parse_template_text("Subject: x\n\nline one\n{% if %}\n", "broken")
    with pytest.raises(TemplateProblem, match="line 2"):
        render(t, {})


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", STARTER_TEMPLATES)
def test_every_starter_template_renders_in_both_languages(name: str, language: str) -> None:
    template = starter_template(name, language)
    assert template.language == language and template.body_html
    event = {
        "subject": "Wine tasting",
        "date": "May 4, 2026",
        "time": "May 4, 2026, 6:00 PM",
        "location": "Harbor Club",
    }
    ctx = merge_context(
        sample_recipient(),
        language=language,
        now=NOW,
        tz=UTC,
        signature="Pat",
        practice="Harbor",
        advisor="Pat",
        extra={"event": event, "review": event, "client_years": "5"},
    )
    out = render(template, ctx)
    assert out.subject and "Ann" in out.text and "Pat" in out.text
    assert "{{" not in out.text and "{{" not in (out.html or "")


def test_review_reminder_is_service_mail_without_unsubscribe_line() -> None:
    assert starter_template("review_reminder").marketing is False
    assert starter_template("newsletter").marketing is True


def test_compose_has_required_headers_and_two_parts() -> None:
    t = starter_template("birthday")
    ctx = merge_context(
        sample_recipient(), language="en", now=NOW, tz=UTC, signature="Pat", practice="Harbor", advisor="Pat"
    )
    c = compose(
        render(t, ctx),
        sender="pat@harbor.example",
        sender_name="Pat",
        to_addr="ann@example.com",
        to_name="Ann Sample",
        now=NOW,
        marketing=True,
        practice="Harbor",
    )
    msg = message_from_bytes(c.raw, policy=default)
    assert msg["Message-ID"] == c.message_id and c.message_id.endswith("@harbor.example>")
    assert msg["Date"] == "Mon, 02 Mar 2026 14:00:00 +0000"
    assert msg["From"] == "Pat <pat@harbor.example>" and msg["To"] == "Ann Sample <ann@example.com>"
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["List-Unsubscribe"] == "<mailto:pat@harbor.example?subject=unsubscribe>"
    assert all(len(line) <= 998 for line in c.raw.split(b"\r\n"))


def test_field_catalog_lists_contact_and_household_fields() -> None:
    names = field_catalog()
    assert {"contact.first_name", "household.name", "salutation", "signature", "next_review_date"} <= set(
        names
    )


def test_next_review_date_merge_field(book, clock, general, smtp_server) -> None:
    with book.session() as s:
        hh = f.household(s, "Smith household")
        f.contact(s, hh, "Ann", "Smith", email="ann@example.org")
        f.activity(s, hh, kind="review", start=datetime(2026, 4, 15, 15, tzinfo=UTC), subject="Spring review")
    cfg = smtp_server.settings()
    text = "Subject: Review\n\nSee you on {{ next_review_date }}.\n"
    queue(book, cfg, general, clock.now(), audience="", text=text)
    from actdesk.storage.repositories import mail as repo

    with book.reader() as s:
        (m,) = repo.list_messages(s)
        raw = repo.get_raw(s, m.id)
    body = message_from_bytes(raw, policy=default).get_body(("plain",)).get_content()
    assert "See you on Apr 15, 2026." in body


def test_merge_dates_and_money_follow_the_one_style_in_the_template_language() -> None:
    """The e-mail's fields use actdesk.formats in the template's language, whatever the window's language is."""
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from actdesk import formats, i18n
    from actdesk.domain.models import Contact, Household
    from actdesk.services.mail.merge import activity_fields, merge_context
    from actdesk.storage.repositories.mail_audience import Recipient

    madrid = ZoneInfo("Europe/Madrid")
    review = datetime(2026, 12, 7, 14, tzinfo=UTC)  # 15:00 in Madrid
    contact = Contact(
        household_id=1, first_name="Ana", last_name="Ruiz", net_worth=Decimal("1250000.40"), id=1
    )
    recipient = Recipient(contact, Household(name="Ruiz", id=1), review)
    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    expected = {
        "en": ("Dec 7, 2026", "Dec 7, 2026, 3:00\u202fPM", "Dec 1, 2026", "$1,250,000"),
        "es": ("7 dic 2026", "7 dic 2026, 15:00", "1 dic 2026", "1.250.000\xa0US$"),
    }
    for window in ("en", "es"):  # the window's language does not change an e-mail's
        i18n.set_language(window)
        try:
            for language, (day, day_time, today, worth) in expected.items():
                ctx = merge_context(
                    recipient, language=language, now=now, tz=madrid, signature="", practice="", advisor=""
                )
                assert (
                    ctx["next_review_date"]
                    == day
                    == formats.format_date(review, locale=i18n.DEFAULT_LOCALES[language])
                )
                assert ctx["next_review_time"] == day_time
                assert ctx["today"] == today
                assert ctx["contact"]["net_worth"] == worth
                fields = activity_fields("Review", review, None, language, madrid)
                assert (fields["date"], fields["time"]) == (day, day_time)
        finally:
            i18n.set_language("en")
