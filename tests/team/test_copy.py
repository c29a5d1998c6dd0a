"""``actdesk db copy``: SQLite -> PostgreSQL -> SQLite, equal row for row; a filled target is refused."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL
from tests import factories as f

from actdesk.cli import main
from actdesk.domain.team import Role
from actdesk.services.alerts.evaluation import evaluate_book
from actdesk.services.audit import verify_chain
from actdesk.services.db_copy import verify_equal
from actdesk.services.demo import DemoOptions, generate_demo
from actdesk.services.team import add_user
from actdesk.storage.open import open_book


def _source(path: Path) -> None:
    book = open_book(path)
    generate_demo(
        book, DemoOptions(households=12, seed=7, as_of=date(2026, 6, 30), activities_per_household=6)
    )
    add_user(book, "pat", Role.OWNER, "Pat Advisor")
    evaluate_book(book, date(2026, 6, 30), datetime(2026, 6, 30, 12, tzinfo=UTC))
    book.dispose()


def copy(
    capsys: pytest.CaptureFixture[str], source: str, target: str, *extra: str
) -> tuple[int, dict[str, Any], str]:
    code = main(["--db", source, "db", "copy", "--to", target, "--json", *extra])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if code == 0 else {}), err


def test_round_trip_sqlite_postgresql_sqlite(
    tmp_path: Path, pg_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.db"
    _source(source)
    server = pg_url.render_as_string(hide_password=False)

    code, there, _ = copy(capsys, str(source), server)
    assert code == 0 and there["ok"] and there["rows"] > 500
    code, back, _ = copy(capsys, server, str(tmp_path / "back.db"))
    assert code == 0 and back["tables"] == there["tables"]

    a, b, pg = open_book(source), open_book(tmp_path / "back.db"), open_book(pg_url)
    try:
        assert verify_equal(a, b) == {}
        assert verify_equal(a, pg) == {}
        assert verify_chain(pg).ok and verify_chain(b).ok
        # The server's sequences continue after the copied ids.
        with pg.session() as s:
            new_id = f.household(s, "Added on the server")
        assert new_id == there["tables"]["households"]["rows"] + 1
    finally:
        for book in (a, b, pg):
            book.dispose()


def test_a_filled_target_is_refused_unless_replace(
    tmp_path: Path, pg_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.db"
    _source(source)
    server = pg_url.render_as_string(hide_password=False)
    assert copy(capsys, str(source), server)[0] == 0
    server_book = open_book(pg_url)
    with server_book.session() as s:
        f.household(s, "Only on the server")
    server_book.dispose()
    code, _, err = copy(capsys, str(source), server)
    assert code == 2 and "already holds a book" in err and "--replace" in err
    pg = open_book(pg_url)
    try:
        from actdesk.storage.repositories.households import count_households

        with pg.reader() as s:
            assert count_households(s) == 13  # nothing was touched
        code, report, _ = copy(capsys, str(source), server, "--replace")
        assert code == 0 and report["tables"]["households"]["rows"] == 12
        again = open_book(source, read_only=True)
        assert verify_equal(again, pg) == {}
        again.dispose()
    finally:
        pg.dispose()


def test_copy_into_a_filled_sqlite_file_moves_it_aside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "source.db", tmp_path / "target.db"
    _source(source)
    other = open_book(target)
    with other.session() as s:
        f.household(s, "Kept aside")
    other.dispose()
    code, _, err = copy(capsys, str(source), str(target))
    assert code == 2 and "already holds a book" in err
    code, report, _ = copy(capsys, str(source), str(target), "--replace")
    assert code == 0 and report["moved_aside"] and Path(report["moved_aside"]).exists()
    a, b = open_book(source, read_only=True), open_book(target, read_only=True)
    try:
        assert verify_equal(a, b) == {}
    finally:
        a.dispose()
        b.dispose()
