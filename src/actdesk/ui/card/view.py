"""The contact card: everything about one household at a glance, read-only; editing opens the editor.

Layout only: the households panel (controller) decides what to do with ``sig_edit_requested`` and
``sig_delete_requested``. The card loads its data itself through the task runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.alerts.model import Alert, AlertState
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.models import Contact, HouseholdDetail, Note
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _, ngettext, user_message
from actdesk.services.alerts import actions
from actdesk.services.card import empty_attention, fetch_card, save_note
from actdesk.services.schedule_zone import schedule_zone
from actdesk.storage.repositories.attention import Attention

if TYPE_CHECKING:
    from actdesk.services.retention_outlook import RetentionOutlook
from actdesk.ui import icons, theme
from actdesk.ui.alerts.dialogs import DismissDialog, SnoozeDialog
from actdesk.ui.card.attention import AttentionStrip
from actdesk.ui.card.member_tile import MemberTile
from actdesk.ui.card.models import (
    accounts_model,
    activities_model,
    life_events_model,
    notes_model,
    upcoming_model,
)
from actdesk.ui.card.periods import PeriodsBox
from actdesk.ui.card.wrapped_table import WrappedTable
from actdesk.ui.context import AppContext
from actdesk.ui.households.model import status_label
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import EmptyState
from actdesk.ui.widgets.width_scroll import WidthFollowingScrollArea

log = logging.getLogger(__name__)
MIN_WIDTH = 460
# Topics after which the attention strip may say something else (an alert acted on, an activity logged).
ATTENTION_TOPICS = frozenset(
    {Topic.ALERTS, Topic.ACTIVITIES, Topic.FEES, Topic.REFERRALS, Topic.PIPELINE, Topic.NOTES}
)


def fit_height(view: QTableView) -> None:
    """Tables inside the scrolling card show all their rows instead of scrolling on their own."""
    rows = view.model().rowCount()
    # isHidden, not isVisible: the card fills its tables while hidden (loading), and a header counted as 0
    # then left the last row cut off
    head = 0 if view.horizontalHeader().isHidden() else view.horizontalHeader().sizeHint().height()
    if view.wordWrap():  # only wrapped text (notes) needs rows measured; the rest have one line
        view.resizeRowsToContents()
        body = sum(view.rowHeight(r) for r in range(rows))
    else:
        body = rows * view.verticalHeader().defaultSectionSize()
    height = head + body + 4
    view.setFixedHeight(max(height, head + 4))


def _table(model: object, parent: QWidget, stretch: int, wrap: bool = False) -> QTableView:
    """A borderless table; column ``stretch`` (free text) takes the rest and elides (or wraps), amounts never do."""
    view: QTableView = WrappedTable(parent) if wrap else QTableView(parent)
    if isinstance(view, WrappedTable):  # rows measured again at each new width
        view.sig_width_changed.connect(lambda: fit_height(view))
    view.setModel(model)  # type: ignore[arg-type]
    view.verticalHeader().hide()
    view.setShowGrid(False)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setWordWrap(wrap)
    view.verticalHeader().setDefaultSectionSize(30)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return view


class ContactCard(QWidget):
    sig_edit_requested = Signal(int)
    sig_delete_requested = Signal(int)
    sig_loaded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: HouseholdDetail | None = None
        self._pending: TaskHandle | None = None
        self._names: dict[int, str] = {}
        self.attention: Attention | None = None
        self._retention_task: TaskHandle | None = None
        self.dialog: QDialog | None = None
        self.ask_model = True  # the retention model's probability and strongest factor, after the card shows
        ctx.signals.data_changed.connect(self._data_changed)

        self.stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.stack)
        self.placeholder = EmptyState(
            "user",
            _("No household selected"),
            _("Choose a household in the list, or press Ctrl+N to add one."),
        )
        self.stack.addWidget(self.placeholder)

        # The splitter cannot squeeze the card below what its rows need in this style, font and language.
        scroll = WidthFollowingScrollArea(MIN_WIDTH, self)
        self.body_scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        scroll.setWidget(body)
        self.stack.addWidget(scroll)
        self.body = QVBoxLayout(body)
        self.body.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S6)
        self.body.setSpacing(theme.S2)

        header = QHBoxLayout()
        self.title = QLabel(body)
        self.title.setObjectName("CardTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the household's name as typed, never markup
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        self.chip = QLabel(body)
        self.chip.setObjectName("Chip")
        self.edit_button = QPushButton(icons.icon("edit"), _("Edit"), body)
        self.edit_button.setToolTip(_("Edit this household (Ctrl+E)"))
        self.delete_button = QPushButton(icons.icon("delete", theme.colors().danger), _("Delete"), body)
        self.delete_button.setObjectName("Danger")
        self.delete_button.setToolTip(_("Delete this household (Delete)"))
        self.dashboard_button = QPushButton(icons.icon("chart"), _("Dashboard"), body)
        self.dashboard_button.setAccessibleName(_("Dashboard"))
        self.dashboard_button.setToolTip(_("This household's dashboard, and the meeting view"))
        self.dashboard_button.clicked.connect(
            lambda: self._request(self.ctx.signals.client_dashboard_requested)
        )
        self.growth_button = QPushButton(icons.icon("sparkles"), _("Growth ideas"), body)
        self.growth_button.setToolTip(_("What the most similar clients hold and this household does not"))
        self.growth_button.clicked.connect(self._growth_ideas)
        self.edit_button.clicked.connect(self._edit)
        self.delete_button.clicked.connect(self._delete)
        # The name has the whole width; the actions sit on their own row, so no language cuts them.
        header.setSpacing(theme.S2)
        header.addWidget(self.title, 1)
        self.body.addLayout(header)
        self.subtitle = QLabel(body)
        self.subtitle.setObjectName("Muted")
        self.subtitle.setWordWrap(True)
        status_row = QHBoxLayout()
        status_row.setSpacing(theme.S2)
        status_row.addWidget(self.chip, 0, Qt.AlignmentFlag.AlignTop)
        status_row.addWidget(self.subtitle, 1)
        status_row.addWidget(self.growth_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(status_row)
        actions = QHBoxLayout()
        actions.setSpacing(theme.S2)
        self.activity_button = QPushButton(icons.icon("calendar"), _("New activity"), body)
        self.activity_button.setToolTip(_("Schedule a call, meeting or review with this household"))
        self.activity_button.clicked.connect(
            lambda: self._request(self.ctx.signals.schedule_activity_requested)
        )
        for button in (self.dashboard_button, self.edit_button, self.activity_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.delete_button)
        self.body.addLayout(actions)
        self.periods = PeriodsBox(ctx, body)  # since when, each period, tenure; leave or return in place
        self.periods.sig_saved.connect(self.load)
        self.body.addWidget(self.periods)

        self.attention_strip = AttentionStrip(body)
        self.attention_strip.sig_act.connect(self._alert_act)
        self.attention_strip.sig_snooze.connect(self._alert_snooze)
        self.attention_strip.sig_dismiss.connect(self._alert_dismiss)
        self.managed = self.attention_strip.tiles["money"].value
        self.body.addSpacing(theme.S1)
        self.body.addWidget(self.attention_strip)

        self.members_box = QVBoxLayout()
        self.members_box.setSpacing(theme.S2)
        self._section(_("Members"), "users")
        self.body.addLayout(self.members_box)

        self._balances: dict[int, Decimal] = {}
        self.accounts = accounts_model(self._balances, self)
        self.accounts_view = _table(self.accounts, body, stretch=0)
        self.accounts_empty = self._muted(
            _("No accounts yet. Accounts arrive with an import or a custodian feed.")
        )
        self._section(_("Accounts"), "briefcase")
        self.body.addWidget(self.accounts_view)
        self.body.addWidget(self.accounts_empty)

        self.upcoming = upcoming_model(self)
        self.upcoming_view = _table(self.upcoming, body, stretch=2)
        self.upcoming_empty = self._muted(_("Nothing scheduled with this household."))
        self._section(_("Upcoming"), "calendar")
        self.body.addWidget(self.upcoming_view)
        self.body.addWidget(self.upcoming_empty)

        self.activities = activities_model(self)
        self.activities_view = _table(self.activities, body, stretch=2)
        self.activities_empty = self._muted(_("No calls, meetings or reviews recorded yet."))
        self._section(_("History"), "activity")
        self.body.addWidget(self.activities_view)
        self.body.addWidget(self.activities_empty)

        self.events = life_events_model(self._names, self)
        self.events_view = _table(self.events, body, stretch=2)
        self.events_empty = self._muted(_("No life events recorded."))
        self._section(_("Life events"), "heart")
        self.body.addWidget(self.events_view)
        self.body.addWidget(self.events_empty)
        # The life-event form belongs to the engagement feature (ui/engagement/life_event_dialog.py).
        self.add_event_button = QPushButton(icons.icon("add"), _("Record life event…"), body)
        self.add_event_button.setToolTip(
            _("A birth, marriage, inheritance… with its follow-up call and brochure")
        )
        self.add_event_button.clicked.connect(self.record_life_event)
        self.body.addWidget(self.add_event_button, 0, Qt.AlignmentFlag.AlignLeft)

        self._section(_("Notes"), "note")
        note_row = QHBoxLayout()
        self.note_edit = QPlainTextEdit(body)
        self.note_edit.setPlaceholderText(_("Write a note about this household…"))
        self.note_edit.setFixedHeight(64)
        self.add_note_button = QPushButton(_("Add note"), body)
        self.add_note_button.clicked.connect(self.add_note)
        note_row.addWidget(self.note_edit, 1)
        note_row.addWidget(self.add_note_button, 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(note_row)
        self.notes = notes_model(self)
        self.notes_view = _table(self.notes, body, stretch=1, wrap=True)
        self.body.addWidget(self.notes_view)
        self.body.addStretch(1)

    # -- building blocks ----------------------------------------------------------------------------------
    def _section(self, title: str, icon_name: str) -> None:
        row = QHBoxLayout()
        row.setSpacing(theme.S2)
        pic = QLabel(self)
        pic.setPixmap(icons.pixmap(icon_name, 18, theme.colors().muted))
        label = QLabel(title, self)
        label.setObjectName("SectionTitle")
        row.addWidget(pic, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(label)
        row.addStretch(1)
        self.body.addSpacing(theme.S2)
        self.body.addLayout(row)

    def _muted(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("Muted")
        label.setWordWrap(True)
        return label

    # -- loading ------------------------------------------------------------------------------------------
    @property
    def household_id(self) -> int | None:
        return self.detail.household.id if self.detail else None

    def clear(self) -> None:
        if self._pending:
            self._pending.cancel()
        self.detail = None
        self.stack.setCurrentIndex(0)

    def _request(self, signal: SignalInstance) -> None:
        """Ask the window for something about the household on the card (its dashboard, an activity)."""
        if self.household_id is not None:
            signal.emit(self.household_id)

    def load(self, household_id: int) -> None:
        if self._pending:
            self._pending.cancel()
        self._pending = self.ctx.tasks.run_task(
            fetch_card,
            self.ctx.book,
            household_id,
            self.ctx.now(),
            self._tz(),
            on_done=self._card_loaded,
            on_error=self._failed,
        )

    def _tz(self) -> tzinfo:
        return schedule_zone(self.ctx.settings.section(ScheduleSettings))

    def _card_loaded(self, result: tuple[HouseholdDetail, Attention]) -> None:
        detail, attention = result
        self.show_detail(detail, attention)

    def _data_changed(self, topic: str) -> None:
        if topic in ATTENTION_TOPICS and self.household_id is not None and self.isVisible():
            self.load(self.household_id)

    def _failed(self, error: BaseException) -> None:
        self.clear()
        self.ctx.signals.status_message.emit(
            _("Could not open the household: {error}").format(error=user_message(error))
        )

    def show_detail(self, detail: HouseholdDetail, attention: Attention | None = None) -> None:
        self._pending = None
        self.detail = detail
        h = detail.household
        today = self.ctx.now().astimezone(self._tz()).date()
        if attention is None:
            attention = empty_attention(detail)
        self.attention = attention
        self.attention_strip.set_data(detail, attention, today)
        self.growth_button.setVisible(h.status is not HouseholdStatus.FORMER_CLIENT)
        self._ask_retention(h.id, h.status)
        self.title.setText(h.name)
        self.chip.setText(status_label(h.status))
        self.chip.setStyleSheet(f"color: {theme.status_color(h.status.value)};")
        self.periods.set_data(h, attention.periods, today)
        n = len(detail.contacts)
        self.subtitle.setText(ngettext("{n} member", "{n} members", n).format(n=n))

        self._names.clear()
        self._names.update({c.id: c.full_name for c in detail.contacts if c.id is not None})
        self._fill_members(detail.contacts, today)
        self._balances.clear()
        self._balances.update(detail.current_balances)
        self.accounts.set_rows(detail.accounts)
        self.upcoming.set_rows(attention.upcoming)
        self.activities.set_rows(attention.history)
        self.events.set_rows(detail.life_events)
        self.notes.set_rows(detail.notes)
        for view, empty in (
            (self.accounts_view, self.accounts_empty),
            (self.upcoming_view, self.upcoming_empty),
            (self.activities_view, self.activities_empty),
            (self.events_view, self.events_empty),
            (self.notes_view, None),
        ):
            has_rows = view.model().rowCount() > 0
            view.setVisible(has_rows)
            if empty is not None:
                empty.setVisible(not has_rows)
            fit_height(view)
        self.stack.setCurrentIndex(1)
        self.body_scroll.content_changed()
        self.sig_loaded.emit(h.id or 0)

    def _fill_members(self, contacts: list[Contact], today: date) -> None:
        while self.members_box.count():
            item = self.members_box.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        if not contacts:
            self.members_box.addWidget(
                self._muted(_("No members yet. Use Edit to add the people of this household."))
            )
            return
        for contact in contacts:
            self.members_box.addWidget(MemberTile(contact, today, self))

    # -- retention ----------------------------------------------------------------------------------------
    def _ask_retention(self, household_id: int | None, status: HouseholdStatus) -> None:
        """The model's probability and its strongest factor (the child process caches it per book state)."""
        if self._retention_task is not None:
            self._retention_task.cancel()
            self._retention_task = None
        if household_id is None or status is not HouseholdStatus.CLIENT or not self.ask_model:
            return
        if self.ctx.tasks.inline:
            return  # a synchronous runner (tests) would hold the window while the model is fitted
        book, as_of = self.ctx.book, self.ctx.now().astimezone(self._tz()).date()
        config = self.ctx.settings.section(AnalyticsConfig)
        child = self.ctx.child_process()

        def work(state: TaskState) -> RetentionOutlook | None:
            from actdesk.services.retention_outlook import retention_outlook

            return retention_outlook(
                book, household_id, as_of, config, child, should_stop=lambda: state.cancelled
            )

        def done(outlook: RetentionOutlook | None) -> None:
            self._retention_task = None
            if outlook is not None and outlook.household_id == self.household_id:
                self.attention_strip.set_retention(
                    outlook.probability, outlook.top_reason, f"{outlook.note}\n{outlook.track_record}"
                )

        self._retention_task = self.ctx.tasks.run_task(
            work, on_done=done, on_error=lambda e: log.warning("card retention: %s", e)
        )

    # -- alerts in place -----------------------------------------------------------------------------------
    def _alert_act(self, alert: Alert) -> None:
        self._alert_run(actions.mark_seen, alert, self.ctx.now()) if alert.state is AlertState.NEW else None
        self.ctx.signals.schedule_activity_requested.emit(alert.household_id)

    def _alert_snooze(self, alert: Alert) -> None:
        today = self.ctx.now().astimezone(self._tz()).date()
        self.dialog = dialog = SnoozeDialog(alert, today, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._alert_run(actions.snooze_alert, alert, dialog.until(), self.ctx.now(), today)
        self.dialog = None

    def _alert_dismiss(self, alert: Alert) -> None:
        self.dialog = dialog = DismissDialog(alert, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.text():
            self._alert_run(actions.dismiss_alert, alert, dialog.text(), self.ctx.now())
        self.dialog = None

    def _alert_run(self, fn: Callable[..., object], alert: Alert, *args: object) -> None:
        if alert.id is None or self.ctx.read_only:
            return
        book, alert_id = self.ctx.book, alert.id
        self.ctx.tasks.run_task(
            lambda _state: fn(book, alert_id, *args),
            on_done=lambda _r: self.ctx.signals.data_changed.emit(Topic.ALERTS),
            on_error=lambda exc: self.ctx.signals.status_message.emit(user_message(exc)),
        )

    # -- actions ------------------------------------------------------------------------------------------
    def _growth_ideas(self) -> None:
        """Pipeline (issue 9): "clients like you" for this household, one click to an opportunity."""
        if self.detail is None or self.household_id is None:
            return
        from actdesk.ui.pipeline.growth import GrowthIdeasDialog

        GrowthIdeasDialog(self.ctx, self.household_id, self.detail.household.name, self).exec()

    def _edit(self) -> None:
        if self.household_id is not None:
            self.sig_edit_requested.emit(self.household_id)

    def _delete(self) -> None:
        if self.household_id is not None:
            self.sig_delete_requested.emit(self.household_id)

    def record_life_event(self) -> None:
        if self.detail is None or self.household_id is None:
            return
        from actdesk.ui.engagement.life_event_dialog import record_life_event

        hid = self.household_id
        record_life_event(
            self.ctx,
            hid,
            self.detail.household.name,
            self.detail.contacts,
            self,
            on_saved=lambda _f: self.load(hid),
        )

    def add_note(self) -> None:
        text = self.note_edit.toPlainText().strip()
        if not text or self.household_id is None:
            return
        note = Note(household_id=self.household_id, body=text, created_at=self.ctx.now())
        hid = self.household_id

        def saved(_note: Note) -> None:
            self.note_edit.clear()
            self.ctx.signals.data_changed.emit(Topic.NOTES)
            self.load(hid)

        self.ctx.tasks.run_task(save_note, self.ctx.book, note, on_done=saved, on_error=self._failed)
