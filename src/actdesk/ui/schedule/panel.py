"""The Schedule panel (view + wiring): calendar or agenda on the left; today, overdue and the selected entry
on the right, always visible. Behaviour lives in ScheduleController."""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QPoint, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.formats import format_time
from actdesk.i18n import N_, _, format_date, format_number, ngettext, user_message
from actdesk.storage.repositories.overdue import close_overdue, reschedule_overdue
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.schedule.calendar_view import CalendarGrid
from actdesk.ui.schedule.controller import VIEWS, OverdueData, ScheduleController, WindowData
from actdesk.ui.schedule.dialogs import DoneDialog, QuickAddDialog
from actdesk.ui.schedule.edit_dialog import EditActivityDialog
from actdesk.ui.schedule.entry_table import entry_table
from actdesk.ui.schedule.models import OCCURRENCE_ROLE, OccurrenceFilterProxy, OccurrenceTableModel, when_text
from actdesk.ui.schedule.notifier import ReminderNotifier
from actdesk.ui.schedule.services import install_schedule_services, schedule_services
from actdesk.ui.topics import Topic
from actdesk.ui.window_geometry import restore_splitter, save_splitter

VIEW_LABELS = (("day", N_("Day")), ("week", N_("Week")), ("month", N_("Month")), ("agenda", N_("Agenda")))


