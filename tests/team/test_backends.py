"""The same book on SQLite and on PostgreSQL: schema, households, book format, KPIs, alerts, audit chain."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select
from sqlalchemy.engine import URL
from tests import factories as f
from tests.alerts import books as alert_books
from tests.analytics.books import AS_OF, six_households

from actdesk.cli import main
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.models import Contact, Household
from actdesk.services.alerts.evaluation import evaluate_book
from actdesk.services.analytics import kpis_for
from actdesk.services.audit import verify_chain
from actdesk.services.book_format import export_book, import_book
from actdesk.services.dashboard.book import gather_book
from actdesk.services.db_copy import checksums
from actdesk.services.demo import DemoOptions, generate_demo
from actdesk.storage import migrate
from actdesk.storage.engine import Book
from actdesk.storage.open import open_book
from actdesk.storage.repositories import households as repo
from actdesk.storage.server import store_password
from actdesk.storage.tables import metadata
from actdesk.storage.tables.book import HouseholdRow


def test_migrations_match_the_orm(any_book: Book) -> None:
    with any_book.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), metadata)
    assert diff == []
    assert migrate.current_revision(any_book) == migrate.head_revision()


def test_households_crud(any_book: Book) -> None:
    with any_book.session() as s:
        hid = repo.create_household(
            s,
            Household(name="Núñez household", status=HouseholdStatus.CLIENT, client_since=date(2020, 1, 1)),
            [Contact(household_id=None, first_name="Ana", last_name="Núñez", email="ana@example.org")],
        )
    with any_book.session() as s:
        household = repo.get_household(s, hid)
        assert household.name == "Núñez household" and household.version == 1
        household.name = "Núñez family"
        repo.update_household(s, household)
    with any_book.reader() as s:
        found = repo.list_households(s, search="ana@example")
        assert [h.name for h in found] == ["Núñez family"]
        assert repo.get_household(s, hid).version == 2
    with any_book.session() as s:
        repo.delete_household(s, hid, expected_version=2)
    with any_book.reader() as s:
        assert s.scalar(select(HouseholdRow.id)) is None


def test_book_format_round_trip_then_ids_continue(any_book: Book, tmp_path: Path) -> None:
    """Export -> import -> export gives the same files; the importer writes explicit ids, and the next
    household must not collide with them (PostgreSQL's sequences are moved past them)."""
    source = open_book(tmp_path / "source.db")
    generate_demo(
        source, DemoOptions(households=8, seed=3, as_of=date(2026, 6, 30), activities_per_household=4)
    )
    export_book(source, tmp_path / "out")
    import_book(any_book, tmp_path / "out")
    with source.engine.connect() as a, any_book.engine.connect() as b:
        left, right = checksums(a), checksums(b)
    source.dispose()
    for table in ("households", "contacts", "accounts", "balances", "activities", "opportunities"):
        assert left[table] == right[table], table
    export_book(any_book, tmp_path / "again")
    first, second = sorted((tmp_path / "out").glob("*.csv")), sorted((tmp_path / "again").glob("*.csv"))
    assert [p.name for p in first] == [p.name for p in second]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))
    with any_book.session() as s:
        new_id = f.household(s, "After import")
    assert new_id == left["households"][0] + 1


def test_kpis_equal_on_both_backends(pg_book: Book, book: Book) -> None:
    """Six households with hand-checked figures: every KPI equal on PostgreSQL and SQLite."""
    for target in (pg_book, book):
        with target.session() as s:
            six_households(s)
    on_server = kpis_for(pg_book, AS_OF)
    on_file = kpis_for(book, AS_OF)
    assert on_server["clients"] == 3  # as the analytics tests computed by hand
    assert _plain(on_server) == _plain(on_file)


def test_book_dashboard_equal_on_both_backends(pg_book: Book, book: Book) -> None:
    """Trends and the per-household table (PostgreSQL's SUM(bigint) is numeric: read back as SQLite's int)."""
    for target in (pg_book, book):
        with target.session() as s:
            six_households(s)
    on_server = gather_book(pg_book, AS_OF, AnalyticsConfig())
    on_file = gather_book(book, AS_OF, AnalyticsConfig())
    for name in ("aum", "revenue", "wallet", "retention", "households"):
        pd.testing.assert_frame_equal(getattr(on_server, name), getattr(on_file, name), check_dtype=True)
    assert on_server.segments == on_file.segments


def test_alert_evaluation(any_book: Book) -> None:
    ids = alert_books.build(any_book)
    outcome = evaluate_book(any_book, alert_books.AS_OF, alert_books.at(alert_books.AS_OF))
    assert outcome.persisted and outcome.findings
    assert ids.garcia in {a.household_id for a in outcome.alerts}
    again = evaluate_book(any_book, alert_books.AS_OF, alert_books.at(alert_books.AS_OF, 16))
    assert {(a.household_id, a.rule) for a in again.alerts} == {
        (a.household_id, a.rule) for a in outcome.alerts
    }
    assert verify_chain(any_book).ok


def _plain(value: object) -> object:
    """KPIs compared as plain values (numpy scalars and Decimals normalised)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _target(book: Book) -> str:
    return str(book.path) if book.is_sqlite else book.url.render_as_string(hide_password=False)


def test_contacts_import_and_undo_through_the_cli(any_book: Book, capsys: pytest.CaptureFixture[str]) -> None:
    """The imports' bulk inserts (RETURNING on PostgreSQL, assigned ids on SQLite) and their undo."""
    samples = Path(__file__).parent.parent / "imports" / "samples"
    db = _target(any_book)
    assert main(["--db", db, "import", "contacts", str(samples / "redtail_contacts.csv"), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["added"], result["rejected"]) == (4, 1)  # a bad birth date keeps the person
    with any_book.reader() as s:
        assert repo.count_households(s) == 2
    assert main(["--db", db, "import", "undo", str(result["batch_id"]), "--json"]) == 0
    capsys.readouterr()
    with any_book.reader() as s:
        assert repo.count_households(s) == 0
    assert verify_chain(any_book).ok


def test_server_book_takes_no_file_lock_and_its_password_comes_from_the_keyring(pg_url: URL) -> None:
    store_password(pg_url, "from-the-keyring")
    book = open_book(pg_url)
    try:
        assert book.lock is None and book.path is None
        assert book.url.password is None  # what the app shows and logs
        assert book.engine.url.password == "from-the-keyring"  # what the driver gets
        assert "from-the-keyring" not in repr(book.engine) and "from-the-keyring" not in str(book.engine.url)
        with book.reader() as s:
            assert repo.count_households(s) == 0
    finally:
        book.dispose()
