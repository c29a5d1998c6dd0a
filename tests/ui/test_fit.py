"""Every panel, tab and dialog of the advisor's day at 1280×800 and 1366×768, in English and Spanish, on the
150-household demo book: no visible label, button, tab or header section is cut, no widget is drawn outside
its parent, and table columns elide only where their view allows it (the household name never)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QWidget

from actdesk import i18n
from actdesk.storage.open import open_book

from .fit import fit_problems

SIZES = ((1280, 800), (1366, 768))
LANGUAGES = ("en", "es")
# Screens of other features, checked and reported too (an XFAIL names what does not fit there yet).
OTHERS = ("book", "campaigns", "pipeline", "reports")


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo book (150 households, seed 7), built once for the whole session."""
    from actdesk.services.demo import DemoOptions, generate_demo

    path = tmp_path_factory.mktemp("fit") / "demo.db"
    book = open_book(path)
    generate_demo(book, DemoOptions(households=150, seed=7, as_of=date.today()))
    book.dispose()
    return path


def _settle(app: QApplication, ctx: object, seconds: float = 8.0) -> None:
    deadline = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < deadline and quiet < 3:
        app.processEvents()
        quiet = quiet + 1 if not ctx.tasks.busy else 0  # type: ignore[attr-defined]
        time.sleep(0.02)
    app.processEvents()
    # Charts render off the GUI thread now, so "no task running" can come a few event-loop turns before a
    # late label change (the what-if's model line) has propagated its layout requests up to the scroll
    # area: let each level's posted request run before measuring.
    for _ in range(8):
        app.sendPostedEvents(None, QEvent.Type.LayoutRequest)


@pytest.fixture
def opened(qtbot, tmp_path, demo_file, monkeypatch, request, warm_child) -> Iterator[tuple[object, object]]:
    lang = request.param
    i18n.set_language(lang)
    shutil.copy(demo_file, tmp_path / "demo.db")
    book = open_book(tmp_path / "demo.db")
    from actdesk.app import build_window, configure_qsettings
    from actdesk.settings import load_settings
    from actdesk.ui import theme
    from actdesk.ui.main_window import MainWindow
    from actdesk.ui.tasks import TaskRunner

    monkeypatch.setattr(MainWindow, "initial_panel", lambda self: "households")  # a light first panel
    configure_qsettings()
    theme.apply_theme(
        QApplication.instance(), "light"
    )  # the app's style, font and spacing, as advisors see it
    window, ctx = build_window(book, load_settings(), tasks=TaskRunner(), welcome=False, child=warm_child)
    qtbot.addWidget(window)
    window.resize(*SIZES[0])
    window.show()
    qtbot.waitUntil(lambda: window.current_key == "households", timeout=10_000)
    yield window, ctx
    window.close()
    ctx.tasks.shutdown(wait=True)
    ctx.shutdown_child()
    book.dispose()
    i18n.set_language("en")


def _screens(window, ctx) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    app = QApplication.instance()
    panel = window.panels["households"]

    def show(key: str) -> Callable[[], QWidget]:
        def go() -> QWidget:
            window.show_panel(key)
            _settle(app, ctx)
            return window

        return go

    def card(status: str) -> Callable[[], QWidget]:
        def go() -> QWidget:
            window.show_panel("households")
            _settle(app, ctx)
            rows = [panel.model.item(r) for r in range(panel.model.rowCount())]
            chosen = max((r for r in rows if r.status.value == status), key=lambda r: (r.aum, r.members))
            panel.open_household(chosen.id)
            panel.splitter.setSizes([10_000, 1])  # the card at its narrowest
            _settle(app, ctx)
            return window

        return go

    def returning() -> QWidget:
        """The largest former client comes back a month after it left: the card of a returning client."""
        from datetime import timedelta

        from actdesk.storage.repositories.client_periods import client_periods, record_return

        window.show_panel("households")
        _settle(app, ctx)
        rows = [panel.model.item(r) for r in range(panel.model.rowCount())]
        chosen = max((r for r in rows if r.status.value == "former_client"), key=lambda r: (r.aum, r.members))
        with ctx.book.session() as s:
            left = client_periods(s, [chosen.id])[-1].end
            if left is not None:  # not back already (the window's second size)
                record_return(s, chosen.id, min(left + timedelta(days=30), date.today()))
        panel.open_household(chosen.id)
        panel.card.load(chosen.id)  # the former client's card may be open already: read it again
        panel.splitter.setSizes([10_000, 1])
        _settle(app, ctx)
        card = panel.card
        assert card.periods.return_button.isHidden() and card.periods.lines.text().count("\n") == 1
        return window

    def dialog(opener: Callable[[], QWidget]) -> Callable[[], QWidget]:
        def go() -> QWidget:
            window.show_panel("households")
            _settle(app, ctx)
            widget = opener()
            widget.show()
            _settle(app, ctx, 3)
            return widget

        return go

    def narrow_list() -> QWidget:
        window.show_panel("households")
        panel.splitter.setSizes([1, 10_000])  # the list at its narrowest: the names stay whole
        _settle(app, ctx)
        return window

    yield "households", show("households")
    yield "households-narrow", narrow_list
    yield "card-client", card("client")
    yield "card-prospect", card("prospect")
    yield "card-former", card("former_client")
    yield "card-returning", returning
    yield "card-departure", dialog(lambda: panel.card.periods.open_dialog(leaving=True))
    yield "schedule", show("schedule")
    yield "alerts", show("alerts")
    yield "quick-find", dialog(lambda: _typed(window.open_quick_find(), "mar"))
    yield "editor", dialog(lambda: panel.edit_current())
    yield (
        "shortcuts",
        dialog(lambda: window.menus.show_shortcuts() if hasattr(window, "menus") else _help(window)),
    )
    for key in OTHERS:
        if key in {s.key for s in window.specs}:
            yield key, show(key)


