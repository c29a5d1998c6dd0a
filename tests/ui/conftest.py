"""Window fixtures: a real book, the real window, background tasks run inline (results still arrive queued)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from tests import factories as f


@pytest.fixture
def sample_book(book):
    """Three households with exact values: AUM Smith 2,500,000 > Lopez 900,000 > Young 0."""
    with book.session() as s:
        smith = f.household(s, "Smith household")
        f.contact(s, smith, "Ann", "Smith", email="ann@smith.example", city="Austin", phone="512-555-0100")
        a = f.account(s, smith)
        f.balance(s, a, date(2026, 10, 31), "2500000.00")
        lopez = f.household(s, "Lopez family", since=date(2019, 5, 1))
        f.contact(s, lopez, "Maria", "Lopez", email="maria@lopez.example", city="San Antonio")
        b = f.account(s, lopez, "brokerage")
        f.balance(s, b, date(2026, 10, 31), "900000.00")
        young = f.household(s, "Young household", status="prospect", since=None)
        f.contact(s, young, "Tom", "Young", city="Dallas")
    return book


def _build(qtbot, book, child=None):
    """``child``: the worker's shared child process (tests/shared_child.py), where a test's window computes in
    one (the Book dashboard, the alerts) and its start or end is not what the test is about."""
    from actdesk.app import build_window, configure_qsettings
    from actdesk.settings import load_settings
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    window, ctx = build_window(
        book,
        load_settings(),
        tasks=TaskRunner(inline=True),
        welcome=False,
        first_panel="households",
        background=False,  # no alert watcher or mail timer: tests/ui/test_wiring.py covers those
        child=child,
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    # the first panel opens after the first paint; the Book dashboard is never built for these tests
    qtbot.waitUntil(lambda: window.current_key == "households", timeout=3000)
    panel = window.panels["households"]
    qtbot.waitUntil(lambda: panel.loaded, timeout=3000)
    return window, ctx


@pytest.fixture
def window(qtbot, sample_book) -> Iterator[object]:
    win, ctx = _build(qtbot, sample_book)
    yield win
    win.close()
    ctx.tasks.shutdown()


@pytest.fixture
def empty_window(qtbot, book) -> Iterator[object]:
    win, ctx = _build(qtbot, book)
    yield win
    win.close()
    ctx.tasks.shutdown()
