"""Fixtures of the team tests: a fresh PostgreSQL schema per test, and a book on either backend.

``pg_book`` needs ``ACTDESK_TEST_PG_URL`` (``.ci/run`` starts a throwaway server and exports it); without it
the PostgreSQL tests skip. Each test gets its own schema (cheaper than a database) through the connection's
``search_path``, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from actdesk.storage.engine import Book
from actdesk.storage.open import open_book

PG_ENV = "ACTDESK_TEST_PG_URL"


def pg_admin_url() -> URL:
    raw = os.environ.get(PG_ENV)
    if not raw:
        pytest.skip(f"{PG_ENV} is not set (no PostgreSQL server for this run)")
    return make_url(raw)


@pytest.fixture
def pg_url() -> Iterator[URL]:
    """The URL of a fresh, empty schema on the test server (dropped after the test)."""
    admin = pg_admin_url()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = admin.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url
    finally:
        with engine.connect() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture
def pg_book(pg_url: URL) -> Iterator[Book]:
    """A fresh, migrated, empty book on the PostgreSQL test server."""
    book = open_book(pg_url)
    yield book
    book.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_book(
    request: pytest.FixtureRequest, tmp_path: Path, make_book: Callable[[Path], Path]
) -> Iterator[Book]:
    """The same test on an SQLite file (a copy of the migrated empty book, as the ``book`` fixture's) and on
    the PostgreSQL server."""
    if request.param == "sqlite":
        book = open_book(make_book(tmp_path / "book.db"))
        yield book
        book.dispose()
    else:
        yield request.getfixturevalue("pg_book")
