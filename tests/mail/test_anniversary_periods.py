"""The relationship anniversary of a household that left and came back (issue 20): the note goes out on the
anniversary of its first day as a client, with its years as a client in all (the card's count), and the
automation, the preview and the starter template say the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from tests import factories as f
from tests.mail.helpers import sender

from actdesk.cli import main
from actdesk.domain.analytics.periods import ClientPeriod, years_in_all
from actdesk.services.card import record_departure, record_return
from actdesk.services.mail.automations import run_automations
from actdesk.services.mail.preview import preview_for_contact
from actdesk.services.mail.templates import starter_template
from actdesk.settings import Settings
from actdesk.storage.repositories import mail as repo

NOW = datetime(2026, 12, 28, 7, 0, tzinfo=UTC)
PERIODS = [  # Long household: 1 Jan 2015 - 31 Mar 2024 (fees), back on 1 Oct 2026
    ClientPeriod(1, date(2015, 1, 1), date(2024, 3, 31), "fees"),
    ClientPeriod(1, date(2026, 10, 1), None),
]


def _returning_book(book) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with book.session() as s:
        long, lou = f.long_former_client(s, email="lou@example.org")
        steady = f.household(s, "Steady household", since=date(2017, 1, 1))
        sam = f.contact(s, steady, "Sam", "Steady", email="sam@example.org")
    record_return(None, book, long, date(2026, 10, 1))
    return long, lou, sam


def _queued(book) -> dict[str, tuple[str, str, datetime]]:  # type: ignore[no-untyped-def]
    """address -> (subject, plain text, when it goes out) of every queued message."""
    out = {}
    with book.reader() as s:
        for m in repo.list_messages(s, states=["queued"]):
            parsed = message_from_bytes(repo.get_raw(s, m.id), policy=default)
            plain = parsed.get_body(("plain",))
            assert plain is not None
            out[m.to] = (m.subject, plain.get_content().replace("\r\n", "\n"), m.scheduled_for)
    return out


def test_the_anniversary_counts_every_period_from_the_first_day(book, smtp_server, general) -> None:
    _long, lou, _sam = _returning_book(book)
    cfg = smtp_server.settings(birthday_enabled=False, review_reminder_enabled=False)
    report = run_automations(book, cfg, sender(cfg, general), now=NOW, tz=UTC)
    assert report.queued == {"anniversary": 2}
    queued = _queued(book)
    # 9 years 3 months before leaving, 3 months since the return: 9 whole years in all on 1 Jan 2027, the
    # anniversary of 1 Jan 2015 (the return's, 1 Oct, is not a date of the relationship; years since the
    # return would be 0, since 2015 would be 12).
    subject, text, when = queued["lou@example.org"]
    assert years_in_all(PERIODS, date(2027, 1, 1)) == 9
    assert when == datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
    assert subject == "9 years together: thank you, Lou"
    assert "first became a client, on Jan 1, 2015" in text and "came back on Oct 1, 2026" in text
    assert "that makes 9 years together" in text
    # A household that never left: its calendar years, on its day (3,652 days / 365.25 would say 9).
    subject, text, when = queued["sam@example.org"]
    assert when == datetime(2027, 1, 1, 9, 0, tzinfo=UTC) and subject == "10 years together: thank you, Sam"
    assert "This week marks 10 years since Steady household became a client." in text
    assert "came back" not in text

    # The preview of the starter template, on the same day, is the note that was queued.
    settings = Settings()
    settings.general.practice_name, settings.general.advisor_name = "Harbor Wealth", "Pat Advisor"
    shown = preview_for_contact(book, settings, starter_template("client_anniversary"), lou, NOW, UTC)
    assert shown.subject == queued["lou@example.org"][0]
    assert shown.text.split("\n\n")[1] == queued["lou@example.org"][1].split("\n\n")[1]


def test_no_note_before_a_whole_year_in_all_nor_while_gone(book, smtp_server, general) -> None:
    with book.session() as s:
        brief = f.household(s, "Brief household", since=date(2020, 1, 10))
        f.contact(s, brief, "Bea", "Brief", email="bea@example.org")
    record_departure(None, book, brief, date(2020, 7, 1), "moved away")
    cfg = smtp_server.settings(birthday_enabled=False, review_reminder_enabled=False)
    now = datetime(2027, 1, 5, 7, tzinfo=UTC)
    assert not run_automations(book, cfg, sender(cfg, general), now=now, tz=UTC).queued  # gone
    record_return(None, book, brief, date(2026, 6, 1))
    # On 10 Jan 2027: 5.7 months, then 7.3 months back: 13 months in all, one whole year.
    report = run_automations(book, cfg, sender(cfg, general), now=now, tz=UTC)
    assert report.queued == {"anniversary": 1}
    assert _queued(book)["bea@example.org"][0] == "1 years together: thank you, Bea"


def test_the_cli_preview_shows_the_next_anniversary(book, db_path: Path, capsys) -> None:
    _long, lou, _sam = _returning_book(book)
    book.dispose()
    today = date.today()
    day = min(
        d for d in (date(y, 1, 1) for y in (today.year, today.year + 1)) if d >= today - timedelta(days=2)
    )
    argv = [
        "--db",
        str(db_path),
        "mail",
        "preview",
        "--template",
        "client_anniversary",
        "--contact",
        str(lou),
    ]
    assert main(argv) == 0
    out = capsys.readouterr().out
    years = years_in_all(PERIODS, day)  # the note's years on its day, not today's
    assert f"Subject: {years} years together: thank you, Lou" in out
    assert "first became a client, on Jan 1, 2015" in out and "came back on Oct 1, 2026" in out


def test_the_spanish_starter_template_says_the_same(book) -> None:
    _long, lou, sam = _returning_book(book)
    template = starter_template("client_anniversary", "es")
    shown = preview_for_contact(book, Settings(), template, lou, NOW, UTC)
    assert shown.subject == "9 años juntos: gracias, Lou"
    assert "por primera vez, el 1 ene 2015" in shown.text and "desde su vuelta el 1 oct 2026" in shown.text
    assert "son ya 9 años juntos" in shown.text and shown.html is not None and "9 años juntos" in shown.html
    steady = preview_for_contact(book, Settings(), template, sam, NOW, UTC)
    assert "Esta semana se cumplen 10 años desde que Steady household confió en nosotros." in steady.text
