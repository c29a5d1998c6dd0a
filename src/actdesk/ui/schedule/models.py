"""Table models of occurrences (agenda, today, overdue), each row an Occurrence held by value."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from actdesk.domain.schedule.config import ActivityType
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.formats import format_time
from actdesk.i18n import _, format_date
from actdesk.ui import icons, theme

OCCURRENCE_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
Index = QModelIndex | QPersistentModelIndex


def when_text(o: Occurrence, tz: tzinfo, today: date, with_date: bool = True) -> str:
    """ "Today 10:30", "Mar 5, 2026 10:30", "Mar 5, 2026 (all day)" in the advisor's zone."""
    day = o.day(tz)
    if day is None:
        return ""
    label = _("Today") if day == today else format_date(day) if with_date else ""
    if o.start is None:
        return _("{day} (due)").format(day=label)
    if o.all_day:
        return _("{day} (all day)").format(day=label)
    clock = format_time(o.start.astimezone(tz))
    return f"{label} {clock}".strip()


def brief_when_text(o: Occurrence, tz: tzinfo, today: date) -> str:
    """For the side lists: today's entries by the clock ("10:30", "All day", "Due"), earlier ones by the
    day alone ("Mar 5, 2026": an overdue call is late by days, not by its hour); later days in full."""
    day = o.day(tz)
    if day is None or day > today:
        return when_text(o, tz, today)
    if day < today:
        return format_date(day)
    if o.start is None:
        return _("Due")
    if o.all_day:
        return _("All day")
    return format_time(o.start.astimezone(tz))


class OccurrenceTableModel(QAbstractTableModel):
    COLUMNS = ("when", "kind", "household", "subject", "status")

    def __init__(
        self, types: dict[str, ActivityType], tz: tzinfo, parent: Any = None, *, brief: bool = False
    ) -> None:
        super().__init__(parent)
        self.types = types
        self.tz = tz
        self.brief = brief  # "when" as ``brief_when_text`` (the side lists), the full text in the tooltip
        self.today = date.today()
        self.rows: list[Occurrence] = []
        self.names: dict[int, str] = {}

    def set_rows(self, rows: list[Occurrence], names: dict[int, str], today: date) -> None:
        self.beginResetModel()
        self.rows, self.names, self.today = list(rows), dict(names), today
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < len(self.COLUMNS):
            return None
        return (_("When"), _("Type"), _("Household"), _("Subject"), _("Status"))[section]

    def _status(self, o: Occurrence) -> str:
        if o.done:
            return _("Done")
        day = o.day(self.tz)
        if day is not None and day < self.today:
            return _("Overdue")
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        o = self.rows[index.row()]
        column = self.COLUMNS[index.column()]
        kind = self.types.get(o.kind)
        if role == OCCURRENCE_ROLE:
            return o
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "when":
                return (brief_when_text if self.brief else when_text)(o, self.tz, self.today)
            if column == "kind":
                return _(kind.label) if kind else o.kind
            if column == "household":
                return self.names.get(o.household_id, "")
            if column == "subject":
                return o.subject
            return self._status(o)
        if role == SORT_ROLE:
            if column == "when":
                return (
                    o.start or datetime.combine(o.day(self.tz) or date.max, datetime.min.time(), self.tz)
                ).timestamp()
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "").lower()
        if role == Qt.ItemDataRole.DecorationRole and column == "kind" and kind is not None:
            return icons.icon(kind.icon, kind.colour)
        if role == Qt.ItemDataRole.ForegroundRole and column == "status" and self._status(o) == _("Overdue"):
            return QColor(theme.colors().danger)
        if role == Qt.ItemDataRole.ToolTipRole:
            household = self.names.get(o.household_id, "")
            when = when_text(o, self.tz, self.today)
            return "\n".join(
                p for p in (when, household, o.subject, o.location or "", o.notes or "", o.outcome or "") if p
            )
        return None


class OccurrenceFilterProxy(QSortFilterProxyModel):
    """Sorts by the real instant, filters on household and subject text as the advisor types."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)
