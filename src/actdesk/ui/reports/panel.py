"""The Reports panel: the catalogue on the left; on the right the selected report as of a date, with
exports to PDF, Excel, CSV and its charts to PNG/SVG.

Reports are built and files written through ``ctx.tasks.run_task`` (progress, Cancel), so the window never
freezes; a cancelled or failed export leaves no file behind (the writers rename a finished temp file).
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import cast

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, os_reason
from actdesk.services.cell_guard import guard_enabled
from actdesk.services.reports.base import ReportContext
from actdesk.services.reports.catalogue import REPORTS, ReportSpec
from actdesk.services.reports.config import ReportSettings
from actdesk.services.reports.model import ReportData
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.qt_locale import localize_edit
from actdesk.ui.reports.models import KEY_ROLE, CatalogueModel
from actdesk.ui.reports.preview import ReportPreview
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.text_fit import wrapped_lines
from actdesk.ui.widgets.empty_state import EmptyState

log = logging.getLogger(__name__)
CATALOGUE_WIDTH = 170

EXPORTS = (
    ("pdf", "PDF", "PDF (*.pdf)"),
    ("xlsx", "Excel", "Excel (*.xlsx)"),
    ("csv", "CSV", "CSV (*.csv)"),
    ("png", "PNG", "PNG (*.png)"),
    ("svg", "SVG", "SVG (*.svg)"),
)


def last_month_end(today: date) -> date:
    """The default as-of date: the month-end on or before ``today`` (figures are month-end figures)."""
    if today.day == calendar.monthrange(today.year, today.month)[1]:
        return today
    first = today.replace(day=1)
    prev_year, prev_month = (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)
    return date(prev_year, prev_month, calendar.monthrange(prev_year, prev_month)[1])


def build_report(state: TaskState, spec: ReportSpec, context: ReportContext) -> ReportData:
    return spec.build(replace(context, progress=state))


def write_files(
    state: TaskState, report: ReportData, fmt: str, target: Path, practice: str, paper: str, guard: bool
) -> list[Path]:
    from actdesk.services.reports.render import PageSetup, export_chart, export_report

    if fmt in ("pdf", "xlsx", "csv"):
        return [export_report(report, fmt, target, PageSetup(practice, paper), state, guard=guard)]
    charts = [s for s in report.sections if s.chart is not None and not s.is_empty]
    written = []
    for i, section in enumerate(charts, start=1):
        state.check()
        state.progress(i / (len(charts) + 1), section.title)
        path = target if len(charts) == 1 else target.with_name(f"{target.stem}-{section.key}{target.suffix}")
        assert section.chart is not None
        written.append(export_chart(section.chart, fmt, path))
    return written


class _CatalogueItem(QStyledItemDelegate):
    """A catalogue row: its title wrapped at word boundaries onto up to three lines (measured and drawn here,
    so height and text always agree), never under 30 px."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self.view = view

    def _lines(self, text: str, width: int) -> list[str]:
        return wrapped_lines(text, self.view.fontMetrics(), max(1, width - 2 * theme.S2), 3)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = self.view.viewport().width() - 2 * self.view.spacing()
        lines = max(1, len(self._lines(str(index.data() or ""), width)))
        return QSize(width, max(30, lines * self.view.fontMetrics().lineSpacing() + theme.S3))

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        item.text = ""
        style = self.view.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, self.view)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        lines = self._lines(text, option.rect.width())
        box = option.rect.adjusted(theme.S2, 0, -theme.S2, 0)
        painter.drawText(
            box,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            "\n".join(lines),
        )
        painter.restore()


