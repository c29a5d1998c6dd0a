"""Several instances on one book: conflicting edits are refused to the second writer (nothing lost), the
audit chain takes concurrent writers, two senders send each message exactly once, and each instance hears
the others' commits."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from tests import factories as f
from tests.alerts import books as alert_books
from tests.mail.conftest import (  # noqa: F401  (fixtures: a real SMTP server with TLS and AUTH)
    FakeClock,
    general,
    password,
    smtp_factory,
    tls_material,
)
from tests.mail.helpers import queue as queue_campaign

from actdesk.domain.models import Activity
from actdesk.services.alerts.evaluation import evaluate_book
from actdesk.services.audit import verify_chain
from actdesk.services.mail.outbox import send_due
from actdesk.services.sync import ChangeListener
from actdesk.storage.engine import Book
from actdesk.storage.errors import ConflictError
from actdesk.storage.open import open_book
from actdesk.storage.repositories import activities
from actdesk.storage.repositories import alerts as alert_repo
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories import mail as mail_repo
from actdesk.storage.tables.audit import AuditRow
from actdesk.storage.tables.book import HouseholdRow
from actdesk.storage.tables.client_periods import ClientPeriodRow

T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


@pytest.fixture
def second(any_book: Book) -> Iterator[Book]:
    """Another instance on the same book (its own engine and connections)."""
    other = open_book(any_book.url)
    yield other
    other.dispose()


def in_threads(*work: Callable[[], Any]) -> list[Any]:
    """Run the callables at the same moment on their own threads; re-raise the first error."""
    start = threading.Barrier(len(work))
    results: list[Any] = [None] * len(work)
    errors: list[BaseException] = []

    def run(i: int, fn: Callable[[], Any]) -> None:
        start.wait()
        try:
            results[i] = fn()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(work)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_second_writer_of_a_household_gets_a_conflict(any_book: Book, second: Book) -> None:
    with any_book.session() as s:
        hid = f.household(s, "Smith household")
    with any_book.reader() as s:
        mine = repo.get_household(s, hid)
    with second.reader() as s:
        theirs = repo.get_household(s, hid)
    theirs.name = "Smith family (assistant)"
    with second.session() as s:
        repo.update_household(s, theirs)
    mine.leaving_reason = None
    mine.name = "Smith household (advisor)"
    with pytest.raises(ConflictError, match="changed elsewhere"), any_book.session() as s:
        repo.update_household(s, mine)
    with any_book.reader() as s:
        kept = repo.get_household(s, hid)
    assert kept.name == "Smith family (assistant)" and kept.version == 2  # the first edit is not lost
    # Reloaded, the second writer's edit goes through.
    kept.name = "Smith household (advisor)"
    with any_book.session() as s:
        assert repo.update_household(s, kept).version == 3


def test_second_writer_of_an_activity_gets_a_conflict(any_book: Book, second: Book) -> None:
    with any_book.session() as s:
        hid = f.household(s)
        aid = activities.add(
            s, Activity(household_id=hid, kind="call", subject="Annual review call", start=T0)
        )
        opened = activities.version_of(s, aid)
    with second.session() as s:
        activities.update(s, aid, expected_version=opened, subject="Review call (moved)")
    with pytest.raises(ConflictError), any_book.session() as s:
        activities.update(s, aid, expected_version=opened, outcome="Left a message")
    with any_book.reader() as s:
        now = activities.get(s, aid)
        assert now.subject == "Review call (moved)" and now.outcome is None
        assert activities.version_of(s, aid) == opened + 1


def test_concurrent_writers_keep_one_audit_chain(any_book: Book, second: Book) -> None:
    def writer(book: Book, prefix: str) -> None:
        for i in range(15):
            with book.session() as s:
                f.household(s, f"{prefix} {i}")

    in_threads(lambda: writer(any_book, "A"), lambda: writer(second, "B"))
    report = verify_chain(any_book)
    assert report.ok, report
    with any_book.reader() as s:
        ids = list(s.scalars(select(AuditRow.id).order_by(AuditRow.id)))
        written = s.scalar(select(func.count()).select_from(HouseholdRow)) + s.scalar(
            select(func.count()).select_from(ClientPeriodRow)
        )  # a client household is written with its client period: one entry each
    assert written >= 30 and ids == list(range(1, written + 1))


def test_two_senders_send_each_message_exactly_once(
    any_book: Book,
    second: Book,
    smtp_factory: Any,  # noqa: F811
    password: str,  # noqa: F811
    general: Any,  # noqa: F811
) -> None:
    server = smtp_factory()
    with any_book.session() as s:
        for i in range(24):
            hid = f.household(s, f"Client {i:02d}", since=date(2020, 1, 1))
            f.contact(s, hid, f"Pat{i:02d}", "Client", email=f"pat{i:02d}@example.org")
    cfg = server.settings(rate_per_minute=0)
    assert queue_campaign(any_book, cfg, general, T0).queued == 24

    one, two = in_threads(
        lambda: send_due(any_book, cfg, clock=FakeClock(T0)),
        lambda: send_due(second, cfg, clock=FakeClock(T0)),
    )

    delivered = sorted(e.rcpt_tos[0] for e in server.delivered)
    assert delivered == sorted(f"pat{i:02d}@example.org" for i in range(24))  # each exactly once
    assert one.sent + two.sent == 24 and one.failed == two.failed == 0
    with any_book.reader() as s:
        assert {m.state for m in mail_repo.list_messages(s)} == {"sent"}
    assert verify_chain(any_book).ok


def test_other_instances_edits_are_heard(pg_book: Book) -> None:
    other = open_book(pg_book.url)
    heard: queue.Queue[frozenset[str]] = queue.Queue()
    listener = ChangeListener(pg_book, heard.put, poll_seconds=0.1)
    listener.start()
    try:
        with pg_book.session() as s:  # our own edit: not reported back to us
            f.household(s, "Mine")
        with other.session() as s:
            hid = f.household(s, "Theirs")
            f.contact(s, hid, "Tom", "Theirs")
        tables = heard.get(timeout=10)
        assert {"households", "contacts"} <= tables
        with pytest.raises(queue.Empty), other.session() as s:  # rolled back: never announced
            f.household(s, "Undone")
            raise RuntimeError("cancelled")
    except RuntimeError:
        pass
    finally:
        listener.stop()
        other.dispose()
    assert heard.empty()


def test_two_alert_evaluations_at_once_write_one_set_of_alerts(any_book: Book, second: Book) -> None:
    ids = alert_books.build(any_book)
    when = alert_books.at(alert_books.AS_OF)
    one, two = in_threads(
        lambda: evaluate_book(any_book, alert_books.AS_OF, when),
        lambda: evaluate_book(second, alert_books.AS_OF, when),
    )
    with any_book.reader() as s:
        stored = [(a.household_id, a.rule) for a in alert_repo.active_alerts(s)]
    assert len(stored) == len(set(stored))  # the second merge saw the first's alerts: no duplicates
    assert set(stored) == {(a.household_id, a.rule) for a in one.alerts}
    assert ids.garcia in {h for h, _rule in stored}
    assert one.new_count + two.new_count >= len(stored)
