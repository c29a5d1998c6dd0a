"""The import wizard: choose a file, see exactly what would happen, confirm, then group households.

Reading, previewing and writing run through ``ctx.tasks.run_task`` with progress and cancel, so the window
stays responsive on a 50,000-row file. Nothing is written before the user presses Import.
"""

from __future__ import annotations

import contextlib
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import N_, _, format_number, ngettext, user_message
from actdesk.services.importers import jobs
from actdesk.services.importers.apply import ImportResult
from actdesk.services.importers.mappings import ImportSettings, contact_mapping, list_mappings
from actdesk.services.importers.preview import ContactPreview
from actdesk.services.importers.records import KEEP, REPLACE
from actdesk.storage.engine import Book
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.imports import models
from actdesk.ui.imports.common import household_state, progress_check, table_view, touched_contacts
from actdesk.ui.imports.households_step import HouseholdsStep
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.topics import Topic

PRESET_LABELS = (
    ("auto", N_("Recognise automatically")),
    ("redtail", N_("Redtail CRM")),
    ("wealthbox", N_("Wealthbox")),
    ("google", N_("Google Contacts")),
    ("google-legacy", N_("Google Contacts (older export)")),
    ("outlook", N_("Microsoft Outlook")),
    ("vcard", N_("vCard (phone, Apple, Outlook)")),
)
SOURCE_LABELS = dict(PRESET_LABELS) | {"auto": N_("Columns recognised by name")}
FILE_FILTER = N_("Contacts (*.csv *.txt *.vcf *.vcard);;All files (*)")


def preview_task(
    state: TaskState, book: Book, path: Path, preset: str, mapping: Any, policy: str
) -> ContactPreview:
    check = progress_check(state, _("Reading the file…"))
    return jobs.preview_contacts(book, path, preset, mapping, policy, check=check)


class ImportCancelled(Exception):
    """The user stopped the import before it was committed; the transaction was rolled back."""


def import_task(
    state: TaskState, book: Book, preview: ContactPreview, now: datetime, stop: threading.Event
) -> tuple[ImportResult, tuple[list[Any], list[int]]]:
    """Write the import. Cancelling uses ``stop`` rather than the task's own cancel so that the window
    always hears the outcome: rolled back (ImportCancelled), or already committed (the result)."""

    def progress(done: int, total: int) -> None:
        if stop.is_set():
            raise ImportCancelled()
        state.progress(done / total if total else 0.0, _("Importing…"))

    result = jobs.import_contacts(book, preview, now, progress=progress)
    return result, household_state(book, touched_contacts(result, preview))


