"""Build a whole demo book from (households, seed, locale, as_of): same inputs, identical book.

Each part of the book draws from its own child of one ``numpy.random.SeedSequence``, so asking for more
activities does not change anybody's balances, and every number is reproducible.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from actdesk.services.book_format.clearing import book_counts, clear_book, reset_sequences
from actdesk.services.book_format.safety import pre_import_backup, record_import
from actdesk.services.demo.activities import build_activities
from actdesk.services.demo.content import LOCALES
from actdesk.services.demo.events import (
    build_life_events,
    build_notes,
    build_opportunities,
    build_referrals,
    build_relationships,
    build_tags,
)
from actdesk.services.demo.fees import build_fees
from actdesk.services.demo.households import CLIENT, COI, NEVER, Grid, Households, plan_households
from actdesk.services.demo.markets import plan_accounts, simulate
from actdesk.services.demo.people import People, Pools, build_people
from actdesk.services.demo.returns import (
    Return,
    build_return_rows,
    numbered,
    numbered_tuples,
    plan_returns,
    returns_rng,
)
from actdesk.services.demo.wealth import plan_wealth
from actdesk.services.demo.writer import BALANCE_COLUMNS, FLOW_COLUMNS, balance_rows, flow_rows, insert
from actdesk.settings import Settings
from actdesk.storage.bulk import bulk_insert
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError
from actdesk.storage.repositories.client_periods import sync_periods

DEFAULT_ACTIVITIES = 30.0


class BookNotEmptyError(BookError):
    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        super().__init__(
            f"this book already holds {counts.get('households', 0)} households; the demo only fills an empty "
            "book. Use --replace to delete the book's records and build the demo instead"
        )


@dataclass(frozen=True)
class DemoOptions:
    households: int = 150
    seed: int = 1
    locale: str = "en_US"
    as_of: date | None = None
    activities_per_household: float = DEFAULT_ACTIVITIES
    replace: bool = False
    returns: bool = True  # former clients who come back (off only to compare the rest of the book, in tests)


@dataclass
class DemoSummary:
    options: DemoOptions
    as_of: date
    rows: dict[str, int] = field(default_factory=dict)
    returning: list[int] = field(default_factory=list)  # ids of the households that came back
    replaced: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def generate_demo(
    book: Book,
    options: DemoOptions,
    progress: Callable[[str], None] | None = None,
    settings: Settings | None = None,
) -> DemoSummary:
    """Fill an empty book (or, with ``replace``, a book backed up first where ``settings`` keep backups)."""
    if options.households < 1:
        raise ValueError("a demo book needs at least one household")
    if options.locale not in LOCALES:
        raise ValueError(f"unknown locale {options.locale!r}; choose one of {', '.join(LOCALES)}")
    as_of = options.as_of or date.today()
    summary = DemoSummary(options=options, as_of=as_of)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now_clock = time.perf_counter()
        summary.seconds[name] = round(now_clock - clock, 3)
        clock = now_clock
        if progress is not None:
            progress(name)

    content = LOCALES[options.locale]
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(options.seed).spawn(12)]
    grid = Grid.ending(as_of)
    now = datetime(as_of.year, as_of.month, as_of.day, 18, 0, tzinfo=UTC)
    hh = plan_households(options.households, streams[0], content.leaving_reasons, content.death_reason)
    wealth = plan_wealth(hh, streams[1])
    pools = Pools.build(options.locale, options.seed)
    people = build_people(hh, grid, wealth.net_worth, content, pools, streams[2], options.locale == "es_ES")
    accounts, targets = plan_accounts(
        hh, wealth, people.age, (content.managed_custodians, content.held_away_custodians), streams[3]
    )
    series = simulate(hh, accounts, targets, people.age, people.risk, streams[4])
    lap("plan")
    fees = build_fees(hh, grid, series.household_aum, streams[5])
    referrals = build_referrals(hh, people, grid, content, streams[6])
    coi_contacts = {people.primary[int(h)] for h in np.nonzero(hh.kind == COI)[0]}
    relationships = build_relationships(hh, people, referrals, coi_contacts)
    life_events = build_life_events(hh, people, grid, content, streams[7])
    opportunities = build_opportunities(hh, accounts, targets, grid, content, streams[8])
    notes = build_notes(hh, people, grid, content, streams[9])
    tags = build_tags(hh, people, content, streams[10])
    activities = build_activities(
        hh, people, grid, content, options.activities_per_household, now, streams[11]
    )
    back_rng = returns_rng(options.seed)  # a stream of its own: every draw above is the same without returns
    returns = (
        plan_returns(hh, accounts, series, content, content.death_reason, back_rng) if options.returns else []
    )
    came_back = build_return_rows(returns, hh, accounts, series, people, grid, content, now, back_rng)
    summary.returning = [r.household + 1 for r in returns]
    lap("generate")

    backup_id = None
    if options.replace:  # the book as it was is kept in a verified, pinned backup, named in the audit entry
        with book.engine.connect() as conn:
            if any(book_counts(conn).values()):
                backup_id = pre_import_backup(book, "pre-replace", settings)
    with book.engine.begin() as conn:
        counts = book_counts(conn)
        if any(counts.values()):
            if not options.replace:
                raise BookNotEmptyError(counts)
            summary.replaced = clear_book(conn)
        rows = summary.rows
        rows["households"] = insert(conn, "households", _household_rows(hh, people, grid, returns))
        rows["household_tags"] = insert(conn, "household_tags", tags)
        rows["contacts"] = insert(conn, "contacts", people.rows)
        rows["contact_relationships"] = insert(conn, "contact_relationships", relationships)
        rows["accounts"] = insert(
            conn, "accounts", _account_rows(accounts, content.account_names, streams[3])
        ) + insert(conn, "accounts", came_back.accounts)
        lap("write people")
        rows["balances"] = bulk_insert(
            conn, "balances", BALANCE_COLUMNS, balance_rows(accounts, series, grid)
        )
        rows["balances"] += bulk_insert(conn, "balances", BALANCE_COLUMNS, came_back.balances)
        rows["flows"] = bulk_insert(
            conn, "flows", FLOW_COLUMNS, flow_rows(hh, accounts, series, grid, streams[4])
        )
        rows["flows"] += bulk_insert(
            conn, "flows", FLOW_COLUMNS, numbered_tuples(came_back.flows, rows["flows"] + 1)
        )
        lap("write balances")
        rows["fees"] = insert(conn, "fees", [*fees, *numbered(came_back.fees, len(fees) + 1)])
        rows["activities"] = insert(conn, "activities", activities)
        rows["activities"] += insert(
            conn, "activities", numbered(came_back.activities, rows["activities"] + 1)
        )
        rows["life_events"] = insert(conn, "life_events", life_events)
        rows["referrals"] = insert(conn, "referrals", referrals)
        rows["opportunities"] = insert(conn, "opportunities", opportunities)
        rows["notes"] = insert(conn, "notes", [*notes, *numbered(came_back.notes, len(notes) + 1)])
        insert(conn, "client_periods", came_back.periods)  # the period before a return
        sync_periods(conn)  # each client household's latest period (docs/metrics.md, leaving and returning)
        reset_sequences(conn)
        record_import(
            conn, mode="demo", folder=None, replaced=summary.replaced, added=rows, backup_id=backup_id
        )
        lap("write activities")
    return summary


def _household_rows(
    hh: Households, people: People, grid: Grid, returns: list[Return]
) -> list[dict[str, Any]]:
    """One row each; a household that came back is a client since its return (its latest period)."""
    rows: list[dict[str, Any]] = []
    contacts = {row["id"]: row for row in people.rows}
    back = {r.household: grid.day(r.month, r.day) for r in returns}
    for h in range(hh.n):
        departed = hh.until[h] < NEVER and h not in back
        since = grid.day(int(hh.since[h]), int(hh.since_day[h])) if hh.kind[h] == CLIENT else None
        since = back.get(h, since)
        until = grid.day(int(hh.until[h]), int(hh.until_day[h])) if departed else None
        created = contacts[people.primary[h]]["created_at"]
        assert isinstance(created, datetime)
        moved = until or back.get(h)
        updated = datetime(moved.year, moved.month, moved.day, 17, tzinfo=UTC) if moved else created
        rows.append(
            {
                "id": h + 1,
                "name": people.names[h],
                "status": ("former_client" if departed else "client") if hh.kind[h] == CLIENT else "prospect",
                "client_since": since,
                "client_until": until,
                "leaving_reason": hh.reason[h] if departed or h not in back else None,
                "owner": None,
                "created_at": created,
                "updated_at": max(updated, created),
            }
        )
    return rows


def _account_rows(accounts: Any, names: dict[str, str], rng: np.random.Generator) -> list[dict[str, Any]]:
    numbers = rng.integers(1000, 10000, len(accounts.household))
    return [
        {
            "id": i + 1,
            "household_id": int(accounts.household[i]) + 1,
            "custodian": accounts.custodian[i],
            "type": accounts.types[i],
            "managed": bool(accounts.managed[i]),
            "account_number": f"XXXX-{int(numbers[i])}",
            "name": names[accounts.types[i]],
        }
        for i in range(len(accounts.household))
    ]
