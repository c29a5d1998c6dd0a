"""The Reports panel through qtbot: pick a report, see its preview, export, cancel an export."""

from __future__ import annotations

import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt

from actdesk.services.reports.catalogue import REPORTS
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.ui.context import AppContext
from actdesk.ui.tasks import TaskRunner

NOW = datetime(2026, 7, 3, 15, tzinfo=UTC)


def make_panel(qtbot, book: Book, inline: bool = False):
    from actdesk.ui.reports.panel import ReportsPanel

    settings = Settings(raw={"schedule": {"time_zone": "UTC"}})
    settings.general.practice_name = "Harbor Point Wealth"
    ctx = AppContext(book=book, settings=settings, tasks=TaskRunner(inline=inline), now=lambda: NOW)
    panel = ReportsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1280, 800)
    return panel, ctx


def test_the_panel_module_does_not_load_matplotlib_or_pandas() -> None:
    import subprocess

    code = "import sys, actdesk.ui.reports.panel; print('matplotlib' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_select_preview_and_export(qtbot, qapp, qtmodeltester, demo_book: Book, tmp_path: Path) -> None:
    panel, ctx = make_panel(qtbot, demo_book)
    qtmodeltester.check(panel.catalogue_model)
    assert panel.catalogue_model.rowCount() == len(REPORTS)
    assert panel.as_of_date().isoformat() == "2026-06-30"
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000) as shown:
        panel.select_report("stack-ranking")
    assert shown.args == ["stack-ranking"]
    assert panel.title.text() == "Stack ranking and trends"
    assert "Jun 30, 2026" in panel.subtitle.text()
    view = panel.preview.tables["ranking"]
    qtmodeltester.check(view.model())
    model = view.model()
    assert model.rowCount() == len(panel.report.sections[0].table.rows) + 1  # + totals
    # sorting by household keeps the totals row last
    view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert model.index(model.rowCount() - 1, 1).data() == "Total"
    view.sortByColumn(3, Qt.SortOrder.DescendingOrder)
    assert model.index(model.rowCount() - 1, 1).data() == "Total"
    assert "ranking" in panel.preview.charts
    from actdesk.ui import theme

    theme.apply_theme(qapp, "light")
    panel.show()
    panel.grab().save(str(tmp_path / "preview.png"))
    import shutil

    shutil.copy(tmp_path / "preview.png", "/tmp/reports-panel.png")

    target = tmp_path / "ranking.pdf"
    with qtbot.waitSignal(panel.sig_export_finished, timeout=20000) as done:
        panel.export("pdf", target)
    assert done.args[0] == [target]
    assert "Harbor Point Wealth" in PdfReader(target).pages[0].extract_text()
    with qtbot.waitSignal(panel.sig_export_finished, timeout=20000) as done:
        panel.export("png", tmp_path / "charts.png")
    assert len(done.args[0]) >= 2 and all(p.exists() for p in done.args[0])
    ctx.tasks.shutdown()


def test_cancel_an_export_leaves_no_file(qtbot, small_book: Book, tmp_path: Path) -> None:
    panel, ctx = make_panel(qtbot, small_book)
    panel.show()
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000):
        panel.select_report("investment")
    assert panel.report is not None and panel.report.has_data
    assert not panel.cancel_button.isVisible()  # nothing to cancel yet
    # Hold the export worker busy so that Cancel is pressed while the export waits its turn / starts.
    gate = threading.Event()
    ctx.tasks.run_task(lambda _state: gate.wait(10), pool="compute")
    target = tmp_path / "investment.xlsx"
    handle = panel.export("xlsx", target)
    assert handle is not None
    assert panel.isVisible() and panel.cancel_button.isVisible()
    assert not panel.export_buttons["pdf"].isEnabled()  # one export at a time
    panel.cancel_button.click()
    with qtbot.waitSignal(handle.sig_finished, timeout=15000):
        gate.set()
    assert handle.cancelled
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".part" or p.name.startswith(".investment")]
    assert panel.export_buttons["pdf"].isEnabled()
    ctx.tasks.shutdown()


def test_empty_book_shows_what_would_fill_the_report(qtbot, book: Book) -> None:
    panel, _ctx = make_panel(qtbot, book, inline=True)
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000):
        panel.select_report("pipeline")
    assert panel.report is not None and not panel.report.has_data
    # an empty report says so and offers nothing to export
    assert not any(b.isEnabled() for b in panel.export_buttons.values())
    texts = [w.text_label.text() for w in panel.preview.findChildren(type(panel.placeholder))]
    assert any("Pipeline" in t for t in texts)


@pytest.mark.parametrize("key", [r.key for r in REPORTS])
def test_every_report_builds_in_the_window(qtbot, small_book: Book, key: str) -> None:
    """The window passes the report settings the command line passes (the compensation report once failed
    with "'Settings' object has no attribute 'tiers'")."""
    panel, _ctx = make_panel(qtbot, small_book, inline=True)
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000):
        panel.select_report(key)
    assert panel.report is not None and panel.report.key == key
    assert panel.stack.currentWidget() is panel.preview
    if panel.report.has_data:
        assert panel.preview.tables or panel.preview.charts
        assert panel.export_buttons["pdf"].isEnabled()


def test_a_failed_report_clears_the_view_and_says_what_to_do(
    qtbot, small_book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel, _ctx = make_panel(qtbot, small_book, inline=True)
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000):
        panel.select_report("investment")
    assert panel.preview.tables
    from actdesk.ui.reports import panel as panel_module

    def broken(*_args: object) -> None:
        raise AttributeError("'Settings' object has no attribute 'tiers'")

    monkeypatch.setattr(panel_module, "build_report", broken)
    panel.select_report("compensation")
    qtbot.waitUntil(lambda: not panel.retry_button.isHidden(), timeout=15000)
    assert panel.report is None
    assert panel.stack.currentWidget() is panel.placeholder
    assert not panel.preview.tables and not panel.preview.charts
    assert panel.title.text() == "Incentive compensation"
    shown = panel.placeholder.title_label.text() + panel.placeholder.text_label.text() + panel.subtitle.text()
    assert "could not be built" in shown and "Try again" in shown
    assert "tiers" not in shown and "Settings" not in shown  # no Python text in the sentence
    assert not panel.retry_button.isHidden()
    assert not any(b.isEnabled() for b in panel.export_buttons.values())
    monkeypatch.undo()
    with qtbot.waitSignal(panel.sig_report_shown, timeout=15000):
        panel.retry_button.click()
    assert panel.report is not None and panel.stack.currentWidget() is panel.preview