class SchedulePanel(QWidget):
    sig_loaded = Signal(int)  # entries in the window
    sig_overdue_loaded = Signal(int)  # overdue items in all
    sig_editor_opened = Signal(object)  # EditActivityDialog

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SchedulePanel")
        self.ctx = ctx
        self.controller = ScheduleController(ctx, self)
        c = self.controller
        self.selected: Occurrence | None = None
        self.edit_dialog: EditActivityDialog | None = None
        self.services = schedule_services(ctx) or install_schedule_services(self, ctx)

        # -- toolbar --
        self.today_button = QPushButton(_("Today"), self)
        self.prev_button = QToolButton(self)
        self.prev_button.setText("‹")
        self.prev_button.setToolTip(_("Previous"))
        self.next_button = QToolButton(self)
        self.next_button.setText("›")
        self.next_button.setToolTip(_("Next"))
        self.title = QLabel(self)
        self.title.setObjectName("CardTitle")
        self.view_buttons = QButtonGroup(self)
        toolbar = QHBoxLayout()
        toolbar.setSpacing(theme.S2)
        for w in (self.today_button, self.prev_button, self.next_button, self.title):
            toolbar.addWidget(w)
        toolbar.addStretch(1)
        for key, label in VIEW_LABELS:
            button = QPushButton(_(label), self)
            button.setObjectName(f"view_{key}")
            button.setCheckable(True)
            button.setStyleSheet(self._segment_style())
            button.setChecked(key == c.view)
            self.view_buttons.addButton(button)
            button.clicked.connect(lambda _checked=False, k=key: self.set_view(k))
            toolbar.addWidget(button)
        # The side lists take two fifths of the width: hidden, a week's entries at 1366 px say their subject.
        self.side_button = QPushButton(icons.icon("panel-right"), "", self)
        self.side_button.setObjectName("schedule_side")
        self.side_button.setCheckable(True)
        self.side_button.setChecked(True)
        self.side_button.setStyleSheet(self._segment_style())
        self.side_button.setToolTip(_("Show or hide the lists beside the calendar (today, overdue)"))
        self.side_button.setAccessibleName(_("Lists beside the calendar"))
        toolbar.addWidget(self.side_button)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(_("Filter the agenda"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(220)
        self.add_button = QPushButton(icons.icon("add", theme.colors().accent_text), _("New activity"), self)
        self.add_button.setObjectName("Primary")
        toolbar.addWidget(self.search)
        toolbar.addWidget(self.add_button)

        # -- main area --
        self.grid = CalendarGrid(c.types, c.tz, self)
        self.grid.set_hours(c.settings.day_start_hour, c.settings.day_end_hour)
        self.agenda_model = OccurrenceTableModel(c.types, c.tz, self)
        self.agenda_proxy = OccurrenceFilterProxy(self)
        self.agenda_proxy.setSourceModel(self.agenda_model)
        self.agenda = entry_table(self.agenda_proxy, self)
        self.agenda.setSortingEnabled(True)
        self.agenda.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.grid)
        self.stack.addWidget(self.agenda)

        # -- side: today, overdue, selection --
        # The side lists say "when" in brief (today's by the clock, overdue ones by the day) so that the
        # household and the subject keep the narrow panel's width.
        self.today_model = OccurrenceTableModel(c.types, c.tz, self, brief=True)
        self.overdue_model = OccurrenceTableModel(c.types, c.tz, self, brief=True)
        self.today_label = QLabel(_("Today"), self)
        self.today_label.setObjectName("SectionTitle")
        self.today_table = entry_table(self.today_model, self, hidden=(1, 4), elide=(2, 3))
        self.overdue_label = QLabel(self)
        self.overdue_label.setObjectName("SectionTitle")
        self.overdue_table = entry_table(self.overdue_model, self, hidden=(1, 4), elide=(2, 3))
        self.detail = QLabel(_("Select an entry to act on it."), self)
        self.detail.setObjectName("Muted")
        self.detail.setWordWrap(True)
        self.edit_button = QPushButton(_("Edit…"), self)
        self.done_button = QPushButton(icons.icon("check"), _("Mark done…"), self)
        self.skip_button = QPushButton(_("Skip / delete"), self)
        self.skip_button.setObjectName("Danger")
        self.open_button = QPushButton(_("Open household"), self)
        actions = QGridLayout()  # two rows of two: every label whole in a narrow side panel
        actions.setSpacing(theme.S2)
        for n, b in enumerate((self.edit_button, self.done_button, self.skip_button, self.open_button)):
            actions.addWidget(b, n // 2, n % 2)
        self.cleanup_button = QPushButton(icons.icon("check"), _("Clean up old items…"), self)
        self.cleanup_button.setObjectName("overdue_cleanup")
        self.cleanup_button.setToolTip(
            _("Close or reschedule, in one step, the open items older than 90 days")
        )
        self.cleanup_button.clicked.connect(self.clean_up_overdue)
        self.cleanup_button.hide()
        side = self.side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(theme.S2, 0, 0, 0)
        side_layout.setSpacing(theme.S2)
        side_layout.addWidget(self.today_label)
        side_layout.addWidget(self.today_table, 2)
        self.overdue_label.setWordWrap(True)
        side_layout.addWidget(self.overdue_label)
        side_layout.addWidget(self.cleanup_button, 0, Qt.AlignmentFlag.AlignLeft)
        side_layout.addWidget(self.overdue_table, 3)
        side_layout.addWidget(self.detail)
        side_layout.addLayout(actions)
        side.setMinimumWidth(400)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.stack)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(toolbar)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("FieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        layout.addWidget(self.splitter, 1)

        # -- wiring --
        self.today_button.clicked.connect(c.go_today)
        self.prev_button.clicked.connect(lambda: c.step(-1))
        self.next_button.clicked.connect(lambda: c.step(1))
        self.add_button.clicked.connect(lambda: self.quick_add())
        self.side_button.toggled.connect(self.side.setVisible)
        self.search.textChanged.connect(self.agenda_proxy.setFilterFixedString)
        c.sig_loaded.connect(self._loaded)
        c.sig_overdue_loaded.connect(self._overdue_loaded)
        c.sig_failed.connect(self._failed)
        c.sig_next_review_proposed.connect(self._offer_next_review)
        self.grid.sig_item_clicked.connect(self.select)
        self.grid.sig_item_activated.connect(self.edit)
        self.grid.sig_reschedule_requested.connect(c.reschedule)
        self.grid.sig_add_requested.connect(lambda when: self.quick_add(when=when))
        self.grid.sig_day_requested.connect(self._open_day)
        self.grid.sig_item_menu_requested.connect(self._item_menu)
        for table in (self.agenda, self.today_table, self.overdue_table):
            table.clicked.connect(lambda index: self.select(index.data(OCCURRENCE_ROLE)))
            table.doubleClicked.connect(lambda index: self.edit(index.data(OCCURRENCE_ROLE)))
        self.edit_button.clicked.connect(lambda: self.edit(self.selected))
        self.done_button.clicked.connect(lambda: self.mark_done(self.selected))
        self.skip_button.clicked.connect(self._skip_selected)
        self.open_button.clicked.connect(self._open_household)
        ctx.signals.data_changed.connect(self._data_changed)
        # Panel actions (listed by F1); Ctrl+N stays the window's "New household".
        for text, keys, slot in (
            (_("New activity"), "Ctrl+Shift+N", lambda: self.quick_add()),
            (_("Go to today"), "T", c.go_today),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
        self._restore_state()
        self._select(None)
        c.reload()

    # -- state kept between sessions (QSettings, like the window's size) --
    def _restore_state(self) -> None:
        """The splitter where the advisor left it, the side lists shown or hidden, and the view (day, week,
        month, agenda) last used."""
        restore_splitter(self.splitter, "schedule/splitter")
        self.side_button.setChecked(QSettings().value("schedule/side") not in ("false", False))
        view = QSettings().value("schedule/view")
        if isinstance(view, str) and view in VIEWS:
            self.controller.view = view
        self._check_view_button(self.controller.view)

    def save_state(self) -> None:
        save_splitter(self.splitter, "schedule/splitter")
        QSettings().setValue("schedule/view", self.controller.view)
        QSettings().setValue("schedule/side", self.side_button.isChecked())

    def _check_view_button(self, view: str) -> None:
        for button in self.view_buttons.buttons():
            button.setChecked(button.objectName() == f"view_{view}")

    @staticmethod
    def _segment_style() -> str:
        c = theme.colors()
        return f"QPushButton:checked {{ background: {c.accent}; color: {c.accent_text}; border-color: {c.accent}; }}"

    # -- shared with the window-wide services (one household list, one quick-add, one reminder timer) --
    @property
    def households(self) -> dict[int, str]:
        return self.services.households

    @property
    def dialog(self) -> QuickAddDialog | None:
        return self.services.dialog

    @property
    def notifier(self) -> ReminderNotifier:
        return self.services.notifier

    # -- loading --
    def _data_changed(self, topic: str) -> None:
        if topic in (Topic.ACTIVITIES, Topic.HOUSEHOLDS, Topic.BOOK, Topic.IMPORTS):
            self.controller.invalidate()
            self.controller.reload()

    def _loaded(self, data: WindowData) -> None:
        self.error_label.hide()
        c = self.controller
        first, last = c.bounds()
        today = c.today()
        self.grid.names = data.names
        self.grid.set_window(
            c.view if c.view != "agenda" else "week", first, last, today, c.anchor.month, data.occurrences
        )
        if c.view == "agenda":  # sorting a big window costs time; only the agenda shows it as a list
            self.agenda_model.set_rows(data.occurrences, data.names, today)
        self.today_model.set_rows(data.today, data.names, today)
        self.title.setText(self._title(first, last))
        self.stack.setCurrentWidget(self.agenda if c.view == "agenda" else self.grid)
        self.search.setVisible(c.view == "agenda")
        if self.selected is not None:
            overdue = self.controller.overdue.items if self.controller.overdue else []
            fresh = next((o for o in (*data.occurrences, *overdue) if o.key == self.selected.key), None)
            self._select(fresh)
        self.sig_loaded.emit(len(data.occurrences))

    def _overdue_loaded(self, data: OverdueData) -> None:
        self.controller.overdue = data
        newest_first = sorted(data.items, key=lambda o: _when(o, self.controller.tz), reverse=True)
        self.overdue_model.set_rows(newest_first, data.names, self.controller.today())
        self.old_overdue = [o for o in data.items if _is_old(o, self.controller.today(), self.controller.tz)]
        self.cleanup_button.setVisible(bool(self.old_overdue) and not self.ctx.read_only)
        label = ngettext("Overdue ({n})", "Overdue ({n})", data.total).format(n=format_number(data.total))
        if data.total > len(data.items):
            label += " · " + _("showing the latest {n}").format(n=len(data.items))
        self.overdue_label.setText(label)
        self.sig_overdue_loaded.emit(data.total)

    def _title(self, first: date, last: date) -> str:
        view = self.controller.view
        if view == "day":
            return format_date(first, "full")
        if view == "month":
            return format_date(self.controller.anchor.replace(day=1), "LLLL y").capitalize()
        return _("{first} – {last}").format(first=format_date(first), last=format_date(last))

    def _failed(self, message: str) -> None:
        """Shown in the panel, never as a modal box: a locked or busy book must not freeze the window."""
        text = _("The schedule could not be updated: {error}").format(error=message)
        self.error_label.setText(text)
        self.error_label.show()
        self.ctx.signals.status_message.emit(text)

    # -- actions --
    def set_view(self, view: str) -> None:
        self._check_view_button(view)
        self.controller.set_view(view)

    def _open_day(self, day: date) -> None:
        self.controller.anchor = day
        self.set_view("day")

    def select(self, occ: Occurrence | None) -> None:
        self._select(occ)
        self.grid.selected = occ.key if occ else None
        self.grid.update()

    def _select(self, occ: Occurrence | None) -> None:
        self.selected = occ
        for b in (self.edit_button, self.done_button, self.skip_button, self.open_button):
            b.setEnabled(occ is not None)
        if occ is None:
            self.detail.setText(_("Select an entry to act on it."))
            return
        c = self.controller
        # Subjects, places and outcomes come from other calendars too: text, never markup (a subject
        # "Lunch <Mike> & Co" shows as written instead of vanishing into a tag).
        parts = [
            when_text(occ, c.tz, c.today()),
            self.households.get(occ.household_id, ""),
            occ.location or "",
            _("Done: {outcome}").format(outcome=occ.outcome or "—") if occ.done else "",
        ]
        self.detail.setText(
            "<br>".join([f"<b>{html.escape(occ.subject)}</b>", *(html.escape(p) for p in parts if p)])
        )
        self.done_button.setEnabled(not occ.done)
        self.skip_button.setText(_("Skip this time") if occ.recurring else _("Delete"))

    def quick_add(
        self, when: datetime | None = None, household_id: int | None = None
    ) -> QuickAddDialog | None:
        """Open the quick-add dialog over the panel (see ``ScheduleServices.quick_add``); the household is
        the one in focus (the selected entry's), or none: never a guess."""
        if household_id is None and self.selected is not None:
            household_id = self.selected.household_id
        return self.services.quick_add(when, household_id, parent=self)

    def edit(self, occ: Occurrence | None) -> None:
        """Open the edit dialog for an entry (double-click in any view, or Edit…); it asks, for a series,
        whether the change is for this one, this and following, or all."""
        if occ is not None:
            self.controller.load_editor(occ, lambda loaded: self._open_editor(occ, *loaded))

    def _open_editor(
        self, occ: Occurrence, activity: Activity, contacts: dict[int, list[tuple[int, str]]]
    ) -> EditActivityDialog:
        c = self.controller
        dialog = EditActivityDialog(
            activity, occ, self.households, self.services.anniversaries, contacts, c.types, c.tz, self
        )
        dialog.accepted.connect(lambda: c.edit(occ, dialog.changes(), dialog.scope))
        self.edit_dialog = dialog
        dialog.open()
        self.sig_editor_opened.emit(dialog)
        return dialog

    def mark_done(self, occ: Occurrence | None) -> DoneDialog | None:
        if occ is None or occ.done:
            return None
        dialog = DoneDialog(occ, self.households.get(occ.household_id, ""), self)
        dialog.accepted.connect(lambda: self.controller.mark_done(occ, dialog.text()))
        dialog.open()
        self.done_dialog = dialog
        return dialog

    def _offer_next_review(self, household_id: int, proposed: datetime) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(_("Schedule the next review?"))
        box.setText(
            _("Review done. Schedule the next one for {day} at {time}?").format(
                day=format_date(proposed.date(), "full"), time=format_time(proposed)
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText(_("Schedule it"))
        box.button(QMessageBox.StandardButton.No).setText(_("Not now"))
        box.accepted.connect(
            lambda: self.controller.add(
                Activity(household_id, ActivityKind.REVIEW, _("Review"), start=proposed, duration_minutes=90)
            )
        )
        self.review_box = box
        box.open()

    def _item_menu(self, _occ: Occurrence, where: QPoint) -> None:
        """The selected entry's actions as a menu: the side panel's buttons, enabled as they are."""
        menu = QMenu(self)
        menu.setObjectName("schedule_item_menu")
        for button in (self.edit_button, self.done_button, self.skip_button, self.open_button):
            action = menu.addAction(
                button.text()
            )  # no icons: a menu shows the done button's tick as "checked"
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
        menu.popup(where)

    def _skip_selected(self) -> None:
        if self.selected is not None:
            self.controller.skip(self.selected)
            self._select(None)

    def _open_household(self) -> None:
        if self.selected is not None:
            self.ctx.signals.open_household_requested.emit(self.selected.household_id)

    # -- overdue clean-up ---------------------------------------------------------------------------------------
    def clean_up_overdue(self) -> QMessageBox:
        """One decision for the very old open items: close them all, or move them all to next week."""
        today = self.controller.today()
        cutoff = today - timedelta(days=OLD_DAYS)
        box = QMessageBox(self)
        box.setObjectName("overdue_cleanup_box")
        box.setWindowTitle(_("Clean up old items"))
        box.setText(
            _("Open items from before {day} are unlikely to happen as planned.").format(
                day=format_date(cutoff)
            )
        )
        box.setInformativeText(
            _("Close them (they stay in each household's history), or move them to next week.")
        )
        close = box.addButton(_("Close them"), QMessageBox.ButtonRole.AcceptRole)
        move = box.addButton(_("Move to next week"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        self.cleanup_box = box

        def answered(_r: int) -> None:
            clicked = box.clickedButton()
            if clicked is close:
                self._run_cleanup(close_overdue, cutoff)
            elif clicked is move:
                self._run_cleanup(reschedule_overdue, cutoff, today + timedelta(days=7))

        box.finished.connect(answered)
        box.open()
        return box

    def _run_cleanup(self, fn: Any, *args: object) -> None:
        book, now, tz = self.ctx.book, self.ctx.now(), self.controller.tz

        def work(_state: object) -> int:
            with book.session() as s:
                return int(fn(s, now, tz, *args))

        def done(n: int) -> None:
            self.ctx.signals.data_changed.emit(Topic.ACTIVITIES)
            self.ctx.signals.status_message.emit(
                ngettext("{n} old item cleaned up", "{n} old items cleaned up", n).format(n=n)
            )

        self.ctx.tasks.run_task(
            work, on_done=done, on_error=lambda e: self.ctx.signals.status_message.emit(user_message(e))
        )

    def activate(self) -> None:
        self.controller.reload()


OLD_DAYS = 90  # open items older than this are offered the one-step clean-up


def _when(o: Occurrence, tz: tzinfo) -> datetime:
    if o.start is not None:
        return o.start
    return datetime.combine(o.due_date or date.min, time.min, tzinfo=tz)


def _is_old(o: Occurrence, today: date, tz: tzinfo) -> bool:
    day = o.day(tz)
    return day is not None and not o.recurring and (today - day).days > OLD_DAYS
