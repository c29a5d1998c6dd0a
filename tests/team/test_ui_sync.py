"""The window hears other instances: a PostgreSQL notice, or (SQLite) a changed file when focus returns."""

from __future__ import annotations

from PySide6.QtCore import Qt
from tests import factories as f

from actdesk.settings import load_settings
from actdesk.storage.engine import Book, connect
from actdesk.storage.open import open_book
from actdesk.ui.context import AppContext
from actdesk.ui.sync import ALL_TOPICS, BookSync, topics_for
from actdesk.ui.tasks import TaskRunner


def test_tables_map_to_the_panels_topics() -> None:
    assert topics_for({"households", "contacts", "mail_messages", "alerts", "opportunities"}) == {
        "households",
        "contacts",
        "mail",
        "alerts",
        "pipeline",
    }
    assert topics_for(frozenset({"*"})) == set(ALL_TOPICS)
    assert topics_for({"audit_log"}) == set()


def _ctx(book: Book) -> AppContext:
    return AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True))


def test_an_edit_on_another_instance_refreshes_this_window(pg_book: Book, qtbot) -> None:
    ctx = _ctx(pg_book)
    sync = BookSync(ctx)
    assert sync.listener is not None
    assert sync.listener.wait_ready()
    other = open_book(pg_book.url)
    try:
        topics: list[str] = []
        ctx.signals.data_changed.connect(topics.append)
        with qtbot.waitSignal(ctx.signals.data_changed, timeout=10_000), other.session() as s:
            f.household(s, "Added by the assistant")
        assert "households" in topics
    finally:
        sync.stop()
        other.dispose()


def test_sqlite_book_refreshes_when_focus_returns_after_a_change(book: Book, qtbot, qapp) -> None:
    ctx = _ctx(book)
    state = qapp.applicationStateChanged
    sync = BookSync(ctx)
    assert sync.listener is None
    topics: list[str] = []
    ctx.signals.data_changed.connect(topics.append)
    state.emit(Qt.ApplicationState.ApplicationInactive)
    state.emit(Qt.ApplicationState.ApplicationActive)
    # The file is compared when focus returns, at once: nothing changed, so no refresh is even pending.
    assert topics == [] and not sync.pending
    state.emit(Qt.ApplicationState.ApplicationInactive)
    reader = connect(book.url)  # another process would open the file the same way
    with reader.session() as s:
        f.household(s, "Written elsewhere")
    reader.dispose()
    with qtbot.waitSignal(ctx.signals.data_changed, timeout=2000):
        state.emit(Qt.ApplicationState.ApplicationActive)
    assert "households" in topics
    sync.deleteLater()
