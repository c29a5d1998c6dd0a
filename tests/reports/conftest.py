"""Books for the report tests: the demo generator's 40-household book (shared by a module) and a tiny book
with exact values built with the factories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.storage.engine import Book
from actdesk.storage.tables.book import HouseholdRow, OpportunityRow

AS_OF = date(2026, 6, 30)


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    opened = open_book(path)
    generate_demo(opened, DemoOptions(households=40, seed=3, as_of=AS_OF))
    yield opened
    opened.dispose()


def build_small_book(book: Book) -> None:
    """Two clients with owners, one prospect with an opportunity, a former client; values exact."""
    with book.session() as s:
        a = f.household(s, "Adams household", since=date(2020, 1, 1))
        b = f.household(s, "Baker household", since=date(2026, 2, 1))
        p = f.household(s, "Prospect household", status="prospect", since=None)
        s.get(HouseholdRow, a).owner = "Dana"  # type: ignore[union-attr]
        s.get(HouseholdRow, b).owner = "Eli"  # type: ignore[union-attr]
        ca = f.contact(s, a, "Ann", "Adams")
        f.contact(s, b, "Bob", "Baker")
        a1 = f.account(s, a, "ira", True, "Schwab")
        a2 = f.account(s, a, "brokerage", False, "Fidelity")
        b1 = f.account(s, b, "brokerage", True, "Schwab")
        f.balance(s, a1, date(2025, 6, 30), "900000")
        f.balance(s, a1, date(2026, 6, 30), "1000000")
        f.balance(s, a2, date(2026, 5, 31), "250000.50")
        f.balance(s, b1, date(2026, 6, 1), "400000")
        f.fee(s, a, date(2025, 9, 30), "2500")
        f.fee(s, a, date(2026, 3, 31), "2500")
        f.fee(s, a, date(2026, 4, 15), "1000", recurring=False)
        f.fee(s, b, date(2026, 6, 30), "1000")
        f.fee(s, a, date(2025, 3, 31), "2000")  # the year before: growth
        f.activity(s, a, "meeting", completed=datetime(2026, 6, 2, 15, tzinfo=UTC), owner="Dana")
        f.activity(s, a, "call", completed=datetime(2026, 5, 2, 15, tzinfo=UTC), owner="Dana")
        f.activity(s, b, "task", completed=datetime(2026, 4, 2, 15, tzinfo=UTC), owner="Eli")
        f.activity(s, b, "call", start=datetime(2026, 3, 1, 15, tzinfo=UTC), subject="Call back")  # overdue
        f.life_event(s, b, "retirement", date(2026, 3, 15))
        f.referral(s, ca, b, date(2026, 1, 10))
        s.add(
            OpportunityRow(
                household_id=p,
                kind="new_household",
                stage="proposal",
                expected_aum_cents=50_000_000,
                expected_revenue_cents=500_000,
                probability=0.5,
                source="Referral",
                created_at=datetime(2026, 5, 1, tzinfo=UTC),
                stage_changed_at=datetime(2026, 6, 1, tzinfo=UTC),
            )
        )


@pytest.fixture
def small_book(book: Book) -> Book:
    build_small_book(book)
    return book


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    d = tmp_path / "out"
    d.mkdir()
    return d
