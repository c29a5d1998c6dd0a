"""The series cache (migration 0014): a reopen reads the dashboard's monthly series instead of recomputing
them, the numbers read equal the recomputation, and any write to the tables they come from invalidates them."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
from sqlalchemy import text

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.services.dashboard.book import BookDashboard, gather_book
from actdesk.storage.repositories import series_cache

from .conftest import AS_OF

CONFIG = AnalyticsConfig()


def _gather(book) -> BookDashboard:
    return gather_book(book, AS_OF, CONFIG)


def _stored(book) -> list[str]:
    with book.reader() as s:
        return series_cache.keys(s)


def _assert_same(a: BookDashboard, b: BookDashboard) -> None:
    for name in ("aum", "revenue", "wallet", "retention"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert a.kpis == b.kpis


def _recomputed(book) -> BookDashboard:
    with book.session() as s:
        series_cache.clear(s)
    fresh = _gather(book)
    return fresh


def test_a_reopen_reads_what_the_first_open_stored(demo_book) -> None:
    first = _gather(demo_book)
    assert _stored(demo_book) == [f"book:{AS_OF.isoformat()}:25:5"]
    # Mark the stored AUM of the last month: the next gather shows the mark, so it read, not recomputed.
    with demo_book.session() as s:
        payload = json.loads(s.execute(text("SELECT payload FROM series_cache")).scalar_one())
        payload["monthly"][-1][2] += 12_300
        s.execute(text("UPDATE series_cache SET payload = :p"), {"p": json.dumps(payload)})
    again = _gather(demo_book)
    assert again.aum["aum"].iloc[-1] == first.aum["aum"].iloc[-1] + 123.0
    assert list(again.aum["aum"].iloc[:-1]) == list(first.aum["aum"].iloc[:-1])


def test_numbers_read_from_the_cache_equal_the_recomputation(demo_book) -> None:
    _gather(demo_book)
    cached = _gather(demo_book)
    assert _stored(demo_book)
    _assert_same(cached, _recomputed(demo_book))
    assert cached.aum["aum"].iloc[-1] > 0 and len(cached.retention) == 5  # real sums were compared


def test_a_write_invalidates(demo_book) -> None:
    before = _gather(demo_book)
    assert _stored(demo_book)
    with demo_book.session() as s:  # one balance of the as-of month corrected in place: no count changes
        s.execute(
            text(
                "UPDATE balances SET balance_cents = balance_cents + 5000000 WHERE date = :d AND account_id = "
                "(SELECT b.account_id FROM balances b JOIN accounts a ON a.id = b.account_id "
                "JOIN households h ON h.id = a.household_id "
                "WHERE a.managed AND h.status = 'client' AND b.date = :d LIMIT 1)"
            ),
            {"d": date(2026, 10, 31).isoformat()},
        )
    assert _stored(demo_book) == []  # the trigger emptied the cache
    after = _gather(demo_book)
    assert after.aum["aum"].iloc[-1] == before.aum["aum"].iloc[-1] + 50_000.0  # the latest balance on AS_OF
    _assert_same(after, _recomputed(demo_book))


def test_an_inserted_fee_invalidates(demo_book) -> None:
    _gather(demo_book)
    with demo_book.session() as s:
        s.execute(
            text(
                "INSERT INTO fees (household_id, date, amount_cents, recurring) "
                "SELECT id, :d, 777700, 0 FROM households WHERE status = 'client' LIMIT 1"
            ),
            {"d": date(2026, 11, 2).isoformat()},
        )
    assert _stored(demo_book) == []
    _assert_same(_gather(demo_book), _recomputed(demo_book))


def test_a_row_from_another_book_state_is_not_read(demo_book) -> None:
    with demo_book.reader() as s:
        digest = series_cache.current_digest(s)
        assert series_cache.read(s, "k", digest) is None
    with demo_book.session() as s:
        assert series_cache.write(s, "k", digest, {"x": 1})
        assert not series_cache.write(s, "other", "0" * 32, {"x": 2})  # computed before a change: refused
    with demo_book.reader() as s:
        stored = series_cache.read(s, "k", digest)
        assert stored is not None and stored[0] == {"x": 1}
        assert series_cache.read(s, "k", "f" * 32) is None