class ImportWizard(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.preview: ContactPreview | None = None
        self.import_result: ImportResult | None = None
        self.task: TaskHandle | None = None
        self.stop = threading.Event()
        self.importing = False
        self.setWindowTitle(_("Import contacts"))
        self.resize(980, 640)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S6, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        self.title = QLabel(self)
        self.title.setObjectName("CardTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("Muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages, 1)
        self.choose_page = self._build_choose()
        self.work_page = self._build_work()
        self.preview_page = self._build_preview()
        self.done_step = HouseholdsStep(ctx, self)
        self.done_step.sig_failed.connect(self._failed)
        self.done_page = self.done_step
        for page in (self.choose_page, self.work_page, self.preview_page, self.done_page):
            self.pages.addWidget(page)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.S2)
        self.back_button = QPushButton(_("Back"), self)
        self.cancel_button = QPushButton(_("Cancel"), self)
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("Primary")
        self.next_button.setDefault(True)
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.next_button)
        layout.addLayout(buttons)
        self.back_button.clicked.connect(self._back)
        self.cancel_button.clicked.connect(self._cancel)
        self.next_button.clicked.connect(self._next)
        self._show_choose()

    # ---- pages ---------------------------------------------------------------------------------
    def _build_choose(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setSpacing(theme.S3)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(page)
        self.path_edit.setPlaceholderText(
            _("Choose a CSV or vCard file exported from your old CRM, phone or e-mail")
        )
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(_("Browse…"), page)
        browse.clicked.connect(self._browse)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        form.addRow(_("File"), row)
        self.preset_combo = QComboBox(page)
        for key, label in PRESET_LABELS:
            self.preset_combo.addItem(_(label), key)
        for name in sorted(list_mappings(self.ctx.settings)["contacts"]):
            self.preset_combo.addItem(_("Saved mapping: {name}").format(name=name), f"mapping:{name}")
        form.addRow(_("Format"), self.preset_combo)
        self.policy_combo = QComboBox(page)
        self.policy_combo.addItem(_("Keep what is in the book"), KEEP)
        self.policy_combo.addItem(_("Use the file's values"), REPLACE)
        form.addRow(_("When both have a value"), self.policy_combo)
        hint = QLabel(
            _(
                "Redtail, Wealthbox, Google Contacts and Outlook exports are recognised by their columns; "
                "UTF-8, UTF-16 and Windows encodings and comma, semicolon or tab separators are detected. "
                "You will see every change before anything is written, and any import can be undone later."
            ),
            page,
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        form.addRow("", hint)
        return page

    def _build_work(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        self.work_label = QLabel(page)
        self.work_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar(page)
        self.progress.setRange(0, 1000)
        layout.addWidget(self.work_label)
        layout.addWidget(self.progress)
        layout.addStretch(2)
        return page

    def _build_preview(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(page)
        self.adds = models.adds_model(self)
        self.merges = models.merges_model(self)
        self.changes = models.changes_model(self)
        self.rejected_rows = models.rejected_model(self)
        self.adds_view = table_view(self.adds, page)
        merge_split = QSplitter(Qt.Orientation.Vertical, page)
        self.merges_view = table_view(self.merges, merge_split)
        self.changes_view = table_view(self.changes, merge_split)
        merge_split.addWidget(self.merges_view)
        merge_split.addWidget(self.changes_view)
        self.merges_view.selectionModel().currentRowChanged.connect(self._show_changes)
        self.rejected_view = table_view(self.rejected_rows, page)
        self.tabs.addTab(self.adds_view, "")
        self.tabs.addTab(merge_split, "")
        self.tabs.addTab(self.rejected_view, "")
        self.notes_label = QLabel(page)
        self.notes_label.setObjectName("Muted")
        self.notes_label.setWordWrap(True)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notes_label)
        return page

    # ---- navigation ----------------------------------------------------------------------------
    def _show_choose(self) -> None:
        self.pages.setCurrentWidget(self.choose_page)
        self.title.setText(_("Import contacts"))
        self.subtitle.setText(_("Step 1 of 3: choose the file"))
        self.next_button.setText(_("Preview"))
        self.back_button.setVisible(False)
        self._update_buttons()

    def _update_buttons(self) -> None:
        if self.pages.currentWidget() is self.choose_page:
            self.next_button.setEnabled(bool(self.path_edit.text().strip()))

    def _browse(self) -> None:
        section = self.ctx.settings.section(ImportSettings)
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose a file to import"), section.last_folder, _(FILE_FILTER)
        )
        if path:
            self.path_edit.setText(path)
            section.last_folder = str(Path(path).parent)
            self.ctx.settings.set_section(section)
            with contextlib.suppress(OSError):  # remembering the folder is a convenience only
                self.ctx.settings.save()

    def _working(self, text: str) -> None:
        self.pages.setCurrentWidget(self.work_page)
        self.work_label.setText(text)
        self.progress.setValue(0)
        self.back_button.setVisible(False)
        self.next_button.setEnabled(False)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(fraction * 1000))
        if message and not self.stop.is_set():
            self.work_label.setText(message)

    def _next(self) -> None:
        page = self.pages.currentWidget()
        if page is self.choose_page:
            self.start_preview()
        elif page is self.preview_page:
            self.start_import()
        elif page is self.done_page:
            self.accept()

    def _back(self) -> None:
        self._show_choose()

    def _cancel(self) -> None:
        if self.importing:
            self.stop.set()
            self.work_label.setText(_("Stopping…"))
            self.cancel_button.setEnabled(False)
            return
        if self.task is not None:
            self.task.cancel()
            self.task = None
            self.ctx.signals.status_message.emit(_("Import cancelled; nothing was written."))
            if self.preview is not None:
                self._show_preview(self.preview)
            else:
                self._show_choose()
            return
        self.reject()

    # ---- work ------------------------------------------------------------------------------------
    def start_preview(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        choice = str(self.preset_combo.currentData())
        mapping = None
        preset = choice
        try:
            if choice.startswith("mapping:"):
                mapping, preset = contact_mapping(self.ctx.settings, choice.split(":", 1)[1]), "auto"
        except Exception as exc:  # a saved mapping that no longer validates
            self._failed(exc)
            return
        self.preview = None
        self._working(_("Reading the file…"))
        self.task = self.ctx.tasks.run_task(
            preview_task,
            self.ctx.book,
            path,
            preset,
            mapping,
            str(self.policy_combo.currentData()),
            on_done=self._show_preview,
            on_error=self._failed,
            on_progress=self._on_progress,
        )

    def _show_preview(self, preview: ContactPreview) -> None:
        self.task = None
        self.preview = preview
        self.pages.setCurrentWidget(self.preview_page)
        counts = preview.counts
        self.title.setText(_("Check before importing"))
        source = _(SOURCE_LABELS.get(preview.source, preview.source))
        self.subtitle.setText(_("Step 2 of 3: {source}. Nothing has been written yet.").format(source=source))
        self.adds.set_rows(preview.adds)
        self.merges.set_rows(preview.merges)
        self.rejected_rows.set_rows(preview.rejected)
        self.changes.set_rows([])
        self.tabs.setTabText(0, _("To add ({n})").format(n=format_number(counts["added"])))
        self.tabs.setTabText(1, _("To merge ({n})").format(n=format_number(counts["merged"])))
        self.tabs.setTabText(2, _("Rejected ({n})").format(n=format_number(counts["rejected"])))
        for view in (self.adds_view, self.merges_view, self.rejected_view, self.changes_view):
            view.resizeColumnsToContents()
            for column in range(view.model().columnCount()):
                view.setColumnWidth(column, min(view.columnWidth(column), 320))
        self.rejected_view.setColumnWidth(1, min(self.rejected_view.sizeHintForColumn(1) + 24, 560))
        if preview.merges:
            self.merges_view.selectRow(0)
        notes = []
        photos = next((n for n in preview.notes if n.startswith("photos:")), None)
        if photos:
            count = int(photos.split(":")[1])
            notes.append(
                ngettext(
                    "{n} photo was not imported (the book keeps no photos).",
                    "{n} photos were not imported (the book keeps no photos).",
                    count,
                ).format(n=count)
            )
        if preview.new_households:
            notes.append(
                _("New households from the file: {names}.").format(names=", ".join(preview.new_households))
            )
        if preview.warnings:  # people kept with a field left out, and doubts about the file's encoding
            listed = "; ".join(
                (_("line {n}").format(n=w.line) + ": " if w.line else "") + w.reason
                for w in preview.warnings[:8]
            )
            more = len(preview.warnings) - 8
            notes.append(
                _("Warnings: {list}").format(list=listed)
                + (" " + _("(and {n} more)").format(n=more) if more > 0 else "")
            )
        self.notes_label.setText(" ".join(notes))
        self.notes_label.setVisible(bool(notes))
        total = counts["added"] + counts["merged"]
        self.next_button.setText(
            ngettext("Import {n} contact", "Import {n} contacts", total).format(n=format_number(total))
        )
        self.next_button.setEnabled(total > 0)
        self.back_button.setVisible(True)

    def _show_changes(self, current: Any, _previous: Any = None) -> None:
        if current.isValid():
            self.changes.set_rows(self.merges.row_at(current.row()).changes)
            self.changes_view.resizeColumnsToContents()

    def start_import(self) -> None:
        if self.preview is None:
            return
        self._working(_("Importing…"))
        self.stop = threading.Event()
        self.importing = True
        self.task = self.ctx.tasks.run_task(
            import_task,
            self.ctx.book,
            self.preview,
            self.ctx.now(),
            self.stop,
            on_done=self._imported,
            on_error=self._failed,
            on_progress=self._on_progress,
        )

    def _imported(self, outcome: tuple[ImportResult, tuple[list[Any], list[int]]]) -> None:
        self.task = None
        self.importing = False
        self.cancel_button.setEnabled(True)
        result, households = outcome
        self.import_result = result
        for topic in (Topic.CONTACTS, Topic.HOUSEHOLDS, Topic.IMPORTS):
            self.ctx.signals.data_changed.emit(topic)
        self.pages.setCurrentWidget(self.done_page)
        self.title.setText(_("Imported"))
        self.subtitle.setText(_("Step 3 of 3: households"))
        if self.preview is not None:
            self.done_step.show_result(result, self.preview, households)
        self.back_button.setVisible(False)
        self.cancel_button.setVisible(False)
        self.next_button.setText(_("Finish"))
        self.next_button.setEnabled(True)
        self.ctx.signals.status_message.emit(_("Import finished."))

    def _failed(self, error: BaseException) -> None:
        self.task = None
        self.importing = False
        self.cancel_button.setEnabled(True)
        if isinstance(error, ImportCancelled):
            self.ctx.signals.status_message.emit(_("Import cancelled; nothing was written."))
            if self.preview is not None:
                self._show_preview(self.preview)
            return
        QMessageBox.warning(self, _("The file could not be imported"), user_message(error))
        if self.preview is not None and self.import_result is None:
            self._show_preview(self.preview)
        elif self.import_result is None:
            self._show_choose()

    def reject(self) -> None:
        if self.importing:
            self._cancel()  # an import in flight finishes or rolls back; the dialog stays until it has
            return
        if self.task is not None:
            self.task.cancel()
        super().reject()
