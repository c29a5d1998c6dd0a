"""Small read-only table models for the contact card's sections (accounts, activity, life events, notes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from actdesk.domain.enums import AccountType, ActivityKind, LifeEventKind
from actdesk.domain.models import Account, Activity, LifeEvent, Note
from actdesk.i18n import N_, _, format_date, format_datetime, format_money

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

ACCOUNT_TYPES = {
    AccountType.BROKERAGE: N_("Brokerage"),
    AccountType.IRA: N_("IRA"),
    AccountType.ROTH_IRA: N_("Roth IRA"),
    AccountType.K401: N_("401(k)"),
    AccountType.ANNUITY: N_("Annuity"),
    AccountType.INSURANCE: N_("Insurance"),
    AccountType.TRUST: N_("Trust"),
    AccountType.COLLEGE_529: N_("529 plan"),
    AccountType.CHECKING: N_("Checking"),
    AccountType.OTHER: N_("Other"),
}
ACTIVITY_KINDS = {
    ActivityKind.CALL: N_("Call"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.REVIEW: N_("Review"),
    ActivityKind.TASK: N_("Task"),
    ActivityKind.EMAIL: N_("E-mail"),
    ActivityKind.EVENT: N_("Event"),
}
LIFE_EVENT_KINDS = {
    LifeEventKind.BIRTH: N_("Birth"),
    LifeEventKind.MARRIAGE: N_("Marriage"),
    LifeEventKind.DIVORCE: N_("Divorce"),
    LifeEventKind.DEATH: N_("Death"),
    LifeEventKind.INHERITANCE: N_("Inheritance"),
    LifeEventKind.GRADUATION: N_("Graduation"),
    LifeEventKind.NEW_HOME: N_("New home"),
    LifeEventKind.MOVE: N_("Move"),
    LifeEventKind.JOB_CHANGE: N_("Job change"),
    LifeEventKind.RETIREMENT: N_("Retirement"),
    LifeEventKind.OTHER: N_("Other"),
}


class RecordsModel(QAbstractTableModel, Generic[T]):
    """Columns are (title, cell function, right-aligned?). Rows are domain dataclasses."""

    def __init__(
        self,
        columns: Sequence[tuple[str, Callable[[T], str], bool]],
        parent: Any = None,
        tooltip: Callable[[T], str] | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self._tooltip = tooltip
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_item(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self._columns[section][0])
        if role == Qt.ItemDataRole.TextAlignmentRole and self._columns[section][2]:
            return RIGHT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        _title, cell, right = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell(self._rows[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(self._rows[index.row()]) if self._tooltip else cell(self._rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole and right:
            return RIGHT
        return None


def accounts_model(balances: dict[int, Decimal], parent: Any = None) -> RecordsModel[Account]:
    def balance(a: Account) -> str:
        value = balances.get(a.id or -1)
        return format_money(value) if value is not None else "—"

    def title(a: Account) -> str:
        name = a.name or _(ACCOUNT_TYPES.get(a.type, N_("Other")))
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
        if a.start:
            return format_date(a.start.date(), "short")
        return format_date(a.due_date, "short") if a.due_date else "—"

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


def life_events_model(names: dict[int, str], parent: Any = None) -> RecordsModel[LifeEvent]:
    return RecordsModel[LifeEvent](
        [
            (N_("Date"), lambda e: format_date(e.date), False),
            (N_("Event"), lambda e: _(LIFE_EVENT_KINDS.get(e.kind, N_("Other"))), False),
            (N_("Member"), lambda e: names.get(e.contact_id or -1, ""), False),
        ],
        parent,
        tooltip=lambda e: e.notes or _(LIFE_EVENT_KINDS.get(e.kind, N_("Other"))),
    )


def notes_model(parent: Any = None) -> RecordsModel[Note]:
    return RecordsModel[Note](
        [
            (N_("Written"), lambda n: format_datetime(n.created_at, "short"), False),
            (N_("Note"), lambda n: n.body, False),
        ],
        parent,
    )
