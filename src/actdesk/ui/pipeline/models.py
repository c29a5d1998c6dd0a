"""Table models of the pipeline panel: board cards, prospects by fit, sources, growth ideas.

Each model holds plain dataclasses from ``services.pipeline``; proxies filter (by stage, by text) and sort
on ``SORT_ROLE`` so that money and scores sort as numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from actdesk.domain.pipeline.config import kind_label, stage_label
from actdesk.domain.pipeline.fit import shown_value
from actdesk.domain.pipeline.similar import Suggestion, holding_label
from actdesk.domain.pipeline.sources import SourceStats
from actdesk.i18n import N_, _, format_date, format_money, format_number, format_percent
from actdesk.services.pipeline import BoardRow, ProspectFit
from actdesk.ui import theme

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
STAGE_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_ROLE = Qt.ItemDataRole.UserRole + 3  # the dataclass behind the row
SORT_ROLE = Qt.ItemDataRole.UserRole + 4
MIME_TYPE = "application/x-actdesk-opportunity"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


def warning_color() -> str:
    """Amber readable on the light and the dark palette (the alerts use the same pair)."""
    return "#FBBF24" if theme.is_dark() else theme.WARNING


class _Table(QAbstractTableModel):
    COLUMNS: tuple[str, ...] = ()
    NUMERIC: frozenset[int] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section in self.NUMERIC else LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in self.NUMERIC:
            return RIGHT
        if role == SORT_ROLE:
            return self.sort_key(row, col)
        if role == ROW_ROLE:
            return row
        if role == ID_ROLE:
            return self.row_id(row)
        return self.extra(row, col, role)

    def display(self, row: Any, col: int) -> Any:
        raise NotImplementedError

    def sort_key(self, row: Any, col: int) -> Any:
        return self.display(row, col)

    def row_id(self, row: Any) -> Any:
        return None

    def extra(self, row: Any, col: int, role: int) -> Any:
        return None


def _money(value: Any) -> str:
    return "" if value is None else format_money(value, cents=False)


class OpportunityModel(_Table):
    """Every opportunity of the board; each stage column shows it through a ``StageProxy``."""

    COLUMNS = (N_("Household"), N_("Kind"), N_("Expected AUM"), N_("Probability"), N_("Weighted"), N_("Days"))
    NUMERIC = frozenset({2, 3, 4, 5})

    def display(self, row: BoardRow, col: int) -> Any:
        i = row.item
        return (
            i.household,
            kind_label(i.kind),
            _money(i.expected_aum),
            format_percent(row.probability, 0),
            _money(row.weighted_value),
            format_number(row.days_in_stage),
        )[col]

    def sort_key(self, row: BoardRow, col: int) -> Any:
        i = row.item
        return (
            i.household.casefold(),
            kind_label(i.kind),
            float(i.expected_aum or 0),
            row.probability,
            float(row.weighted_value),
            row.days_in_stage,
        )[col]

    def row_id(self, row: BoardRow) -> int:
        return row.item.id

    def extra(self, row: BoardRow, col: int, role: int) -> Any:
        if role == STAGE_ROLE:
            return row.item.stage
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [row.item.household, kind_label(row.item.kind)]
            if row.item.expected_aum is not None:  # exact, when the card shows it compact
                parts.append(_("Expected AUM: {amount}").format(amount=format_money(row.item.expected_aum)))
            parts.append(  # whole, when a narrow card shortens it
                _("In this stage since {date}").format(
                    date=format_date(row.item.stage_changed_at.astimezone().date())
                )
            )
            if row.item.source:
                parts.append(_("Source: {source}").format(source=row.item.source))
            if row.item.lost_reason:
                parts.append(_("Lost: {reason}").format(reason=row.item.lost_reason))
            return "\n".join(parts)
        return None

    def row_of(self, opportunity_id: int) -> int:
        return next((n for n, r in enumerate(self.rows) if r.item.id == opportunity_id), -1)

    def replace(self, row: BoardRow) -> None:
        """Swap one card in place (after a move) without resetting every column's view."""
        n = self.row_of(row.item.id)
        if n < 0:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
            self.rows.append(row)
            self.endInsertRows()
            return
        self.rows[n] = row
        self.dataChanged.emit(self.index(n, 0), self.index(n, self.columnCount() - 1))

    # drag and drop: a card carries its opportunity id
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsDragEnabled if index.isValid() else base

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = sorted({int(self.rows[i.row()].item.id) for i in indexes if i.isValid()})
        data.setData(MIME_TYPE, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class StageProxy(QSortFilterProxyModel):
    """One stage's cards, largest weighted value first."""

    def __init__(self, stage: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        return bool(model.index(source_row, 0, source_parent).data(STAGE_ROLE) == self.stage)


class ProspectModel(_Table):
    COLUMNS = (
        N_("Fit"),
        N_("Prospect"),
        N_("Age"),
        N_("Net worth"),
        N_("Income"),
        N_("Risk tolerance"),
        N_("Source"),
    )
    NUMERIC = frozenset({0, 2, 3, 4})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.as_of: date | None = None

    def display(self, row: ProspectFit, col: int) -> Any:
        t = row.traits
        age = t.age(self.as_of) if self.as_of else None
        return (
            str(row.fit.score),
            t.name,
            "" if age is None else str(age),
            _money(t.net_worth),
            _money(t.income),
            "" if not t.risk_tolerance else shown_value("risk_tolerance", t.risk_tolerance),
            t.source or "",
        )[col]

    def sort_key(self, row: ProspectFit, col: int) -> Any:
        t = row.traits
        if col == 0:
            return row.fit.score
        if col == 2:
            return t.age(self.as_of) if self.as_of and t.birth_date else -1
        if col == 3:
            return float(t.net_worth or 0)
        if col == 4:
            return float(t.income or 0)
        return str(self.display(row, col)).casefold()

    def row_id(self, row: ProspectFit) -> int:
        return row.traits.household_id


class TextFilterProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE``; filters on any column's text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterKeyColumn(-1)


class SourceModel(_Table):
    COLUMNS = (
        N_("Source"),
        N_("Opportunities"),
        N_("Won"),
        N_("Win rate"),
        N_("Cycle (days)"),
        N_("AUM won"),
        N_("Spent"),
        N_("Cost per household"),
    )
    NUMERIC = frozenset(range(1, 8))

    def display(self, row: SourceStats, col: int) -> Any:
        na = _("n/a")
        return (
            row.source or _("Unknown"),
            format_number(row.opportunities),
            format_number(row.won),
            na if row.win_rate is None else format_percent(row.win_rate, 0),
            na if row.cycle_days is None else format_number(row.cycle_days),
            _money(row.aum_won),
            _money(row.total_cost) if row.total_cost else "—",
            na if row.cost_per_household is None else _money(row.cost_per_household),
        )[col]

    def sort_key(self, row: SourceStats, col: int) -> Any:
        return (
            row.source.casefold(),
            row.opportunities,
            row.won,
            -1.0 if row.win_rate is None else row.win_rate,
            -1.0 if row.cycle_days is None else row.cycle_days,
            float(row.aum_won),
            float(row.total_cost),
            -1.0 if row.cost_per_household is None else float(row.cost_per_household),
        )[col]

    def extra(self, row: SourceStats, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and col == 7 and row.cost_per_household is None:
            return _("Record what this source cost (money and hours) to see the cost per household won.")
        return None


class SuggestionModel(_Table):
    COLUMNS = (N_("Growth idea"), N_("Similar households"), N_("Typical amount"), N_("Opportunity"))
    NUMERIC = frozenset({1, 2})

    def display(self, row: Suggestion, col: int) -> Any:
        return (
            holding_label(row.holding),
            _("{count} of {k}").format(count=row.support, k=row.neighbours),
            _money(row.typical_amount),
            _("{kind} (in pipeline)").format(kind=kind_label(row.opportunity_kind))
            if row.in_pipeline
            else kind_label(row.opportunity_kind),
        )[col]

    def sort_key(self, row: Suggestion, col: int) -> Any:
        return (
            holding_label(row.holding),
            row.support,
            float(row.typical_amount or 0),
            row.opportunity_kind,
        )[col]

    def row_id(self, row: Suggestion) -> str:
        return row.holding

    def extra(self, row: Suggestion, col: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.text
        return None


__all__ = [
    "ID_ROLE",
    "MIME_TYPE",
    "ROW_ROLE",
    "SORT_ROLE",
    "STAGE_ROLE",
    "OpportunityModel",
    "ProspectModel",
    "SourceModel",
    "StageProxy",
    "SuggestionModel",
    "TextFilterProxy",
    "stage_label",
]
