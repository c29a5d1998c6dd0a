"""The heavy half in a child process: failures surface to the panel, a dead child falls back, no orphans."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import UTC, datetime

from tests.shared_child import processes_of_others

from actdesk.domain.alerts import AlertSettings
from actdesk.services.alerts.child import ChildProcess
from actdesk.services.alerts.evaluation import evaluate_book, evaluate_with_child
from actdesk.ui.alerts.panel import AlertsPanel

from .books import AS_OF, build
from .test_panel import make_ctx

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def _never() -> bool:
    return False


def _left_running() -> list[multiprocessing.process.BaseProcess]:
    """Child processes still alive, but for the window tests' shared child (tests/shared_child.py), which this
    worker may hold for its session."""
    others = processes_of_others()
    return [p for p in multiprocessing.active_children() if p not in others]


def test_child_evaluation_equals_the_in_thread_one(book) -> None:
    build(book)
    child = ChildProcess()
    try:
        remote = evaluate_with_child(book, AS_OF, NOW, AlertSettings(), child, should_stop=_never)
        assert remote.in_child and child.runs == 1 and child.processes
    finally:
        assert child.shutdown()
    local = evaluate_book(book, AS_OF, NOW, persist=False)
    assert not local.in_child
    assert [(f.household_id, f.rule, f.explanation) for f in remote.findings] == [
        (f.household_id, f.rule, f.explanation) for f in local.findings
    ]
    assert child.processes == [] and _left_running() == []


def test_a_killed_child_falls_back_to_the_thread_then_restarts(book) -> None:
    build(book)
    child = ChildProcess()
    try:
        evaluate_with_child(book, AS_OF, NOW, AlertSettings(), child, should_stop=_never)
        (process,) = child.processes
        os.kill(process.pid, signal.SIGKILL)  # the operating system took it (out of memory, say)
        process.join(5)
        fallback = evaluate_with_child(book, AS_OF, NOW, AlertSettings(), child, should_stop=_never)
        assert not fallback.in_child and fallback.alerts and child.fallbacks == 1
        again = evaluate_with_child(book, AS_OF, NOW, AlertSettings(), child, should_stop=_never)
        assert again.in_child and child.failures == 0  # a fresh child for the next run
    finally:
        assert child.shutdown()
    assert _left_running() == []


def test_a_vanished_book_is_reported_to_the_panel_and_closing_ends_the_child(qtbot, book) -> None:
    build(book)
    ctx = make_ctx(book)
    messages: list[str] = []
    ctx.signals.status_message.connect(messages.append)
    panel = AlertsPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.last_outcome is not None, timeout=30_000)
    assert panel.last_outcome.in_child and panel.watcher.child.processes
    moved = book.path.with_name("moved.db")
    book.path.rename(moved)  # the book's folder was synced away under the running app
    try:
        with qtbot.waitSignal(panel.watcher.sig_failed, timeout=30_000) as failed:
            panel.check_now()
        assert "is no longer at" in failed.args[0]
        assert any("Alerts could not be checked" in m and "book.db" in m for m in messages)
        assert panel.check_button.isEnabled() and panel.watcher.engine.alive
    finally:
        moved.rename(book.path)
    first = panel.last_outcome
    panel.check_now()  # the book is back: the same child checks it again
    qtbot.waitUntil(lambda: panel.last_outcome is not first, timeout=30_000)
    assert panel.last_outcome.in_child
    processes = panel.watcher.child.processes
    assert processes and all(p in multiprocessing.active_children() for p in processes)
    assert panel.shutdown()  # the window closes
    assert not any(p.is_alive() for p in processes)
    assert _left_running() == []
    ctx.tasks.shutdown()


def test_the_child_runs_with_the_windows_garbage_collector_thresholds() -> None:
    """Full collections of the default thresholds stalled the window 125-135 ms during an evaluation;
    the window and its child use the tuned ones (``actdesk.gc_tuning``)."""
    import gc

    from actdesk.gc_tuning import THRESHOLDS

    child = ChildProcess()
    try:
        assert child.run(gc.get_threshold, should_stop=_never) == THRESHOLDS
    finally:
        assert child.shutdown()
