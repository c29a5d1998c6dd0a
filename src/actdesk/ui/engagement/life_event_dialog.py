"""The life-event form of the contact card: what happened, to whom, when, notes. Also used in meetings."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.engagement.questionnaire import KINDS
from actdesk.domain.enums import LifeEventKind, LifeEventSource, life_event_label
from actdesk.domain.models import Contact, LifeEvent
from actdesk.i18n import _, user_message
from actdesk.services.engagement import jobs
from actdesk.services.engagement.followups import FiledEvent
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.qt_locale import localize_edit
from actdesk.ui.topics import Topic


class LifeEventDialog(QDialog):
    """Returns a ``LifeEvent`` (source: advisor); the caller saves it."""

    def __init__(
        self,
        household_id: int,
        household_name: str,
        members: Sequence[Contact],
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("LifeEventDialog")
        self.setWindowTitle(_("Record a life event"))
        self.setMinimumWidth(440)
        self.household_id = household_id
        heading = QLabel(household_name, self)
        heading.setObjectName("SectionTitle")
        self.kind = QComboBox(self)
        for kind in KINDS:
            self.kind.addItem(life_event_label(kind), kind)
        self.member = QComboBox(self)
        self.member.addItem(_("The whole household"), None)
        for c in members:
            if c.id is not None:
                self.member.addItem(c.full_name, c.id)
        if self.member.count() > 1:
            self.member.setCurrentIndex(1)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setCalendarPopup(True)
        localize_edit(self.day)
        self.notes = QPlainTextEdit(self)
        self.notes.setPlaceholderText(_("e.g. Daughter Mia born; they ask about a college fund"))
        self.notes.setFixedHeight(72)
        form = QFormLayout()
        form.setSpacing(theme.S2)
        form.addRow(_("What happened"), self.kind)
        form.addRow(_("Who"), self.member)
        form.addRow(_("When"), self.day)
        form.addRow(_("Notes"), self.notes)
        hint = QLabel(
            _(
                "A follow-up call is added to the schedule, a growth alert is raised, and a brochure that "
                "fits is suggested: it is sent only when you approve it."
            ),
            self,
        )
        hint.setObjectName("Muted")
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setObjectName("Primary")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def event_value(self) -> LifeEvent:
        d = self.day.date()
        notes = self.notes.toPlainText().strip()
        return LifeEvent(
            household_id=self.household_id,
            kind=LifeEventKind(self.kind.currentData()),
            date=date(d.year(), d.month(), d.day()),
            contact_id=self.member.currentData(),
            notes=notes or None,
            source=LifeEventSource.ADVISOR,
        )


def record_life_event(
    ctx: AppContext,
    household_id: int,
    household_name: str,
    members: Sequence[Contact],
    parent: QWidget | None = None,
    on_saved: Callable[[FiledEvent], None] | None = None,
) -> LifeEventDialog | None:
    """Open the form; on Save, file the event with its follow-ups in the background and tell the advisor."""
    if ctx.read_only:
        ctx.signals.status_message.emit(_("This book is open read-only."))
        return None
    dialog = LifeEventDialog(household_id, household_name, members, ctx.now().date(), parent)

    def saved(filed: FiledEvent) -> None:
        for topic in (Topic.LIFE_EVENTS, Topic.ACTIVITIES, Topic.ALERTS):
            ctx.signals.data_changed.emit(topic)
        text = _("Life event recorded for {household}; a follow-up call is on the schedule.").format(
            household=household_name
        )
        if filed.brochure_id is not None:
            text += " " + _("A brochure awaits your approval.")
        ctx.signals.status_message.emit(text)
        if on_saved:
            on_saved(filed)

    def failed(error: BaseException) -> None:
        ctx.signals.status_message.emit(
            _("The life event could not be saved: {error}").format(error=user_message(error))
        )

    def accepted() -> None:
        ctx.tasks.run_task(
            jobs.save_life_event,
            ctx.book,
            ctx.settings,
            dialog.event_value(),
            ctx.now(),
            on_done=saved,
            on_error=failed,
        )

    dialog.accepted.connect(accepted)
    dialog.open()
    return dialog
