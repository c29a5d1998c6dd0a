"""The advisor's day on the 2,000-household book (issue 18): numbers, not timers.

- opening a contact card with its attention strip (query + widgets + layout, the task run inline), per card;
- one search keystroke in the Households list, including the single letter that matches most of the book,
  and the same keystrokes in quick find (Ctrl+K);
- showing the alert list grouped by household (all the book's open alerts, triage off: the worst case).

Usage: ``python bench/bench_advisor_day.py``. Targets: card < 100 ms, keystroke < 30 ms, grouped list < 100 ms.
The book is the runner's cached "practice" book, copied (the alert evaluation writes to it).

Each figure is the GUI thread's CPU time (``time.thread_time``): the work done, without the waiting for a
core that a shared machine adds (eight engineers on two cores here); the wall-clock median is given beside it.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import books

NOW = datetime(2026, 10, 31, 18, tzinfo=UTC)
KEYSTROKES = ("m", "ma", "mar", "mart", "z", "smith", "555")


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    from actdesk.ui import theme

    app = QApplication.instance() or QApplication(sys.argv[:1])
    theme.apply_theme(app, "light")  # type: ignore[arg-type]
    return app


def _ctx(book: Any) -> Any:
    from actdesk.settings import Settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.tasks import TaskRunner

    return AppContext(book=book, settings=Settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)


class Clock:
    """Both clocks of one sample: the GUI thread's CPU time and the wall."""

    def __init__(self) -> None:
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self._t: tuple[float, float] = (0.0, 0.0)

    def start(self) -> None:
        self._t = (time.thread_time(), time.perf_counter())

    def stop(self) -> None:
        self.cpu.append(time.thread_time() - self._t[0])
        self.wall.append(time.perf_counter() - self._t[1])


def _ms(clock: Clock) -> dict[str, float]:
    return {
        "cpu_median_ms": round(statistics.median(clock.cpu) * 1000, 1),
        "cpu_max_ms": round(max(clock.cpu) * 1000, 1),
        "wall_median_ms": round(statistics.median(clock.wall) * 1000, 1),
        "n": len(clock.cpu),
    }


def card_seconds(book: Any, app: Any, ids: list[int]) -> Clock:
    """One card opened, attention strip filled and laid out, per household (the first one warms up)."""
    from actdesk.ui.card.view import ContactCard

    card = ContactCard(_ctx(book))
    card.ask_model = False  # the model's reason comes later, from the child process's cache
    card.resize(520, 740)
    card.show()
    clock = Clock()
    for n, hid in enumerate(ids):
        if n:
            clock.start()
        card.load(hid)
        app.processEvents()
        card.grab()  # paint
        if n:
            clock.stop()
    card.close()
    return clock


def keystroke_seconds(book: Any, app: Any) -> dict[str, Clock]:
    """Households panel: each keystroke typed into the search field, filtered, refreshed and painted."""
    from actdesk.ui.households.panel import HouseholdsPanel
    from actdesk.ui.quick_find import QuickFind
    from actdesk.ui.tasks import TaskRunner

    ctx = _ctx(book)
    ctx.tasks = TaskRunner()  # as in the window: the card a keystroke selects loads off the GUI thread
    panel = HouseholdsPanel(ctx)
    panel.card.ask_model = False
    panel.resize(1266, 740)
    panel.show()
    deadline = time.monotonic() + 30
    while not panel.loaded and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    panel._card_timer.setInterval(60_000)  # the card after the typing pause is the card figure, not this one
    out = {"panel": Clock(), "panel_single_letter": Clock(), "quick_find": Clock()}
    for _round in range(3):
        for text in KEYSTROKES:
            panel.search.clear()
            app.processEvents()
            clock = out["panel_single_letter" if len(text) == 1 else "panel"]
            clock.start()
            panel.search.setText(text)
            app.processEvents()
            panel.table.viewport().grab()
            clock.stop()
    finder = QuickFind(ctx)
    finder.show()
    deadline = time.monotonic() + 30
    while not finder.items and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    for _round in range(3):
        for text in KEYSTROKES:
            out["quick_find"].start()
            finder.edit.setText(text)
            app.processEvents()
            finder.list.viewport().grab()
            out["quick_find"].stop()
    finder.close()
    panel.close()
    ctx.tasks.shutdown(wait=True)
    return out


def grouped_alerts_seconds(book: Any, app: Any) -> tuple[Clock, int, int]:
    """The grouped alert tree rebuilt from every open alert, expanded and painted."""
    from PySide6.QtWidgets import QTreeView

    from actdesk.services.alerts import actions
    from actdesk.storage.repositories.households import managed_aum_of
    from actdesk.ui.alerts.grouped import EXPANDED, GroupedAlertModel
    from actdesk.ui.alerts.model import AlertFilterProxy, AlertTableModel

    alerts = actions.list_current(book)
    with book.reader() as s:
        values = managed_aum_of(s, {a.household_id for a in alerts})
    model = AlertTableModel()
    proxy = AlertFilterProxy()
    proxy.setSourceModel(model)
    grouped = GroupedAlertModel(proxy)
    grouped.set_values(values)
    view = QTreeView()
    view.setUniformRowHeights(True)
    view.setModel(grouped)
    view.resize(900, 640)
    view.show()
    clock = Clock()
    groups = 0
    for n in range(6):
        if n:
            clock.start()
        model.set_alerts(alerts)
        for row in range(min(EXPANDED, grouped.rowCount())):  # as the panel does
            view.expand(grouped.index(row, 0))
        groups = grouped.rowCount()
        app.processEvents()
        view.viewport().grab()
        if n:
            clock.stop()
        model.set_alerts([])
        app.processEvents()
    return clock, len(alerts), groups


def main() -> dict[str, Any]:
    from actdesk.services.alerts.evaluation import evaluate_book
    from actdesk.storage.open import open_book
    from actdesk.storage.repositories.households import list_households

    cached = books.ensure_book(books.SIZES["practice"])
    copy = books.scratch_copy(cached)
    app = _app()
    book = open_book(copy)
    try:
        evaluate_book(book, NOW.date(), NOW)  # the book's alerts, as on the first day
        with book.reader() as s:
            rows = list_households(s)
        richest = [r.id for r in sorted(rows, key=lambda r: -r.aum)[:16]]
        spread = [r.id for r in rows[:: max(1, len(rows) // 16)]][:16]
        cards = card_seconds(book, app, [richest[0], *richest, *spread])
        keys = keystroke_seconds(book, app)
        grouped, n_alerts, n_groups = grouped_alerts_seconds(book, app)
        return {
            "households": len(rows),
            "card_with_attention_strip": _ms(cards),
            "search_keystroke_panel": _ms(keys["panel"]),
            "search_keystroke_single_letter": _ms(keys["panel_single_letter"]),
            "quick_find_keystroke": _ms(keys["quick_find"]),
            "grouped_alert_list": {**_ms(grouped), "alerts": n_alerts, "households": n_groups},
        }
    finally:
        book.dispose()
        shutil.rmtree(copy.parent, ignore_errors=True)


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
