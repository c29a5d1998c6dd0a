""" "Bring a friend" events in the window: a new event with its invitations, and one event's RSVPs, who came,
and the friends they brought (a guest who came becomes a prospect referred by the client)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import N_, _, format_datetime, ngettext, user_message
from actdesk.services.engagement import jobs
from actdesk.services.schedule_zone import advisor_zone
from actdesk.storage.repositories.engagement_events import Guest, Invitation
from actdesk.ui import theme
from actdesk.ui.card.models import RecordsModel
from actdesk.ui.context import AppContext
from actdesk.ui.qt_locale import localize_edit
from actdesk.ui.topics import Topic

RSVP_LABELS = {"none": N_("No answer"), "yes": N_("Coming"), "no": N_("Not coming"), "maybe": N_("Maybe")}
MAIL_LABELS = {
    "queued": N_("Queued"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "uncertain": N_("Uncertain"),
}


def _table(model: RecordsModel, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class NewEventDialog(QDialog):
    """Name, when, where, and the client households to invite (their primary and spouse)."""

    sig_created = Signal(int)

    def __init__(
        self, ctx: AppContext, households: list[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("NewEventDialog")
        self.setWindowTitle(_("New bring-a-friend event"))
        self.setMinimumWidth(520)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.subject = QLineEdit(self)
        self.subject.setPlaceholderText(_("e.g. Retirement income seminar"))
        start = (
            ctx.now()
            .astimezone(advisor_zone(ctx.settings))
            .replace(hour=18, minute=30, second=0, microsecond=0)
        )
        self.when = QDateTimeEdit(
            QDateTime(QDate(start.year, start.month, start.day).addDays(21), QTime(start.hour, start.minute)),
            self,
        )
        self.when.setCalendarPopup(True)
        localize_edit(self.when)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(15, 600)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(120)
        self.minutes.setSuffix(" " + _("min"))
        self.location = QLineEdit(self)
        self.location.setPlaceholderText(_("e.g. Harbor Club, 12 Bay Street"))
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(_("Filter households…"))
        self.filter.textChanged.connect(self._filter)
        self.households = QListWidget(self)
        for hid, name in households:
            item = QListWidgetItem(name, self.households)
            item.setData(Qt.ItemDataRole.UserRole, hid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        form = QFormLayout()
        form.setSpacing(theme.S2)
        form.addRow(_("Event"), self.subject)
        form.addRow(_("When"), self.when)
        form.addRow(_("Duration"), self.minutes)
        form.addRow(_("Where"), self.location)
        hint = QLabel(
            _(
                "Each household checked gets the event on its calendar and an invitation in the outbox, to its primary "
                "and spouse. Guests they bring become prospects referred by them."
            ),
            self,
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = QPushButton(_("Create and invite"), self)
        self.create_button.setObjectName("Primary")
        self.create_button.clicked.connect(self.create_event)
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Invite"), self))
        layout.addWidget(self.filter)
        layout.addWidget(self.households, 1)
        layout.addWidget(hint)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for i in range(self.households.count()):
            item = self.households.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def chosen(self) -> list[int]:
        return [
            int(self.households.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.households.count())
            if self.households.item(i).checkState() == Qt.CheckState.Checked
        ]

    def create_event(self) -> None:
        subject = self.subject.text().strip()
        if not subject:
            self.status.setText(_("An event needs a name."))
            self.subject.setFocus()
            return
        start = self.when.dateTime().toPython()
        assert isinstance(start, datetime)
        self.create_button.setEnabled(False)
        self.tasks.run_task(
            jobs.create_and_invite,
            self.ctx.book,
            self.ctx.settings,
            subject,
            start.replace(tzinfo=advisor_zone(self.ctx.settings)),
            self.minutes.value(),
            self.location.text(),
            self.chosen(),
            self.ctx.now(),
            on_done=self._created,
            on_error=self._failed,
            owner=self,
        )

    def _created(self, result: tuple[int, object]) -> None:
        event_id, report = result
        self.ctx.signals.data_changed.emit(Topic.REFERRALS)
        if report is not None:
            self.ctx.signals.data_changed.emit(Topic.MAIL)
            self.ctx.signals.data_changed.emit(Topic.ACTIVITIES)
            queued = getattr(report, "queued", 0)
            self.ctx.signals.status_message.emit(
                ngettext(
                    "Event created; {n} invitation queued.", "Event created; {n} invitations queued.", queued
                ).format(n=queued)
            )
        self.sig_created.emit(event_id)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        self.status.setText(user_message(error))


def invitations_model(parent: QWidget | None = None) -> RecordsModel[Invitation]:
    return RecordsModel(
        [
            (N_("Invited"), lambda i: i.name, False),
            (N_("Invitation"), lambda i: _(MAIL_LABELS.get(i.mail_state or "", N_("Not sent"))), False),
            (N_("Answer"), lambda i: _(RSVP_LABELS.get(i.rsvp, i.rsvp)), False),
            (N_("Came"), lambda i: "✓" if i.attended else "", False),
        ],
        parent,
    )


def guests_model(parent: QWidget | None = None) -> RecordsModel[Guest]:
    return RecordsModel(
        [
            (N_("Guest"), lambda g: f"{g.first_name} {g.last_name}".strip(), False),
            (N_("Brought by"), lambda g: g.invited_by, False),
            (N_("E-mail"), lambda g: g.email or "", False),
            (N_("Came"), lambda g: _("✓ prospect") if g.household_id else "", False),
        ],
        parent,
    )


class EventDialog(QDialog):
    """One event: who answered, who came, and the friends they brought."""

    def __init__(self, ctx: AppContext, detail: jobs.EventDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("EventDialog")
        self.resize(760, 600)
        self.ctx = ctx
        self.tasks = ctx.tasks
        self.detail = detail
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.title.setObjectName("SectionTitle")
        self.invited = invitations_model(self)
        self.invited_view = _table(self.invited, self)
        self.guests = guests_model(self)
        self.guests_view = _table(self.guests, self)
        row = QHBoxLayout()
        row.setSpacing(theme.S2)
        for action, label in (("yes", _("Coming")), ("no", _("Not coming")), ("attended", _("Came"))):
            button = QPushButton(label, self)
            button.clicked.connect(lambda _c=False, a=action: self._invitation(a))
            row.addWidget(button)
        row.addStretch(1)
        self.first = QLineEdit(self)
        self.first.setPlaceholderText(_("First name"))
        self.last = QLineEdit(self)
        self.last.setPlaceholderText(_("Last name"))
        self.email = QLineEdit(self)
        self.email.setPlaceholderText(_("E-mail (optional)"))
        self.brought_by = QComboBox(self)
        self.add_guest_button = QPushButton(_("Add guest"), self)
        self.add_guest_button.clicked.connect(self._add_guest)
        guest_row = QHBoxLayout()
        guest_row.setSpacing(theme.S2)
        for w in (self.first, self.last, self.email):
            guest_row.addWidget(w, 1)
        guest_row.addWidget(QLabel(_("brought by"), self))
        guest_row.addWidget(self.brought_by, 1)
        guest_row.addWidget(self.add_guest_button)
        self.came_button = QPushButton(_("Guest came: create prospect"), self)
        self.came_button.setObjectName("Primary")
        self.came_button.clicked.connect(self._guest_came)
        came_row = QHBoxLayout()
        came_row.addStretch(1)
        came_row.addWidget(self.came_button)
        self.status = QLabel(self)
        self.status.setObjectName("Muted")
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S2)
        layout.addWidget(self.title)
        layout.addWidget(self.invited_view, 3)
        layout.addLayout(row)
        layout.addSpacing(theme.S2)
        guests_title = QLabel(_("Friends they bring"), self)
        guests_title.setObjectName("SectionTitle")
        layout.addWidget(guests_title)
        layout.addWidget(self.guests_view, 2)
        layout.addLayout(guest_row)
        layout.addLayout(came_row)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.show_detail(detail)

    def show_detail(self, detail: jobs.EventDetail) -> None:
        self.detail = detail
        e = detail.event
        self.setWindowTitle(e.subject)
        where = f" · {e.location}" if e.location else ""
        self.title.setText(f"{e.subject} — {format_datetime(e.start, 'short')}{where}")
        self.invited.set_rows(detail.invitations)
        self.guests.set_rows(detail.guests)
        current = self.brought_by.currentData()
        self.brought_by.clear()
        for i in detail.invitations:
            self.brought_by.addItem(i.name, i.contact_id)
        if current is not None:
            self.brought_by.setCurrentIndex(max(0, self.brought_by.findData(current)))
        editable = not self.ctx.read_only
        self.add_guest_button.setEnabled(editable and bool(detail.invitations))
        self.came_button.setEnabled(editable and bool(detail.guests))

    def _selected(self, view: QTableView) -> int | None:
        rows = view.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _run(self, fn: Callable[..., object], *args: object) -> None:
        self.tasks.run_task(
            fn,
            *args,
            on_done=self._changed,
            on_error=lambda e: self.status.setText(user_message(e)),
            owner=self,
        )

    def _changed(self, detail: jobs.EventDetail) -> None:
        self.show_detail(detail)
        self.ctx.signals.data_changed.emit(Topic.REFERRALS)

    def _invitation(self, action: str) -> None:
        row = self._selected(self.invited_view)
        if row is None:
            self.status.setText(_("Select someone in the list first."))
            return
        contact = self.invited.row_item(row).contact_id
        self._run(jobs.event_action, self.ctx.book, action, self.detail.event.id, contact, self.ctx.now())

    def _add_guest(self) -> None:
        by = self.brought_by.currentData()
        if by is None or not (self.first.text().strip() or self.last.text().strip()):
            self.status.setText(_("A guest needs a name and the client who brings them."))
            return
        self._run(
            jobs.add_guest,
            self.ctx.book,
            self.detail.event.id,
            int(by),
            self.first.text(),
            self.last.text(),
            self.email.text(),
            self.ctx.now(),
        )
        for w in (self.first, self.last, self.email):
            w.clear()

    def _guest_came(self) -> None:
        row = self._selected(self.guests_view)
        if row is None:
            self.status.setText(_("Select a guest in the list first."))
            return
        guest = self.guests.row_item(row)
        self._run(
            jobs.event_action, self.ctx.book, "guest_attended", self.detail.event.id, guest.id, self.ctx.now()
        )
        self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)
        self.status.setText(
            _("{name} is now a prospect referred by {host}.").format(
                name=f"{guest.first_name} {guest.last_name}".strip(), host=guest.invited_by
            )
        )
