"""``compute_kpis`` against a straightforward recomputation from the raw rows of a demo book (issue 21).

The recomputation reads every balance, flow and fee row with plain ``sqlite3`` and applies the definitions
of docs/metrics.md one household at a time, the slow obvious way; the KPIs come from SQL aggregates and
plain records. Dates include month-ends, 29 February and a date before the first client; the demo book
has households that left and came back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.kpis import compute_kpis
from actdesk.domain.analytics.periods import ClientPeriod, client_on
from actdesk.storage.book_records import load_book_records
from actdesk.storage.engine import Book
from actdesk.storage.repositories.client_periods import client_periods

AS_OF = date(2026, 6, 30)
DATES = (AS_OF, date(2026, 5, 31), date(2024, 2, 29), date(2021, 11, 15), date(1999, 12, 31))
CONFIG = AnalyticsConfig()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Book, Path]]:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    path = tmp_path_factory.mktemp("recomputed") / "demo.db"
    book = open_book(path)
    generate_demo(book, DemoOptions(households=30, seed=7, as_of=AS_OF, activities_per_household=1))
    yield book, path
    book.dispose()


def cents(value: Decimal) -> int:
    return int(value * 100)


class Raw:
    """The book's rows, and the definitions applied to them one by one."""

    def __init__(self, book: Book, path: Path) -> None:
        with book.reader() as s:
            periods = client_periods(s)
        self.periods: dict[int, list[ClientPeriod]] = {}
        for p in periods:
            self.periods.setdefault(p.household_id, []).append(p)
        con = sqlite3.connect(path)
        self.households = [h for (h,) in con.execute("SELECT id FROM households ORDER BY id")]
        self.accounts = con.execute("SELECT id, household_id, managed FROM accounts").fetchall()
        self.balances: dict[int, list[tuple[date, int]]] = {}
        for account, day, cents_ in con.execute("SELECT account_id, date, balance_cents FROM balances"):
            self.balances.setdefault(account, []).append((date.fromisoformat(day), cents_))
        self.flows = [
            (household, date.fromisoformat(day), amount)
            for household, day, amount in con.execute(
                "SELECT a.household_id, f.date, f.amount_cents FROM flows f JOIN accounts a ON a.id = f.account_id"
                " WHERE a.managed"
            )
        ]
        self.fees = [
            (household, date.fromisoformat(day), amount, bool(recurring))
            for household, day, amount, recurring in con.execute(
                "SELECT household_id, date, amount_cents, recurring FROM fees"
            )
        ]
        con.close()

    def client(self, h: int, day: date) -> bool:
        return client_on(self.periods.get(h, []), day)

    def clients(self, day: date) -> list[int]:
        return [h for h in self.households if self.client(h, day)]

    def aum(self, h: int, day: date) -> int:
        total = 0
        for account, household, managed in self.accounts:
            if household == h and managed:
                known = [(d, c) for d, c in self.balances.get(account, []) if d <= day]
                total += max(known)[1] if known else 0
        return total

    def fees_in(self, start: date, end: date, households: list[int] | None = None) -> tuple[int, int]:
        rows = [
            (a, r) for h, d, a, r in self.fees if start < d <= end and (households is None or h in households)
        ]
        return sum(a for a, r in rows if r), sum(a for a, r in rows if not r)


@pytest.mark.parametrize("as_of", DATES)
def test_every_headline_kpi_equals_the_recomputation(demo: tuple[Book, Path], as_of: date) -> None:
    book, path = demo
    raw = Raw(book, path)
    with book.reader() as s:
        k = compute_kpis(load_book_records(s, as_of), as_of, CONFIG)
    start, prior = shift_months(as_of, -12), shift_months(as_of, -24)
    now, then = raw.clients(as_of), raw.clients(start)
    assert k["clients"] == len(now)
    assert cents(k["aum"]["total"]) == sum(raw.aum(h, as_of) for h in now)
    assert cents(k["aum"]["start"]) == sum(raw.aum(h, start) for h in then)
    in_period = {
        h
        for h in raw.households
        if any(p.start <= as_of and (p.end is None or p.end > start) for p in raw.periods.get(h, []))
    }
    flows = [a for h, d, a in raw.flows if start < d <= as_of and h in in_period]
    assert cents(k["aum"]["inflows"]) == sum(a for a in flows if a > 0)
    assert cents(k["aum"]["outflows"]) == sum(a for a in flows if a < 0)
    kept = [h for h in then if raw.client(h, as_of)]
    assert (k["retention"]["clients_at_start"], k["retention"]["retained"]) == (len(then), len(kept))
    assert k["retention"]["client_rate"] == (len(kept) / len(then) if then else None)
    assert {d["household_id"] for d in k["retention"]["departures"]} == set(then) - set(kept)
    recurring, one_off = raw.fees_in(start, as_of)
    assert (cents(k["revenue"]["recurring_t12m"]), cents(k["revenue"]["one_off_t12m"])) == (
        recurring,
        one_off,
    )
    assert cents(k["revenue"]["prior_t12m"]) == sum(raw.fees_in(prior, start))
    assert cents(k["revenue"]["clients_t12m"]) == sum(raw.fees_in(start, as_of, now))
    assert cents(k["book_value"]["recurring_run_rate"]) == raw.fees_in(start, as_of, now)[0]
    revenue = {h: sum(raw.fees_in(start, as_of, [h])) for h in now}
    ranked = sorted(now, key=lambda h: (-revenue[h], -raw.aum(h, as_of), h))
    assert [r["household_id"] for r in k["stack_ranking"]] == ranked[:10]
    assert sum(s["households"] for s in k["segments"].values()) == len(now)
    top = k["segments"]["A"]["households"]
    assert cents(k["segments"]["A"]["revenue"]) == sum(revenue[h] for h in ranked[:top])
