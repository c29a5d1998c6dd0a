"""Table models of the outbox and of the campaign reports, with a state filter proxy for the outbox."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from actdesk.i18n import N_, _, format_datetime, format_number
from actdesk.storage.repositories.mail import CampaignSummary, OutboxEntry
from actdesk.ui import theme

ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
STATE_ROLE = Qt.ItemDataRole.UserRole + 3
Index = QModelIndex | QPersistentModelIndex

STATE_LABELS = {
    "queued": N_("Queued"),
    "sending": N_("Sending"),
    "sent": N_("Sent"),
    "failed": N_("Failed"),
    "uncertain": N_("Uncertain"),
    "cancelled": N_("Cancelled"),
}


def state_label(state: str) -> str:
    return _(STATE_LABELS.get(state, state))


def state_color(state: str) -> QColor | None:
    c = theme.colors()
    colour = {
        "sent": theme.SUCCESS,
        "failed": c.danger,
        "uncertain": theme.WARNING,
        "cancelled": c.muted,
    }.get(state)
    return QColor(colour) if colour else None


OUTBOX_COLUMNS = (
    ("state", N_("State")),
    ("scheduled", N_("Scheduled")),
    ("to", N_("To")),
    ("subject", N_("Subject")),
    ("attempts", N_("Attempts")),
    ("reply", N_("Server reply")),
)


class OutboxModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxEntry] = []

    def set_rows(self, rows: list[OutboxEntry]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def entry(self, row: int) -> OutboxEntry:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(OUTBOX_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(OUTBOX_COLUMNS[section][1])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        key = OUTBOX_COLUMNS[index.column()][0]
        if role == ID_ROLE:
            return e.id
        if role == STATE_ROLE:
            return e.state
        if role == Qt.ItemDataRole.DisplayRole:
            return {
                "state": state_label(e.state),
                "scheduled": format_datetime(e.scheduled_for.astimezone(), "short"),
                "to": e.to,
                "subject": e.subject,
                "attempts": format_number(e.attempts),
                "reply": (e.smtp_reply or "").replace("\n", " "),
            }[key]
        if role == SORT_ROLE:
            return {"scheduled": e.scheduled_for.timestamp(), "attempts": e.attempts}.get(
                key, self.data(index)
            )
        if role == Qt.ItemDataRole.ForegroundRole and key == "state":
            return state_color(e.state)
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "attempts":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("reply", "subject"):
            return e.smtp_reply if key == "reply" else e.subject
        return None


class OutboxProxy(QSortFilterProxyModel):
    """Filters by state ("" = all) and sorts by raw values."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._state = ""
        self.setSortRole(SORT_ROLE)

    def set_state(self, state: str) -> None:
        self._state = state
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._state:
            return True
        model = self.sourceModel()
        return bool(model.data(model.index(source_row, 0, source_parent), STATE_ROLE) == self._state)


CAMPAIGN_COLUMNS = (
    ("name", N_("Campaign")),
    ("scheduled", N_("Scheduled")),
    ("queued", N_("Queued")),
    ("sent", N_("Sent")),
    ("failed", N_("Failed")),
    ("uncertain", N_("Uncertain")),
    ("opted_out", N_("Opted out")),
    ("skipped", N_("Skipped")),
)
_NUMERIC = {"queued", "sent", "failed", "uncertain", "opted_out", "skipped"}


class CampaignReportModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CampaignSummary] = []

    def set_rows(self, rows: list[CampaignSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CAMPAIGN_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(CAMPAIGN_COLUMNS[section][1])
        return None

    def _value(self, c: CampaignSummary, key: str) -> Any:
        if key == "name":
            return c.name
        if key == "scheduled":
            return c.scheduled_for
        if key == "opted_out":
            return c.opted_out
        if key == "skipped":
            return sum(c.skipped.values())
        return c.counts.get(key, 0)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c = self._rows[index.row()]
        key = CAMPAIGN_COLUMNS[index.column()][0]
        value = self._value(c, key)
        if role == ID_ROLE:
            return c.id
        if role == SORT_ROLE:
            return value.timestamp() if key == "scheduled" else value
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "scheduled":
                return format_datetime(value.astimezone(), "short")
            return format_number(value) if key in _NUMERIC else value
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and key == "skipped" and c.skipped:
            from actdesk.services.mail.campaigns import SKIP_REASONS

            return "\n".join(f"{_(SKIP_REASONS.get(k, k))}: {n}" for k, n in c.skipped.items())
        if role == Qt.ItemDataRole.ToolTipRole and key == "name":
            return _("Audience: {audience}").format(audience=c.audience)
        return None
