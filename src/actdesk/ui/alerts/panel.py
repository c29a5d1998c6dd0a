"""The Alerts panel (controller): the table of alerts, a detail card with the next actions, the watcher.

The watcher evaluates the rules in the background (on start, every ``interval_minutes``, and shortly after
data the rules read changes) and hands each outcome to this panel on the GUI thread. The advisor's actions
(seen, snooze, dismiss) are single units of work run through ``ctx.tasks``; afterwards the list reloads.

The watcher itself belongs to ``AlertsService`` (``service.py``), which the window starts behind itself
without this panel; the panel is built when the advisor first opens Alerts and takes the service over. Its
``shutdown()`` stops the watcher; the watcher also stops on ``QCoreApplication.aboutToQuit``.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QPoint, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.alerts.model import (
    SEVERITY_TITLES,
    Alert,
    AlertState,
    Severity,
)
from actdesk.i18n import _, format_datetime, ngettext, user_message
from actdesk.services.alerts import actions
from actdesk.services.alerts.evaluation import EvaluationOutcome
from actdesk.storage.repositories.households import managed_aum_of
from actdesk.ui import icons, theme
from actdesk.ui.alerts.detail import AlertDetail
from actdesk.ui.alerts.dialogs import DismissDialog, SnoozeDialog
from actdesk.ui.alerts.grouped import EXPANDED, GCOL, TRIAGE_SIZE, GroupedAlertModel
from actdesk.ui.alerts.model import (
    RULE_CHOICES,
    SHOW_CHOICES,
    AlertFilterProxy,
    AlertTableModel,
)
from actdesk.ui.alerts.service import alerts_service
from actdesk.ui.alerts.triage import TriageBanner
from actdesk.ui.alerts.wrap import WrapDelegate
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import EmptyState

log = logging.getLogger(__name__)
WHY_LINES = 2  # the explanation wraps onto two lines; only a longer one elides its tail (tooltip: all)


class AlertsPanel(QWidget):
    sig_badge_changed = Signal(int)  # number of new alerts
    sig_reloaded = Signal(int)  # number of alerts listed (any state but resolved)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlertsPanel")
        self.ctx = ctx
        self.last_outcome: EvaluationOutcome | None = None
        self.new_count = 0
        self.model = AlertTableModel(self)
        self.proxy = AlertFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.dialog: QDialog | None = None
        self.triage_done = bool(QSettings().value("alerts/triage_done", False, type=bool))
        self._build()
        # The watcher runs behind the window before this panel is first opened (``service.py``): the panel
        # takes over its last outcome and reads the stored alerts, so it opens on the current ones.
        self.service = alerts_service(ctx)
        self.watcher = self.service.watcher
        self.last_outcome = self.service.last_outcome
        self.new_count = self.service.new_count
        self.watcher.sig_started.connect(lambda: self.check_button.setEnabled(False))
        self.watcher.sig_evaluated.connect(self._evaluated)
        self.watcher.sig_failed.connect(self._failed)
        self.service.sig_badge_changed.connect(self.sig_badge_changed)
        ctx.signals.data_changed.connect(self._data_changed)
        self.reload()
        self.service.start()

    # -- layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        c = theme.colors()
        title = QLabel(_("Alerts"), self)
        title.setObjectName("CardTitle")
        self.summary = QLabel(_("Checking the book…"), self)
        self.summary.setObjectName("Muted")
        self.check_button = QPushButton(icons.icon("sparkles", c.text), _("Check now"), self)
        self.check_button.setObjectName("check_now")
        self.check_button.clicked.connect(self.check_now)
        self.seen_all_button = QPushButton(icons.icon("check", c.text), _("Mark all seen"), self)
        self.seen_all_button.clicked.connect(self.mark_all_seen)
        header = QHBoxLayout()
        header.setSpacing(theme.S3)
        header.addWidget(title)
        header.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        header.addWidget(self.seen_all_button)
        header.addWidget(self.check_button)

        self.search = QLineEdit(self)
        self.search.setObjectName("alert_search")
        self.search.setPlaceholderText(_("Search household or explanation"))
        self.search.addAction(icons.icon("search", c.muted), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda text: self._filter(text=text))
        self.rule_filter = QComboBox(self)
        self.rule_filter.setObjectName("rule_filter")
        self.rule_filter.addItem(_("All alert types"), "")
        for key, label in RULE_CHOICES:
            self.rule_filter.addItem(_(label), key)
        self.rule_filter.currentIndexChanged.connect(
            lambda: self._filter(rule=self.rule_filter.currentData())
        )
        self.severity_filter = QComboBox(self)
        self.severity_filter.setObjectName("severity_filter")
        self.severity_filter.addItem(_("All severities"), "")
        for severity in Severity:
            self.severity_filter.addItem(_(SEVERITY_TITLES[severity]), severity.value)
        self.severity_filter.currentIndexChanged.connect(
            lambda: self._filter(severity=self.severity_filter.currentData())
        )
        self.show_filter = QComboBox(self)
        self.show_filter.setObjectName("show_filter")
        for key, label, _states in SHOW_CHOICES:
            self.show_filter.addItem(_(label), key)
        self.show_filter.currentIndexChanged.connect(self._show_changed)
        filters = QHBoxLayout()
        filters.setSpacing(theme.S2)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.rule_filter, 1)
        filters.addWidget(self.severity_filter, 1)
        filters.addWidget(self.show_filter, 1)

        self.grouped = GroupedAlertModel(self.proxy, self)
        self.table = QTreeView(self)
        self.table.setObjectName("alerts_table")
        self.table.setModel(self.grouped)
        self.table.setProperty("elidable_columns", [])
        self.table.setUniformRowHeights(
            True
        )  # every row two lines high: a book's thousand alerts lay out at once
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.setItemDelegateForColumn(GCOL["why"], WrapDelegate(WHY_LINES, self.table))
        self.table.setProperty("wrapped_columns", [[GCOL["why"], WHY_LINES]])
        head = self.table.header()
        head.setStretchLastSection(False)
        head.setSectionResizeMode(GCOL["name"], QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(GCOL["why"], QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(GCOL["since"], QHeaderView.ResizeMode.ResizeToContents)
        head.setHighlightSections(False)
        self.table.activated.connect(lambda _i: self.open_card())  # double-click or Enter
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_detail())
        self.grouped.modelReset.connect(self._grouped_reset)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.triage = TriageBanner(self)
        self.triage.sig_show_all.connect(self.show_all)

        self.detail = AlertDetail(self)
        self.detail.schedule_button.clicked.connect(self.schedule_call)
        self.detail.open_button.clicked.connect(self.open_card)
        self.detail.seen_button.clicked.connect(self.mark_seen)
        self.detail.snooze_button.clicked.connect(self.snooze)
        self.detail.dismiss_button.clicked.connect(self.dismiss)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([940, 300])

        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.setSpacing(theme.S3)
        content_layout.addLayout(filters)
        content_layout.addWidget(self.triage)
        content_layout.addWidget(split, 1)
        self.empty = EmptyState(
            "bell",
            _("No alerts"),
            _(
                "actdesk watches the book for money leaving, lapsed contact, overdue reviews, falling revenue "
                "and growth moments. Nothing needs your attention right now."
            ),
            parent=self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)

    # -- data ------------------------------------------------------------------------------------------------
    def reload(self) -> None:
        """Refetch the stored alerts (after an action, or when another window changed them)."""
        self.ctx.tasks.run_task(
            lambda _state: (actions.list_current(self.ctx.book), actions.count_new(self.ctx.book)),
            on_done=lambda result: self._set_alerts(*result),
            on_error=lambda exc: self._failed(user_message(exc)),
        )

    def _set_alerts(self, alerts: list[Alert], new_count: int) -> None:
        current = self.current_alert()
        self.model.set_alerts(alerts)
        self._set_badge(new_count)
        self._update_triage()
        self._update_summary()
        # "Nothing needs your attention" only once the book has actually been checked.
        self.stack.setCurrentIndex(1 if not alerts and self.last_outcome is not None else 0)
        self.seen_all_button.setEnabled(new_count > 0)
        if current is not None and current.id is not None:
            self.select_alert(current.id)
        self._show_detail()
        self._load_values({a.household_id for a in alerts})
        self.sig_reloaded.emit(len(alerts))

    def _load_values(self, household_ids: set[int]) -> None:
        """Book value (managed assets) of the households with alerts, to order them within a severity."""
        missing = household_ids - set(self.grouped.values)
        if not missing:
            return
        book = self.ctx.book

        def work(_state: object) -> dict[int, Decimal]:
            with book.reader() as s:
                return managed_aum_of(s, household_ids)

        def done(values: dict[int, Decimal]) -> None:
            current = self.current_alert()
            self.grouped.set_values(values)
            if current is not None and current.id is not None:
                self.select_alert(current.id)

        self.ctx.tasks.run_task(work, on_done=done, on_error=lambda exc: log.warning("alert values: %s", exc))

    def _evaluated(self, outcome: EvaluationOutcome) -> None:
        # The service has set the count and told the other views (the dashboard, the card's strip).
        self.last_outcome = outcome
        self.check_button.setEnabled(True)
        self._set_alerts(outcome.alerts, outcome.new_count)

    # -- triage ------------------------------------------------------------------------------------------------
    def _update_triage(self) -> None:
        """A wall of new alerts (a fresh book's first check) opens on the ten that matter most."""
        filtered = bool(self.proxy.text or self.proxy.rule or self.proxy.severity)
        wall = self.new_count > 2 * TRIAGE_SIZE
        self.grouped.set_triage(wall and not self.triage_done and not filtered)
        self._grouped_reset()

    def _grouped_reset(self) -> None:
        on = self.grouped.triage and bool(self.grouped.hidden_groups())
        self.triage.setVisible(on)
        if on:
            self.triage.set_groups(self.grouped.groups, self.grouped.hidden_groups())
        for row in range(min(EXPANDED, self.grouped.rowCount())):
            self.table.expand(self.grouped.index(row, 0))

    def show_all(self) -> None:
        self.triage_done = True
        QSettings().setValue("alerts/triage_done", True)
        self._update_triage()

    def _failed(self, message: str) -> None:
        self.check_button.setEnabled(True)
        log.warning("alerts: %s", message)
        self.ctx.signals.status_message.emit(_("Alerts could not be checked: {error}").format(error=message))

    def _set_badge(self, count: int) -> None:
        self.new_count = count
        self.service.set_new_count(count)  # the rail's count, through the service (this panel forwards it)

    def _update_summary(self) -> None:
        total = len(self.model.alerts)
        parts = [
            ngettext("{n} new", "{n} new", self.new_count).format(n=self.new_count),
            ngettext("{n} alert", "{n} alerts", total).format(n=total),
        ]
        if self.last_outcome is not None:
            parts.append(
                _("checked {when}").format(
                    when=format_datetime(self.last_outcome.finished_at.astimezone(), "short")
                )
            )
        self.summary.setText("  ·  ".join(parts))

    def _data_changed(self, topic: str) -> None:
        if topic == Topic.ALERTS and not self.service.announcing:
            self.reload()

    # -- filters -------------------------------------------------------------------------------------------
    def _filter(self, **kwargs: Any) -> None:
        self.proxy.set_filters(**kwargs)
        self._update_triage()
        self._show_detail()

    def _show_changed(self) -> None:
        key = self.show_filter.currentData()
        states = next(s for k, _label, s in SHOW_CHOICES if k == key)
        self._filter(states=states)

    # -- selection and detail ----------------------------------------------------------------------------------
    def current_alert(self) -> Alert | None:
        """The selected alert (a household row stands for its most severe one); None until one is chosen."""
        rows = self.table.selectionModel().selectedRows()
        return self.grouped.alert_of(rows[0]) if rows else None

    def select_alert(self, alert_id: int) -> bool:
        index = self.grouped.index_of(alert_id)
        if not index.isValid() and self.grouped.triage and self.model.row_of(alert_id) >= 0:
            self.show_all()  # asked for by id (from elsewhere): it must be listed
            index = self.grouped.index_of(alert_id)
        if not index.isValid():
            return False
        self.table.expand(index.parent())
        self.table.setCurrentIndex(index)
        self.table.selectionModel().select(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)
        return True

    def _show_detail(self) -> None:
        self.detail.show_alert(self.current_alert())

    def _context_menu(self, pos: QPoint) -> None:
        if self.current_alert() is None:
            return
        menu = QMenu(self)
        menu.addAction(_("Schedule a call"), self.schedule_call)
        menu.addAction(_("Open card"), self.open_card)
        menu.addAction(_("Mark seen"), self.mark_seen)
        menu.addAction(_("Snooze…"), self.snooze)
        menu.addAction(_("Dismiss…"), self.dismiss)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    # -- actions ------------------------------------------------------------------------------------------------
    def check_now(self) -> None:
        self.check_button.setEnabled(False)
        self.summary.setText(_("Checking the book…"))
        self.watcher.run_now()

    def open_card(self) -> None:
        alert = self.current_alert()
        if alert is not None:
            self._mark_seen_quietly(alert)
            self.ctx.signals.open_household_requested.emit(alert.household_id)

    def schedule_call(self) -> None:
        alert = self.current_alert()
        if alert is not None:
            self._mark_seen_quietly(alert)
            self.ctx.signals.schedule_activity_requested.emit(alert.household_id)

    def mark_seen(self) -> None:
        alert = self.current_alert()
        if alert is not None and alert.state is AlertState.NEW and alert.id is not None:
            self._run(actions.mark_seen, alert.id, self.ctx.now())

    def _mark_seen_quietly(self, alert: Alert) -> None:
        """Acting on a new alert means the advisor has seen it."""
        if alert.state is AlertState.NEW and alert.id is not None:
            self._run(actions.mark_seen, alert.id, self.ctx.now())

    def mark_all_seen(self) -> None:
        ids = [a.id for a in self.model.alerts if a.state is AlertState.NEW and a.id is not None]
        if ids:
            now = self.ctx.now()
            self._run(lambda book, *_a: [actions.mark_seen(book, i, now) for i in ids])

    def snooze(self) -> None:
        alert = self.current_alert()
        if alert is None or alert.id is None:
            return
        today = self.ctx.now().astimezone().date()
        self.dialog = dialog = SnoozeDialog(alert, today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._run(actions.snooze_alert, alert.id, dialog.until(), self.ctx.now(), today)
        self.dialog = None

    def dismiss(self) -> None:
        alert = self.current_alert()
        if alert is None or alert.id is None:
            return
        self.dialog = dialog = DismissDialog(alert, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text():
            self._run(actions.dismiss_alert, alert.id, dialog.text(), self.ctx.now())
        self.dialog = None

    def _run(self, fn: Any, *args: Any) -> None:
        def done(_result: object) -> None:
            self.ctx.signals.data_changed.emit(Topic.ALERTS)  # other views (the card) and this list reload

        self.ctx.tasks.run_task(
            lambda _state: fn(self.ctx.book, *args),
            on_done=done,
            on_error=lambda exc: self.ctx.signals.status_message.emit(user_message(exc)),
        )

    # -- lifetime ------------------------------------------------------------------------------------------------
    def activate(self) -> None:
        self.table.setFocus()

    def shutdown(self) -> bool:
        """Stop the background watcher (timer and thread). The main window calls this when it closes."""
        return self.service.shutdown()
