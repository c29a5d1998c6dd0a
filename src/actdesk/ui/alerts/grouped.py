"""The alert list grouped by household: one row per household, its alerts beneath, most severe first.

A tree over the filter proxy (``AlertFilterProxy``): whatever the filters keep is grouped here. Households
are ordered by their most severe alert, then by book value (managed assets), then by name; alerts inside a
household by severity, then newest first. In triage mode only the first ``TRIAGE_SIZE`` households show; the
panel summarises the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon

from actdesk.domain.alerts.model import (
    RULE_TITLES,
    SEVERITY_TITLES,
    STATE_TITLES,
    Alert,
    AlertState,
    Severity,
)
from actdesk.i18n import N_, _, format_date, format_money, ngettext
from actdesk.ui import icons
from actdesk.ui.alerts.model import AlertTableModel, severity_color

TRIAGE_SIZE = 10
EXPANDED = 25  # households opened on their alerts; the rest show their count and open on a click
GROUP_COLUMNS = (N_("Household / alert"), N_("Why"), N_("Since"))
GCOL = {"name": 0, "why": 1, "since": 2}
ALERT_ID_ROLE = Qt.ItemDataRole.UserRole + 11
HOUSEHOLD_ID_ROLE = Qt.ItemDataRole.UserRole + 12
Index = QModelIndex | QPersistentModelIndex
_GROUP = 0xFFFFFFFF  # internal id of a household row; an alert row's internal id is its group's position


@dataclass
class Group:
    household_id: int
    name: str
    value: Decimal
    alerts: list[Alert] = field(default_factory=list)

    @property
    def severity(self) -> Severity:
        return self.alerts[0].severity  # alerts are kept most severe first


def group_alerts(alerts: list[Alert], values: Mapping[int, Decimal]) -> list[Group]:
    """Pure: households by worst severity, then book value, then name; alerts by severity, newest first."""
    groups: dict[int, Group] = {}
    for alert in alerts:
        group = groups.get(alert.household_id)
        if group is None:
            value = values.get(alert.household_id, Decimal(0))
            group = groups[alert.household_id] = Group(alert.household_id, alert.household_name, value)
        group.alerts.append(alert)
    rank = {s: s.rank for s in Severity}
    for group in groups.values():
        if len(group.alerts) > 1:
            group.alerts.sort(key=lambda a: (-rank[a.severity], -a.created_at.timestamp(), a.id or 0))
    return sorted(groups.values(), key=lambda g: (-rank[g.alerts[0].severity], -g.value, g.name.casefold()))


class GroupedAlertModel(QAbstractItemModel):
    def __init__(self, proxy: QSortFilterProxyModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.values: dict[int, Decimal] = {}
        self.all_groups: list[Group] = []
        self.groups: list[Group] = []
        self.triage = False
        self._icons: dict[Severity, QIcon] = {}
        for signal in (proxy.modelReset, proxy.layoutChanged, proxy.rowsInserted, proxy.rowsRemoved):
            signal.connect(self.rebuild)

    def set_values(self, values: Mapping[int, Decimal]) -> None:
        self.values = dict(values)
        self.rebuild()

    def set_triage(self, on: bool) -> None:
        if on != self.triage:
            self.triage = on
            self.rebuild()

    def filtered_alerts(self) -> list[Alert]:
        source = self.proxy.sourceModel()
        if not isinstance(source, AlertTableModel):
            return []
        accepts = getattr(self.proxy, "accepts", None)
        if callable(accepts):  # the same filters, in one Python pass instead of a Qt call per row
            return [a for a in source.alerts if accepts(a)]
        rows = (self.proxy.mapToSource(self.proxy.index(r, 0)).row() for r in range(self.proxy.rowCount()))
        return [source.alert_at(r) for r in rows]

    def rebuild(self, *_args: object) -> None:
        self.beginResetModel()
        self.all_groups = group_alerts(self.filtered_alerts(), self.values)
        self.groups = self.all_groups[:TRIAGE_SIZE] if self.triage else self.all_groups
        self.endResetModel()

    def hidden_groups(self) -> list[Group]:
        return self.all_groups[len(self.groups) :]

    # -- lookups -----------------------------------------------------------------------------------------
    def alert_of(self, index: Index) -> Alert | None:
        """The alert of a row; a household row stands for its most severe alert."""
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            return self.groups[index.row()].alerts[0]
        return self.groups[index.internalId()].alerts[index.row()]

    def index_of(self, alert_id: int) -> QModelIndex:
        for g, group in enumerate(self.groups):
            for a, alert in enumerate(group.alerts):
                if alert.id == alert_id:
                    return self.createIndex(a, 0, g)
        return QModelIndex()

    # -- Qt model API --------------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(GROUP_COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP) if row < len(self.groups) else QModelIndex()
        if (
            parent.internalId() != _GROUP
            or parent.column() != 0
            or row >= len(self.groups[parent.row()].alerts)
        ):
            return QModelIndex()
        return self.createIndex(row, column, parent.row())

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(int(index.internalId()), 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self.groups[parent.row()].alerts)
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(GROUP_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(GROUP_COLUMNS[section])
        return None

    def _icon(self, severity: Severity) -> QIcon:
        if severity not in self._icons:
            self._icons[severity] = icons.icon("alert", severity_color(severity))
        return self._icons[severity]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        col = index.column()
        if index.internalId() == _GROUP:
            group = self.groups[index.row()]
            return self._group_data(group, col, role)
        alert = self.groups[index.internalId()].alerts[index.row()]
        return self._alert_data(alert, col, role)

    def _group_data(self, group: Group, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == GCOL["name"]:
                return group.name
            if col == GCOL["why"]:
                n = len(group.alerts)
                top = _(RULE_TITLES[group.alerts[0].rule])
                if n == 1:
                    return top
                return ngettext("{top} and {n} more", "{top} and {n} more", n - 1).format(top=top, n=n - 1)
            return ""
        if role == Qt.ItemDataRole.DecorationRole and col == GCOL["name"]:
            return self._icon(group.severity)
        if role == Qt.ItemDataRole.FontRole and col == GCOL["name"]:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            severity = _(SEVERITY_TITLES[group.severity])
            worth = format_money(group.value, cents=False)
            return f"{group.name} · {severity} · {worth}"
        if role == HOUSEHOLD_ID_ROLE:
            return group.household_id
        if role == ALERT_ID_ROLE:
            return group.alerts[0].id
        return None

    def _alert_data(self, alert: Alert, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if col == GCOL["name"]:
                return _(RULE_TITLES[alert.rule])
            if col == GCOL["why"]:
                return alert.explanation
            return format_date(alert.created_at.astimezone().date(), "medium")
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [
                f"{_(RULE_TITLES[alert.rule])} · {_(SEVERITY_TITLES[alert.severity])}",
                alert.explanation,
                _(STATE_TITLES[alert.state]),
            ]
            return "\n".join(parts)
        if role == Qt.ItemDataRole.ForegroundRole and col == GCOL["name"]:
            return QBrush(QColor(severity_color(alert.severity)))
        if role == Qt.ItemDataRole.FontRole and alert.state is AlertState.NEW and col == GCOL["name"]:
            font = QFont()
            font.setBold(True)
            return font
        if role == HOUSEHOLD_ID_ROLE:
            return alert.household_id
        if role == ALERT_ID_ROLE:
            return alert.id
        return None
