"""The import wizard and history through the window: preview, confirm, households, cancel, undo."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select
from tests import factories

from actdesk.settings import Settings
from actdesk.storage.tables.book import ContactRow, HouseholdRow
from actdesk.ui.context import AppContext
from actdesk.ui.imports import models, open_import_history, open_import_wizard
from actdesk.ui.imports.history import ImportHistoryDialog
from actdesk.ui.imports.wizard import ImportWizard
from actdesk.ui.tasks import TaskRunner

from .helpers import SAMPLES, dump

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def run_through(qtbot, wizard: ImportWizard) -> None:
    wizard.start_preview()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page)
    wizard.start_import()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.done_page)


@pytest.fixture
def ctx(book, qapp):
    context = AppContext(book=book, settings=Settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
    yield context
    context.tasks.shutdown()


def test_wizard_previews_then_imports_and_offers_households(ctx, qtbot, tmp_path: Path) -> None:
    with ctx.book.session() as s:
        factories.contact(s, None, "Nora", "Appleby", email="nora@example.com", occupation="Partner (old)")
    wizard = open_import_wizard(ctx)
    assert isinstance(wizard, ImportWizard)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(SAMPLES / "iphone_3_0.vcf"))
    before = dump(ctx.book)
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page)
    assert dump(ctx.book) == before  # the preview wrote nothing
    assert wizard.adds.rowCount() == 1 and wizard.merges.rowCount() == 1
    assert wizard.tabs.tabText(1) == "To merge (1)"
    assert wizard.changes.rowCount() > 0  # first merge selected, its fields shown
    results = {
        wizard.changes.index(r, 0).data(): wizard.changes.index(r, 3).data()
        for r in range(wizard.changes.rowCount())
    }
    assert results["Occupation"] == "Book value kept" and results["City"] == "Added from the file"
    assert "1 photo was not imported" in wizard.notes_label.text()
    wizard.resize(1100, 700)
    wizard.grab().save(str(tmp_path / "preview.png"))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.done_page)
    assert wizard.done_step.suggestions.rowCount() == 1  # Nora (merged) and Theo (new) share an address
    with ctx.book.reader() as s:
        assert s.scalar(select(func.count()).select_from(ContactRow)) == 2


def test_households_are_created_only_when_ticked(ctx, qtbot, tmp_path: Path) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(SAMPLES / "iphone_3_0.vcf"))
    run_through(qtbot, wizard)
    assert wizard.done_step.suggestions.rowCount() == 1
    index = wizard.done_step.suggestions.index(0, 0)
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    qtbot.mouseClick(wizard.done_step.create_button, Qt.MouseButton.LeftButton)
    with ctx.book.reader() as s:
        assert s.scalar(select(func.count()).select_from(HouseholdRow)) == 0
    wizard.done_step.suggestions.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    wizard.grab().save(str(tmp_path / "done.png"))
    qtbot.mouseClick(wizard.done_step.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.done_step.suggestions.rowCount() == 0)
    with ctx.book.reader() as s:
        assert s.scalars(select(HouseholdRow.name)).all() == ["Appleby household"]
    assert wizard.done_step.own_button.isHidden()  # everyone imported now has a household


def test_each_contact_can_get_a_household_of_its_own(ctx, qtbot) -> None:
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(SAMPLES / "vcard_4_0.vcf"))
    run_through(qtbot, wizard)
    assert wizard.done_step.suggestions.rowCount() == 0
    assert not wizard.done_step.own_button.isHidden()
    wizard.done_step.own_button.click()
    qtbot.waitUntil(lambda: wizard.done_step.own_button.isHidden())
    with ctx.book.reader() as s:
        assert sorted(s.scalars(select(HouseholdRow.name))) == ["Ada Quinn", "Ben Ortiz"]


def test_unreadable_file_shows_the_reason_and_writes_nothing(ctx, qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    path = tmp_path / "notes.csv"
    path.write_text("Foo,Bar\n1,2\n")
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(path))
    wizard.start_preview()
    qtbot.waitUntil(lambda: bool(shown))
    assert "not recognised" in shown[0]
    assert wizard.pages.currentWidget() is wizard.choose_page


def test_history_lists_batches_and_undoes(ctx, qtbot, tmp_path: Path, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    before = dump(ctx.book)
    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(SAMPLES / "redtail_contacts.csv"))
    run_through(qtbot, wizard)
    history = open_import_history(ctx)
    assert isinstance(history, ImportHistoryDialog)
    qtbot.addWidget(history)
    qtbot.waitUntil(lambda: history.model.rowCount() == 1)
    assert history.model.index(0, 1).data() == "Contacts (CSV)"
    history.view.selectRow(0)
    assert history.undo_button.isEnabled()
    history.grab().save(str(tmp_path / "history.png"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(history.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.model.index(0, 6).data() == "Undone")
    assert dump(ctx.book) == before


def test_models_pass_the_model_tester(qtmodeltester) -> None:
    from actdesk.services.importers.jobs import parse_contacts_file

    parsed = parse_contacts_file(SAMPLES / "redtail_contacts.csv")
    adds = models.adds_model()
    adds.set_rows(parsed.records)
    qtmodeltester.check(adds)
    rejected = models.rejected_model()
    rejected.set_rows(parsed.rejected)
    qtmodeltester.check(rejected)
    suggestions = models.SuggestionsModel()
    qtmodeltester.check(suggestions)


def test_cancel_on_a_real_worker_thread_leaves_the_book_unchanged(book, qapp, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    lines = ["First Name,Last Name,Email"] + [f"P{n},Q{n},p{n}@example.com" for n in range(12000)]
    path.write_text("\n".join(lines) + "\n")
    runner = TaskRunner()  # a real worker thread: the GUI thread keeps processing events meanwhile
    context = AppContext(book=book, settings=Settings(), tasks=runner, now=lambda: NOW)
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(path))
    wizard.start_preview()
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page, timeout=20000)
    assert wizard.adds.rowCount() == 12000
    before = dump(book)
    progress: list[int] = []
    wizard.progress.valueChanged.connect(progress.append)
    wizard.start_import()
    assert wizard.pages.currentWidget() is wizard.work_page
    qtbot.waitUntil(lambda: bool(progress), timeout=20000)
    qtbot.mouseClick(wizard.cancel_button, Qt.MouseButton.LeftButton)
    assert (
        not wizard.cancel_button.isEnabled()
    )  # "Stopping…": the window waits for the outcome, not the worker
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is not wizard.work_page, timeout=20000)
    runner.shutdown(wait=True)
    if wizard.pages.currentWidget() is wizard.preview_page:  # stopped before the commit: rolled back
        assert dump(book) == before
    else:  # the commit had already happened: the wizard says so and the import is in the history
        assert wizard.pages.currentWidget() is wizard.done_page
        assert len(dump(book)["contacts"]) == 12000


def test_the_preview_lists_warnings_for_people_kept_with_a_field_left_out(ctx, qtbot) -> None:
    wizard = open_import_wizard(ctx)
    assert isinstance(wizard, ImportWizard)
    qtbot.addWidget(wizard)
    wizard.path_edit.setText(str(SAMPLES / "real_world" / "grouped_pobox_baddate.vcf"))
    qtbot.mouseClick(wizard.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.pages.currentWidget() is wizard.preview_page)
    assert wizard.adds.rowCount() == 2 and wizard.tabs.tabText(2) == "Rejected (0)"
    notes = wizard.notes_label.text()
    assert "Warnings:" in notes and "19723101" in notes and "'Handy'" in notes
