"""Small read-only table models for the contact card's sections (accounts, activity, life events, notes)."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from actdesk.domain.enums import ACCOUNT_TYPE_LABELS, ActivityKind, life_event_label
from actdesk.domain.models import Account, Activity, LifeEvent, Note
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import N_, _, format_date, format_datetime, format_money
from actdesk.ui.models.records import RecordsModel

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

ACTIVITY_KINDS = {
    ActivityKind.CALL: N_("Call"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.REVIEW: N_("Review"),
    ActivityKind.TASK: N_("Task"),
    ActivityKind.EMAIL: N_("E-mail"),
    ActivityKind.EVENT: N_("Event"),
}


def accounts_model(balances: dict[int, Decimal], parent: Any = None) -> RecordsModel[Account]:
    def balance(a: Account) -> str:
        value = balances.get(a.id or -1)
        return format_money(value, cents=True) if value is not None else "—"

    def title(a: Account) -> str:
        name = a.name or _(ACCOUNT_TYPE_LABELS.get(a.type, N_("Other")))
        return name if a.managed else _("{account} (held away)").format(account=name)

    return RecordsModel[Account](
        [
            (N_("Account"), title, False),
            (N_("Custodian"), lambda a: a.custodian, False),
            (N_("Balance"), balance, True),
        ],
        parent,
    )


def activities_model(parent: Any = None) -> RecordsModel[Activity]:
    def when(a: Activity) -> str:
        if a.start:  # an all-day item starts at UTC midnight of its own date: shown on that date everywhere
            return format_date(a.start.astimezone(UTC) if a.all_day else a.start.astimezone())
        return format_date(a.due_date) if a.due_date else "—"

    return RecordsModel[Activity](
        [
            (N_("When"), when, False),
            (N_("Kind"), lambda a: _(ACTIVITY_KINDS.get(a.kind, N_("Task"))), False),
            (N_("Subject"), lambda a: a.subject, False),
            (N_("Status"), lambda a: "✓" if a.done else _("Open"), False),
        ],
        parent,
        tooltip=lambda a: "\n".join(p for p in (a.subject, a.outcome, a.notes) if p),
    )


def upcoming_model(parent: Any = None) -> RecordsModel[Occurrence]:
    def when(o: Occurrence) -> str:
        if o.start is None:
            return format_date(o.due_date) if o.due_date else "—"
        return format_date(o.day(UTC)) if o.all_day else format_datetime(o.start.astimezone())

    return RecordsModel[Occurrence](
        [
            (N_("When"), when, False),
            (N_("Kind"), lambda o: _(ACTIVITY_KINDS.get(ActivityKind(o.kind), N_("Task"))), False),
            (N_("Subject"), lambda o: o.subject, False),
        ],
        parent,
        tooltip=lambda o: "\n".join(p for p in (o.subject, o.location, o.notes) if p),
    )


def life_events_model(names: dict[int, str], parent: Any = None) -> RecordsModel[LifeEvent]:
    return RecordsModel[LifeEvent](
        [
            (N_("Date"), lambda e: format_date(e.date), False),
            (N_("Event"), lambda e: life_event_label(e.kind), False),
            (N_("Member"), lambda e: names.get(e.contact_id or -1, ""), False),
        ],
        parent,
        tooltip=lambda e: e.notes or life_event_label(e.kind),
    )


def notes_model(parent: Any = None) -> RecordsModel[Note]:
    return RecordsModel[Note](
        [
            (N_("Written"), lambda n: format_datetime(n.created_at, "short"), False),
            (N_("Note"), lambda n: n.body, False),
        ],
        parent,
    )