class ReportsPanel(QWidget):
    sig_report_shown = Signal(str)  # the report's key, once its preview is on screen
    sig_export_finished = Signal(list)  # the paths written

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: ReportData | None = None
        self._build_task: TaskHandle | None = None
        self._export_task: TaskHandle | None = None
        self._pending = QTimer(self, singleShot=True, interval=150)
        self._pending.timeout.connect(self.refresh)
        self._build()
        ctx.signals.data_changed.connect(self._data_changed)

    # -- layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        c = theme.colors()
        self.catalogue = QListView(self)
        self.catalogue.setObjectName("report_catalogue")
        self.catalogue_model = CatalogueModel(REPORTS)
        self.catalogue.setModel(self.catalogue_model)
        # long titles wrap onto two lines, so the catalogue leaves the report its width at 1280
        self.catalogue.setMinimumWidth(CATALOGUE_WIDTH)
        self.catalogue.setResizeMode(QListView.ResizeMode.Adjust)
        self.catalogue.setItemDelegate(_CatalogueItem(self.catalogue))
        self.catalogue.setSpacing(2)
        self.catalogue.selectionModel().currentChanged.connect(lambda *_a: self._pending.start())

        self.title = QLabel(_("Reports"), self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.title.setObjectName("CardTitle")
        self.subtitle = QLabel(_("Choose a report on the left."), self)
        self.subtitle.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.subtitle.setObjectName("Muted")
        self.as_of = QDateEdit(self)
        self.as_of.setObjectName("as_of")
        self.as_of.setCalendarPopup(True)
        localize_edit(self.as_of)
        end = last_month_end(self.ctx.now().date())
        self.as_of.setDate(QDate(end.year, end.month, end.day))
        self.as_of.dateChanged.connect(lambda *_a: self._pending.start())
        as_of_label = QLabel(_("As of"), self)
        as_of_label.setObjectName("Muted")
        header = QHBoxLayout()
        header.setSpacing(theme.S2)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(as_of_label)
        header.addWidget(self.as_of)

        self.export_buttons: dict[str, QPushButton] = {}
        exports = QHBoxLayout()
        exports.setSpacing(theme.S2)
        export_label = QLabel(_("Export"), self)
        export_label.setObjectName("Muted")
        exports.addWidget(export_label)
        for fmt, label, _filter in EXPORTS:
            button = QPushButton(icons.icon("import", c.text), label, self)
            button.setObjectName(f"export_{fmt}")
            button.setToolTip(_("Save this report as {format}").format(format=label))
            button.clicked.connect(lambda _c=False, f=fmt: self.export(f))
            self.export_buttons[fmt] = button
            exports.addWidget(button)
        exports.addStretch(1)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(True)
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton(_("Cancel"), self)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.clicked.connect(self.cancel)
        exports.addWidget(self.progress)
        exports.addWidget(self.cancel_button)
        self._busy(False)

        self.preview = ReportPreview(self)
        self.placeholder = EmptyState(
            "chart",
            _("Reports to print and share"),
            _(
                "Pick a report on the left to preview it; export it as PDF, Excel or CSV for a client, "
                "your accountant or a buyer of the practice."
            ),
            parent=self,
        )
        self.retry_button = QPushButton(_("Try again"), self.placeholder)
        self.retry_button.setObjectName("retry")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.refresh)
        self.placeholder.layout().insertWidget(4, self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)  # type: ignore[union-attr]
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.preview)

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(theme.S4, theme.S4, theme.S4, 0)
        right_layout.setSpacing(theme.S3)
        right_layout.addLayout(header)
        right_layout.addLayout(exports)
        right_layout.addWidget(self.stack, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("reports_splitter")
        splitter.addWidget(self.catalogue)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([CATALOGUE_WIDTH, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self._update_exports()

    # -- state ---------------------------------------------------------------------------------------------
    def current_spec(self) -> ReportSpec | None:
        index = self.catalogue.currentIndex()
        if not index.isValid():
            return None
        key = index.data(KEY_ROLE)
        return next(r for r in REPORTS if r.key == key)

    def select_report(self, key: str) -> bool:
        for row, spec in enumerate(REPORTS):
            if spec.key == key:
                self.catalogue.setCurrentIndex(self.catalogue_model.index(row, 0, QModelIndex()))
                self._pending.stop()
                self.refresh()
                return True
        return False

    def as_of_date(self) -> date:
        return cast(date, self.as_of.date().toPython())

    def _busy(self, busy: bool, text: str = "") -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress.setValue(0)
        self.progress.setFormat(text or "%p%")

    def _update_exports(self) -> None:
        ready = self.report is not None and self.report.has_data and self._export_task is None
        has_charts = ready and any(s.chart is not None and not s.is_empty for s in self.report.sections)  # type: ignore[union-attr]
        for fmt, button in self.export_buttons.items():
            button.setEnabled(bool(has_charts if fmt in ("png", "svg") else ready))

    # -- building ------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        spec = self.current_spec()
        if spec is None:
            return
        if self._build_task is not None:
            self._build_task.cancel()
        self.title.setText(_(spec.title))
        self.subtitle.setText(_("Building…"))
        self.report = None
        # Never leave the previous report on screen under the new title.
        self.placeholder.set_text(_("Building {title}…").format(title=_(spec.title)), "")
        self._show_placeholder(retry=False)
        self._update_exports()
        self._busy(True, _("Building {title}…").format(title=_(spec.title)))
        handle = self.ctx.tasks.run_task(
            build_report,
            spec,
            ReportContext.from_settings(self.ctx.book, self.as_of_date(), self.ctx.settings),
            on_done=self._built,
            on_error=self._failed,
            on_progress=self._progressed,
        )
        self._build_task = handle
        handle.sig_finished.connect(lambda h=handle: self._finished_build(h))

    def _finished_build(self, handle: TaskHandle) -> None:
        if self._build_task is handle:
            self._build_task = None
            if self._export_task is None:
                self._busy(False)
            if self.report is None and handle.cancelled:
                self.subtitle.setText(_("Cancelled."))

    def _built(self, report: ReportData) -> None:
        self.report = report
        self.title.setText(report.title)
        self.subtitle.setText(report.subtitle)
        self.preview.show_report(report)
        self.stack.setCurrentWidget(self.preview)
        self._update_exports()
        self.sig_report_shown.emit(report.key)

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 100))
        if message:
            self.progress.setFormat(f"{message} %p%")

    def _failed(self, error: BaseException) -> None:
        log.error("report failed", exc_info=error)
        self._busy(False)
        self.report = None
        self.subtitle.setText(_("Not built"))
        self.placeholder.set_text(
            _("This report could not be built"),
            _(
                "Nothing was changed in your book. Try again, or choose another date; if it fails again, "
                "send the log file (Help → Open the log folder) to support."
            ),
        )
        self._show_placeholder(retry=True)
        self._update_exports()

    def _show_placeholder(self, retry: bool) -> None:
        self.preview.clear()
        self.retry_button.setVisible(retry)
        self.stack.setCurrentWidget(self.placeholder)

    # -- exporting -----------------------------------------------------------------------------------------
    def export(self, fmt: str, target: Path | None = None) -> TaskHandle | None:
        """Write the shown report as ``fmt``; without ``target``, ask where."""
        report = self.report
        if report is None or self._export_task is not None:
            return None
        if target is None:
            label, pattern = next((lbl, pat) for f, lbl, pat in EXPORTS if f == fmt)
            suggested = str(Path.home() / f"{report.key}-{report.as_of.isoformat()}.{fmt}")
            chosen, _sel = QFileDialog.getSaveFileName(
                self, _("Save {format}").format(format=label), suggested, pattern
            )
            if not chosen:
                return None
            target = Path(chosen)
            if target.suffix.lower() != f".{fmt}":
                target = target.with_name(target.name + f".{fmt}")
        self._busy(True, _("Writing {format}…").format(format=fmt.upper()))
        settings = self.ctx.settings.section(ReportSettings)
        handle = self.ctx.tasks.run_task(
            write_files,
            report,
            fmt,
            target,
            self.ctx.settings.general.practice(),
            settings.paper,
            guard_enabled(self.ctx.settings),
            on_done=self._exported,
            on_error=self._export_failed,
            on_progress=self._progressed,
            pool="compute",
        )
        self._export_task = handle
        handle.sig_finished.connect(lambda h=handle: self._finished_export(h))
        self._update_exports()
        return handle

    def _finished_export(self, handle: TaskHandle) -> None:
        if self._export_task is handle:
            self._export_task = None
            self._busy(self._build_task is not None)
            if handle.cancelled:
                self.ctx.signals.status_message.emit(_("Export cancelled; nothing was written."))
            self._update_exports()

    def _exported(self, paths: list[Path]) -> None:
        names = ", ".join(p.name for p in paths)
        self.ctx.signals.status_message.emit(_("Saved {files}").format(files=names))
        self.sig_export_finished.emit(paths)

    def _export_failed(self, error: BaseException) -> None:
        log.error("report export failed", exc_info=error)
        if isinstance(error, OSError):
            text = _(
                "The file could not be written ({reason}). Choose another folder or close the file if another "
                "program has it open; nothing was saved."
            ).format(reason=os_reason(error))
        else:
            text = _("The file could not be written; nothing was saved. Details are in the log file.")
        QMessageBox.warning(self, _("Export failed"), text)

    def cancel(self) -> None:
        for handle in (self._export_task, self._build_task):
            if handle is not None:
                handle.cancel()
        self.progress.setFormat(_("Cancelling…"))

    # -- panel protocol ------------------------------------------------------------------------------------
    def activate(self) -> None:
        if self.report is None and self.current_spec() is None:
            self.catalogue.setFocus()

    def _data_changed(self, _topic: str) -> None:
        if self.report is not None and self.isVisible():
            self._pending.start()

    def shutdown(self) -> bool:
        self.cancel()
        return True
