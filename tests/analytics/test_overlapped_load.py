"""The KPI load's overlapped read: a second connection in a thread gives exactly what one connection
gives, and any commit while the two work makes the load start over on the session alone."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Connection, func, select, text
from tests.analytics.synthetic import signal_driven_book

from actdesk.storage import overlapped_read
from actdesk.storage.analytics_data import load_book_frames
from actdesk.storage.tables.book import HouseholdRow

AS_OF = date(2025, 12, 31)
FRAMES = ("households", "members", "periods")


@pytest.fixture
def synthetic(book):
    with book.session() as s:
        signal_driven_book(s, households=80)
    return book


def _count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(HouseholdRow)).scalar_one())


def test_overlapped_load_equals_the_load_on_one_connection(synthetic, monkeypatch) -> None:
    threads: list[str] = []
    real = overlapped_read._on_side

    def spy(connection, work):
        import threading

        threads.append(threading.current_thread().name)
        return real(connection, work)

    monkeypatch.setattr(overlapped_read, "_on_side", spy)
    with synthetic.reader() as s:
        together = load_book_frames(s, AS_OF, months=13)
    assert threads and threads[0].startswith("actdesk-overlapped-read")  # the second connection worked

    monkeypatch.setattr(overlapped_read, "_side_engine", lambda _session: None)
    with synthetic.reader() as s:
        alone = load_book_frames(s, AS_OF, months=13)
    for name in FRAMES:
        pd.testing.assert_frame_equal(getattr(together, name), getattr(alone, name), obj=name)
    pd.testing.assert_frame_equal(together.monthly, alone.monthly)
    assert together.records == alone.records and together.records.aum  # the KPIs' records, read by both


def test_a_commit_while_both_halves_run_makes_the_read_start_over_on_one_connection(synthetic) -> None:
    calls: list[str] = []

    def here_with_a_commit_from_elsewhere() -> int:
        calls.append("here")
        if len(calls) == 1:  # another connection commits while the two halves work
            with synthetic.engine.begin() as other:
                other.execute(
                    text(
                        "INSERT INTO households (name, status, version, created_at, updated_at) "
                        "VALUES ('Late household', 'prospect', 1, '2025-01-01', '2025-01-01')"
                    )
                )
        with synthetic.reader() as s:
            return int(s.execute(select(func.count()).select_from(HouseholdRow)).scalar_one())

    with synthetic.reader() as s:
        side_count, here_count = overlapped_read.overlapped(s, _count, here_with_a_commit_from_elsewhere)
    assert calls == ["here", "here"]  # the pair was not trusted and ran again, one after the other
    assert side_count == here_count == 81


def test_a_session_with_unsaved_changes_is_read_on_its_own_connection(synthetic) -> None:
    with synthetic.session() as s:
        s.add(HouseholdRow(name="Unsaved household", status="prospect"))
        s.flush()  # written in the session's transaction, not committed: only its connection sees it
        side_count, here_count = overlapped_read.overlapped(
            s, _count, lambda: int(s.execute(select(func.count()).select_from(HouseholdRow)).scalar_one())
        )
        s.rollback()
    assert side_count == here_count == 81
