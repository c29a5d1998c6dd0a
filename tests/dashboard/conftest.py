"""Dashboard fixtures: a 60-household demo book built once per session and copied for each test."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

AS_OF = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    path = tmp_path_factory.mktemp("demo") / "demo60.db"
    book = open_book(path)
    try:
        generate_demo(book, DemoOptions(households=60, seed=3, as_of=AS_OF))
    finally:
        book.dispose()
    return path


@pytest.fixture
def demo_book(demo_template: Path, tmp_path: Path):
    from actdesk.storage.open import open_book

    target = tmp_path / "demo.db"
    shutil.copyfile(demo_template, target)
    book = open_book(target)
    yield book
    book.dispose()


def make_ctx(book, now: datetime = NOW, child=None):
    """``child``: the worker's shared child process (tests/shared_child.py), where the dashboard computes in
    one and its start or end is not what the test is about."""
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    return AppContext(
        book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: now, child=child
    )


@pytest.fixture(scope="module")
def shared_book(demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One copy per test module, for tests that only read (the retention model is fitted once)."""
    from actdesk.storage.open import open_book

    target = tmp_path_factory.mktemp("shared") / "demo.db"
    shutil.copyfile(demo_template, target)
    book = open_book(target)
    yield book
    book.dispose()


@pytest.fixture(scope="module")
def panel(qapp, shared_book, warm_child) -> Iterator[object]:
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    ctx = make_ctx(shared_book, child=warm_child)
    widget = BookDashboardPanel(ctx)
    widget.resize(1280, 800)
    widget.show()
    widget.activate()
    qapp.processEvents()
    assert widget.book_view.data is not None  # the tiles
    deadline = time.monotonic() + 30
    while widget.book_view.drawing and time.monotonic() < deadline:  # the charts, one per event-loop turn
        qapp.processEvents()
    assert not widget.book_view.drawing
    yield widget
    widget.close()
    widget.deleteLater()
    ctx.tasks.shutdown()
