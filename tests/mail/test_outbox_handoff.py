"""``actdesk outbox send`` while the window holds the book hands the work to the window (issue 25, item 13).

A real window panel in this process holds the book (its lock names it a window), a real SMTP server runs on
127.0.0.1, and the command line runs as a separate process, as cron would run it: it exits 0 and says the
window will send; the window sends; nothing goes out twice, however many requests arrive.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.mail.helpers import queue, small_book

from actdesk.services.mail.config import save_mail_settings
from actdesk.services.mail.send_request import leave_request, request_path, take_request
from actdesk.settings import load_settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(db), "outbox", "send", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=120,
    )


@pytest.fixture
def window_book(tmp_path: Path) -> Iterator[Book]:
    """The book opened as the window opens it (app.run says it is the window before opening)."""
    from actdesk.storage.lock import set_program
    from actdesk.storage.open import open_book

    set_program("window")
    try:
        opened = open_book(tmp_path / "book.db")
    finally:
        set_program("command")
    yield opened
    opened.dispose()


def _panel(qtbot: Any, book: Book, cfg: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    from actdesk.ui.context import AppContext
    from actdesk.ui.mail import panel as panel_module
    from actdesk.ui.mail import service as service_module
    from actdesk.ui.tasks import TaskRunner

    # The send loop's own schedule (first run after 15 s, then every minute) is pushed out of the test's
    # reach, so that whatever is sent here was sent because of the request.
    monkeypatch.setattr(service_module, "FIRST_RUN_MS", 3_600_000)
    monkeypatch.setattr(service_module, "SEND_INTERVAL_MS", 3_600_000)
    settings = load_settings()
    save_mail_settings(settings, cfg)
    ctx = AppContext(book=book, settings=settings, tasks=TaskRunner())
    panel = panel_module.CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    return panel, ctx


def _queued(book: Book, smtp_server: Any, general: Any) -> tuple[Book, Path, Any]:
    """The window's book with two messages queued for the test server: (book, its file, mail settings)."""
    db = book.lock.database if book.lock is not None else Path()
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, datetime(2026, 3, 2, tzinfo=UTC))
    return book, db, cfg


def _states(book: Book) -> dict[int, str]:
    with book.reader() as s:
        return {m.id: m.state for m in repo.list_messages(s)}


def test_outbox_send_while_the_window_holds_the_book_is_sent_by_the_window_once(
    qtbot: Any,
    window_book: Book,
    smtp_server: Any,
    password: str,
    general: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book, db, cfg = _queued(window_book, smtp_server, general)
    queued = _states(book)
    assert len(queued) == 2 and set(queued.values()) == {"queued"}
    panel, ctx = _panel(qtbot, book, cfg, monkeypatch)
    try:
        assert panel.requests is not None

        done = _cli(db, "--json")
        assert done.returncode == 0, done.stderr
        payload = json.loads(done.stdout)
        assert payload["handed_to_window"] is True and payload["sent"] == 0
        assert payload["request"] == str(request_path(db))
        qtbot.waitUntil(lambda: len(smtp_server.delivered) == 2, timeout=30_000)
        qtbot.waitUntil(lambda: set(_states(book).values()) == {"sent"}, timeout=10_000)
        assert not request_path(db).exists()  # taken

        # Again, in words this time: one line, exit 0; nothing is due, nothing goes out twice.
        again = _cli(db)
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip().splitlines() == [
            "The window has the book open; it will send the due messages now."
        ]
        qtbot.waitUntil(lambda: panel.requests.taken == 2, timeout=30_000)
        qtbot.waitUntil(lambda: panel._sending is None, timeout=10_000)
        # A request taken while a send runs makes one more send after it; each message still goes once.
        leave_request(db)
        panel.send_now()
        assert panel.requests.check()  # what every send tick does first
        qtbot.waitUntil(lambda: panel._sending is None and not panel._send_again, timeout=10_000)
        assert len(smtp_server.delivered) == 2
        recipients = sorted(addr for env in smtp_server.delivered for addr in env.rcpt_tos)
        assert recipients == sorted(set(recipients))
    finally:
        ctx.tasks.shutdown()


def test_a_request_left_while_no_window_watched_is_taken_when_the_panel_starts(
    qtbot: Any,
    window_book: Book,
    smtp_server: Any,
    password: str,
    general: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    book, db, cfg = _queued(window_book, smtp_server, general)
    leave_request(db)
    assert oct(request_path(db).stat().st_mode & 0o777) == oct(0o600)
    panel, ctx = _panel(qtbot, book, cfg, monkeypatch)
    try:
        qtbot.waitUntil(lambda: len(smtp_server.delivered) == 2, timeout=30_000)
        assert panel.requests is not None and panel.requests.taken == 1
    finally:
        ctx.tasks.shutdown()


def test_a_book_held_by_another_command_is_not_handed_over(
    book: Book, db_path: Path, smtp_server: Any, password: str
) -> None:
    """Only a window takes requests: a book held by a command (an import, say) still refuses, exit 1."""
    save_mail_settings(load_settings(), smtp_server.settings())
    done = _cli(db_path, "--json")
    assert done.returncode == 1 and "is open in" in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not request_path(db_path).exists()


def test_take_request_reads_and_removes_and_tolerates_a_damaged_file(tmp_path: Path) -> None:
    db = tmp_path / "book.db"
    assert take_request(db) is None
    leave_request(db, datetime(2026, 3, 2, 14, tzinfo=UTC))
    taken = take_request(db)
    assert (
        taken is not None and taken.requested_at.startswith("2026-03-02T14:00") and taken.pid == os.getpid()
    )
    assert take_request(db) is None
    request_path(db).write_text("{not json", encoding="utf-8")
    assert take_request(db) is not None and not request_path(db).exists()
