"""The series cache's triggers (migration 0014) on both backends: any write to a source table empties it."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.models import Contact, Household
from actdesk.storage.engine import Book
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories import series_cache
from actdesk.storage.tables.audit import AuditRow


def _cache_something(book: Book) -> None:
    with book.session() as s:
        assert series_cache.write(s, "k", series_cache.current_digest(s), {"x": 1})
    with book.reader() as s:
        assert series_cache.keys(s) == ["k"]


def _keys(book: Book) -> list[str]:
    with book.reader() as s:
        return series_cache.keys(s)


def test_writes_to_the_source_tables_empty_the_cache(any_book: Book) -> None:
    _cache_something(any_book)
    with any_book.session() as s:  # an insert
        hid = repo.create_household(
            s,
            Household(name="Núñez household", status=HouseholdStatus.CLIENT, client_since=date(2020, 1, 1)),
            [Contact(household_id=None, first_name="Ana", last_name="Núñez", email="ana@example.org")],
        )
    assert _keys(any_book) == []
    _cache_something(any_book)
    with any_book.session() as s:  # an update
        household = repo.get_household(s, hid)
        household.name = "Núñez family"
        repo.update_household(s, household)
    assert _keys(any_book) == []
    _cache_something(any_book)
    with any_book.reader() as s:  # reading leaves it alone
        repo.get_household(s, hid)
    assert _keys(any_book) == ["k"]


def test_the_cache_is_not_in_the_audit_trail(any_book: Book) -> None:
    with any_book.reader() as s:
        before = s.scalar(select(func.count()).select_from(AuditRow))
    _cache_something(any_book)
    with any_book.session() as s:
        series_cache.clear(s)
    with any_book.reader() as s:
        assert s.scalar(select(func.count()).select_from(AuditRow)) == before


def test_a_book_with_a_cache_copies_and_reads_back_equal(tmp_path, any_book: Book) -> None:  # type: ignore[no-untyped-def]
    from actdesk.services.db_copy import copy_book
    from actdesk.storage.open import open_book

    source = open_book(tmp_path / "source.db")
    try:
        with source.session() as s:
            repo.create_household(s, Household(name="Ortiz", status=HouseholdStatus.CLIENT), [])
        _cache_something(source)
        target = any_book.url if any_book.url.get_backend_name() != "sqlite" else tmp_path / "copy.db"
        any_book.dispose()
        report = copy_book(source, target, replace=True)  # verifies every table's checksum
        assert {t.table: t.rows for t in report.tables}["series_cache"] == 1
    finally:
        source.dispose()
