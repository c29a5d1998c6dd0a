"""``kpis --json`` and ``probabilities --json`` answers kept in the book (issue 21, services/answers.py).

A kept answer is printed only while nothing it was computed from has changed. The tests plant a marker
in the kept row to see which runs answered from it, so a run that recomputes (or a cache that is never
read) fails them.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.analytics.books import six_households

from actdesk.cli import main
from actdesk.storage.repositories import answer_cache
from actdesk.storage.tables.book import LifeEventRow, ReferralRow

AS_OF = "2026-06-30"
MARKER = '{"planted": true}'


@pytest.fixture
def db(book, db_path):
    with book.session() as s:
        six_households(s)
    return book, str(db_path)


def run(path: str, capsys: pytest.CaptureFixture[str], command: str = "kpis", *extra: str) -> str:
    assert main(["--db", path, command, "--as-of", AS_OF, "--json", *extra]) == 0
    return capsys.readouterr().out


def kept_rows(path: str) -> dict[str, str]:
    with sqlite3.connect(path) as con:
        return dict(con.execute("SELECT key, payload FROM series_cache WHERE key LIKE 'answer:%'").fetchall())


def plant(path: str) -> None:
    """Replace every kept answer's text (not its fingerprint) by a marker."""
    with sqlite3.connect(path) as con:
        con.execute("UPDATE series_cache SET payload = ? WHERE key LIKE 'answer:%'", (MARKER,))


@pytest.mark.parametrize("command", ["kpis", "probabilities"])
def test_a_repeated_command_prints_the_kept_answer(db, command: str, capsys) -> None:
    _book, path = db
    first = run(path, capsys, command)
    rows = kept_rows(path)
    assert len(rows) == 1 and next(iter(rows)).startswith(f"answer:{command}:{AS_OF}:")
    assert next(iter(rows.values())) + "\n" == first  # the very text printed
    assert run(path, capsys, command) == first  # the same text from the kept row
    plant(path)
    assert run(path, capsys, command) == MARKER + "\n"  # ... and it really came from the row


def test_a_write_the_counts_do_not_show_invalidates_the_answer(db, capsys) -> None:
    book, path = db
    first = json.loads(run(path, capsys))
    plant(path)
    with book.session() as s:  # an edit: no count, maximum or trigger of the series cache changes
        referral = s.execute(select(ReferralRow).order_by(ReferralRow.id)).scalars().first()
        assert referral is not None
        referral.date = date(2026, 9, 1)  # after the as-of date: no longer counted
    after = run(path, capsys)
    assert after != MARKER + "\n"
    referred = sum(r["referred"] for r in json.loads(after)["referral_sources"])
    assert referred == sum(r["referred"] for r in first["referral_sources"]) - 1  # the edited book's


def test_a_new_life_event_invalidates_the_probabilities(db, capsys) -> None:
    book, path = db
    run(path, capsys, "probabilities")
    plant(path)
    with book.session() as s:
        household = s.execute(select(ReferralRow.referred_household_id)).scalars().first()
        s.add(LifeEventRow(household_id=household, kind="retirement", date=date(2026, 5, 1)))
    assert run(path, capsys, "probabilities") != MARKER + "\n"


def test_the_answer_depends_on_the_settings_and_the_language(db, capsys, monkeypatch) -> None:
    _book, path = db
    run(path, capsys)
    plant(path)
    monkeypatch.setenv("ACTDESK_LANG", "es")
    assert run(path, capsys) != MARKER + "\n"  # another language: computed, and kept beside
    monkeypatch.setenv("ACTDESK_LANG", "en")
    assert run(path, capsys) == MARKER + "\n"
    assert len(kept_rows(path)) == 2


def test_an_answer_computed_while_the_book_changed_is_not_kept(db) -> None:
    book, _path = db
    with book.reader() as s:
        state = answer_cache.answer_state(s)
    with book.session() as s:
        s.add(LifeEventRow(household_id=1, kind="retirement", date=date(2026, 5, 1)))
    with book.session() as s:
        assert not answer_cache.write(s, "answer:kpis:test", state, MARKER)
        assert answer_cache.write(s, "answer:kpis:test", answer_cache.answer_state(s), MARKER)
    with book.reader() as s:
        assert answer_cache.read(s, "answer:kpis:test", answer_cache.answer_state(s)) == MARKER
        with pytest.raises(ValueError):
            answer_cache.read(s, "series:not-an-answer", "x")


def test_the_backtest_and_the_summary_are_not_kept(db, capsys) -> None:
    _book, path = db
    assert main(["--db", path, "kpis", "--as-of", AS_OF]) == 0
    assert main(["--db", path, "probabilities", "--as-of", AS_OF, "--json", "--backtest"]) == 0
    capsys.readouterr()
    assert kept_rows(path) == {}


def test_a_read_only_book_answers_without_keeping(db, capsys, tmp_path: Path) -> None:
    from actdesk.services import answers
    from actdesk.services.analytics import analytics_config
    from actdesk.storage.open import open_book

    _book, path = db
    reader = open_book(path, migrate=False, read_only=True)
    try:
        text, slot = answers.find(reader, "kpis", date.fromisoformat(AS_OF), analytics_config())
        assert text is None
        assert not answers.keep(reader, slot, MARKER)
    finally:
        reader.dispose()
    assert kept_rows(path) == {}


def test_a_book_without_the_cache_table_still_answers(db, capsys) -> None:
    """A book whose schema has no cache (an older book opened read-only while the window holds it):
    the command computes and prints, and keeps nothing."""
    _book, path = db
    first = run(path, capsys)
    with sqlite3.connect(path) as con:
        triggers = [
            r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%series_cache%'")
        ]
        for name in triggers:
            if name != "series_cache":
                con.execute(f"DROP TRIGGER {name}")
        con.execute("DROP TABLE series_cache")
    assert run(path, capsys) == first
