"""The alerts table: a model of alert rows and a proxy that filters by rule, severity, state and text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from actdesk.domain.alerts.model import (
    RULE_TITLES,
    SEVERITY_TITLES,
    STATE_TITLES,
    Alert,
    AlertState,
    RuleKey,
    Severity,
)
from actdesk.i18n import N_, _, format_date
from actdesk.ui import icons, theme

COLUMNS = (N_("Severity"), N_("Household"), N_("Alert"), N_("Why"), N_("State"), N_("Since"))
COL = {name: i for i, name in enumerate(("severity", "household", "rule", "why", "state", "since"))}

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 2
RULE_ROLE = Qt.ItemDataRole.UserRole + 3
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 4
STATE_ROLE = Qt.ItemDataRole.UserRole + 5
SORT_ROLE = Qt.ItemDataRole.UserRole + 6

Index = QModelIndex | QPersistentModelIndex


def severity_color(severity: Severity) -> str:
    dark = theme.is_dark()
    return {
        Severity.HIGH: theme.DANGER_DARK if dark else theme.DANGER,
        Severity.MEDIUM: "#FBBF24" if dark else theme.WARNING,
        Severity.LOW: theme.colors().muted,
    }[severity]


class AlertTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.alerts: list[Alert] = []
        self._icons: dict[Severity, Any] = {}

    def set_alerts(self, alerts: list[Alert]) -> None:
        self.beginResetModel()
        self.alerts = list(alerts)
        self.endResetModel()

    def alert_at(self, row: int) -> Alert:
        return self.alerts[row]

    def row_of(self, alert_id: int) -> int:
        return next((i for i, a in enumerate(self.alerts) if a.id == alert_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.alerts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(COLUMNS[section])
        return None

    def _icon(self, severity: Severity) -> Any:
        if severity not in self._icons:
            self._icons[severity] = icons.icon("alert", severity_color(severity))
        return self._icons[severity]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.alerts):
            return None
        a = self.alerts[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(a, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a)
        if role == Qt.ItemDataRole.DecorationRole and col == COL["severity"]:
            return self._icon(a.severity)
        if role == Qt.ItemDataRole.ForegroundRole and col == COL["severity"]:
            return QBrush(QColor(severity_color(a.severity)))
        if (
            role == Qt.ItemDataRole.FontRole
            and a.state is AlertState.NEW
            and col in (COL["household"], COL["rule"])
        ):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        if role == ID_ROLE:
            return a.id
        if role == HOUSEHOLD_ROLE:
            return a.household_id
        if role == RULE_ROLE:
            return a.rule.value
        if role == SEVERITY_ROLE:
            return a.severity.value
        if role == STATE_ROLE:
            return a.state.value
        if role == SORT_ROLE:
            return self._sort_key(a, col)
        return None

    def _display(self, a: Alert, col: int) -> str:
        if col == COL["severity"]:
            return _(SEVERITY_TITLES[a.severity])
        if col == COL["household"]:
            return a.household_name
        if col == COL["rule"]:
            return _(RULE_TITLES[a.rule])
        if col == COL["why"]:
            return a.explanation
        if col == COL["state"]:
            if a.state is AlertState.SNOOZED and a.snoozed_until:
                return _("Until {date}").format(date=format_date(a.snoozed_until, "short"))
            return _(STATE_TITLES[a.state])
        return format_date(_local(a.created_at).date(), "medium")

    def _tooltip(self, a: Alert) -> str:
        text = a.explanation
        if a.state is AlertState.DISMISSED and a.dismissed_reason:
            text += "\n" + _("Dismissed: {reason}").format(reason=a.dismissed_reason)
        return text

    @staticmethod
    def _sort_key(a: Alert, col: int) -> Any:
        if col == COL["severity"]:  # most severe first, then the rules that cost books first
            return (a.severity.rank, -list(RuleKey).index(a.rule), a.created_at.timestamp())
        if col == COL["since"]:
            return a.created_at.timestamp()
        if col == COL["state"]:
            return list(AlertState).index(a.state)
        return None


def _local(when: datetime) -> datetime:
    return when.astimezone()


# What the "Show" filter offers: open (new and seen), one state, or everything not resolved.
SHOW_CHOICES: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("open", N_("Open alerts"), frozenset({"new", "seen"})),
    ("new", N_("New alerts"), frozenset({"new"})),
    ("snoozed", N_("Snoozed alerts"), frozenset({"snoozed"})),
    ("dismissed", N_("Dismissed alerts"), frozenset({"dismissed"})),
    ("all", N_("All alerts"), frozenset({"new", "seen", "snoozed", "dismissed"})),
)


class AlertFilterProxy(QSortFilterProxyModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rule: str = ""
        self.severity: str = ""
        self.states: frozenset[str] = SHOW_CHOICES[0][2]
        self.text = ""
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filters(
        self,
        *,
        rule: str | None = None,
        severity: str | None = None,
        states: frozenset[str] | None = None,
        text: str | None = None,
    ) -> None:
        self.beginFilterChange()
        if rule is not None:
            self.rule = rule
        if severity is not None:
            self.severity = severity
        if states is not None:
            self.states = states
        if text is not None:
            self.text = text.strip().casefold()
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not isinstance(model, AlertTableModel):
            return True
        return self.accepts(model.alert_at(source_row))

    def accepts(self, a: Alert) -> bool:
        """The filters, on one alert (the grouped list applies them without going through Qt)."""
        if self.rule and a.rule.value != self.rule:
            return False
        if self.severity and a.severity.value != self.severity:
            return False
        if a.state.value not in self.states:
            return False
        return (
            not self.text or self.text in a.household_name.casefold() or self.text in a.explanation.casefold()
        )

    def lessThan(self, left: Index, right: Index) -> bool:
        lk, rk = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if lk is not None and rk is not None:
            return bool(lk < rk)
        return str(left.data() or "").casefold() < str(right.data() or "").casefold()


RULE_CHOICES: tuple[tuple[str, str], ...] = tuple((r.value, RULE_TITLES[r]) for r in RuleKey)
