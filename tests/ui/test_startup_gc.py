"""The collector paused while the window starts (``ui/startup_gc.py``, issue 21): paused from the start,
resumed (with what is alive frozen) once the window has settled, at the deadline, or when the window goes."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from actdesk.ui import startup_gc
from actdesk.ui.startup_gc import StartupCollector


class FakeWindow(QWidget):
    sig_closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.specs = (SimpleNamespace(key="alerts"),)
        self.first_data_shown = False


def _ctx(**kw: object) -> SimpleNamespace:
    values: dict[str, object] = {"book_open": True, "read_only": False, "tasks": SimpleNamespace(busy=False)}
    values["alerts"] = SimpleNamespace(last_outcome=None, watcher=SimpleNamespace(busy=False))
    values.update(kw)
    return SimpleNamespace(**values)


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()


def test_paused_until_the_window_has_settled(qtbot) -> None:  # type: ignore[no-untyped-def]
    window, ctx = FakeWindow(), _ctx()
    qtbot.addWidget(window)
    collector = StartupCollector(window, ctx)  # type: ignore[arg-type]
    collector.start()
    assert not gc.isenabled() and collector.paused
    frozen = gc.get_freeze_count()
    collector._poll()
    assert not gc.isenabled()  # no numbers on screen yet
    window.first_data_shown = True
    ctx.tasks.busy = True
    collector._poll()
    assert not gc.isenabled()  # a task (the dashboard's frames, a chart) still runs
    ctx.tasks.busy = False
    collector._poll()
    assert not gc.isenabled()  # the first alert evaluation is not in
    ctx.alerts.last_outcome = object()
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5000)  # the collector's own timer resumes it
    assert not collector.paused
    assert gc.get_freeze_count() > frozen  # what start-up left alive is out of the collector's sight


def test_resumed_at_the_deadline_whatever_happens(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = FakeWindow()
    qtbot.addWidget(window)
    collector = StartupCollector(window, _ctx(book_open=False), deadline_s=0.0)  # type: ignore[arg-type]
    collector.start()
    assert not gc.isenabled()
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5000)


def test_resumed_when_the_window_closes_or_is_deleted(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = FakeWindow()
    qtbot.addWidget(window)
    StartupCollector(window, _ctx()).start()  # type: ignore[arg-type]
    window.sig_closing.emit()
    assert gc.isenabled()

    other = FakeWindow()
    StartupCollector(other, _ctx()).start()  # type: ignore[arg-type]
    assert not gc.isenabled()
    other.deleteLater()
    qtbot.waitUntil(lambda: gc.isenabled(), timeout=5000)


def test_alerts_settled_only_after_the_first_evaluation() -> None:
    window = SimpleNamespace(specs=(SimpleNamespace(key="alerts"),))
    assert not startup_gc.alerts_settled(window, _ctx(alerts=None))  # type: ignore[arg-type]
    busy = SimpleNamespace(last_outcome=object(), watcher=SimpleNamespace(busy=True))
    assert not startup_gc.alerts_settled(window, _ctx(alerts=busy))  # type: ignore[arg-type]
    done = SimpleNamespace(last_outcome=object(), watcher=SimpleNamespace(busy=False))
    assert startup_gc.alerts_settled(window, _ctx(alerts=done))  # type: ignore[arg-type]
    assert startup_gc.alerts_settled(window, _ctx(read_only=True))  # type: ignore[arg-type]
    assert startup_gc.alerts_settled(SimpleNamespace(specs=()), _ctx())  # type: ignore[arg-type]