def _typed(finder, text: str):
    finder.edit.setText(text)
    return finder


def _help(window):
    from actdesk.ui.shell.shortcuts import shortcuts_dialog

    return shortcuts_dialog(window)


@pytest.mark.parametrize("opened", LANGUAGES, indirect=True)
def test_every_text_fits(opened) -> None:
    """Every screen at each size, in one window per language (resized: what fits must fit after a resize too)."""
    window, ctx = opened
    mine: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    for w, h in SIZES:
        window.resize(w, h)
        for name, open_screen in _screens(window, ctx):
            root = open_screen()
            problems = fit_problems(root)
            if root is not window:
                root.close()
            if problems:
                (others if name in OTHERS else mine)[f"{w}x{h} {name}"] = problems
    report = "\n".join(f"[{name}] {p}" for name, found in mine.items() for p in found)
    assert not mine, "texts that do not fit:\n" + report
    if others:
        print("other features' screens:\n" + "\n".join(f"[{n}] {p}" for n, f in others.items() for p in f))
        pytest.xfail(
            "other features' screens:\n" + "\n".join(f"[{n}] {p}" for n, f in others.items() for p in f)
        )


def test_the_checks_catch_what_they_look_for(qtbot) -> None:
    """Planted violations, one per check: each must be reported (a check that cannot fail proves nothing)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea, QTableView, QVBoxLayout

    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 300)
    layout = QVBoxLayout(root)
    label = QLabel("A label far too long for the forty pixels it is given", root)
    label.setFixedWidth(40)
    button = QPushButton("Open household", root)
    button.setFixedWidth(50)
    table = QTableView(root)
    model = QStandardItemModel(1, 2, table)
    model.setHorizontalHeaderLabels(["Primary contact", "City"])
    model.setData(model.index(0, 0), "Abbott, Lisa and the whole Abbott family")
    table.setModel(model)
    table.setColumnWidth(0, 40)
    table.setProperty("elidable_columns", [1])
    wrapped = QTableView(root)
    titles = QStandardItemModel(0, 2, wrapped)
    titles.setHorizontalHeaderLabels(["Cumulative share of revenue", "Growth of managed assets"])
    wrapped.setModel(titles)
    wrapped.setProperty("title_lines", 2)
    wrapped.setColumnWidth(0, 40)  # too narrow for two lines
    wrapped.setColumnWidth(1, 200)  # two lines fit
    explained = QTableView(
        root
    )  # a column wrapped onto two lines: elides only with the whole text in its tooltip
    notes = QStandardItemModel(2, 1, explained)
    long_note = "No heirs recorded for the household managed assets; a client for 132 days with one meeting"
    notes.setData(notes.index(0, 0), long_note + " so far.")
    notes.setData(notes.index(1, 0), long_note + " to date.")
    notes.setData(notes.index(1, 0), long_note + " to date.", Qt.ItemDataRole.ToolTipRole)
    explained.setModel(notes)
    explained.setProperty("elidable_columns", [])
    explained.setProperty("wrapped_columns", [[0, 2]])
    explained.setColumnWidth(0, 120)
    sideways = QTableView(root)
    sideways.setModel(QStandardItemModel(1, 3, sideways))
    for column in range(3):
        sideways.setColumnWidth(column, 300)
    sideways.setMinimumHeight(80)
    sideways.setProperty("elidable_columns", [0])  # promised to fit its width
    scroll = QScrollArea(root)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    wide = QWidget()
    wide.setMinimumSize(900, 60)
    scroll.setWidget(wide)
    for widget in (label, button, table, wrapped, explained, sideways, scroll):
        layout.addWidget(widget)
    stray = QLabel("x", root)
    stray.setGeometry(380, 280, 60, 40)
    root.show()
    qtbot.waitExposed(root)
    found = "\n".join(fit_problems(root))
    assert "label 'A label far too long" in found
    assert "button 'Open household'" in found
    assert "header 'Primary contact'" in found and "header 'City'" not in found
    assert "cell 'Abbott, Lisa" in found
    assert "header 'Cumulative share of revenue' does not fit 2 lines" in found
    assert "Growth of managed assets" not in found
    assert "so far.' does not fit 2 lines" in found and "to date." not in found
    assert "table scrolls sideways by" in found
    assert "view that cannot scroll sideways" in found
    assert "drawn outside its parent" in found
