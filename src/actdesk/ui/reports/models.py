"""Table models of the Reports panel: the catalogue, and one report table (with its totals kept last)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont

from actdesk import i18n
from actdesk.i18n import _, format_money_compact
from actdesk.services.reports.catalogue import ReportSpec
from actdesk.services.reports.model import Table
from actdesk.services.reports.render.cells import display, is_numeric

Index = QModelIndex | QPersistentModelIndex
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
TOTAL_ROLE = Qt.ItemDataRole.UserRole + 3


class CatalogueModel(QAbstractListModel):
    def __init__(self, reports: tuple[ReportSpec, ...]) -> None:
        super().__init__()
        self.reports = reports

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.reports)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        spec = self.reports[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _(spec.title)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _(spec.description)
        if role == KEY_ROLE:
            return spec.key
        return None


class ReportTableModel(QAbstractTableModel):
    """One section's table: display text in the locale, raw values for sorting, totals as a bold last row.

    A cell's text is formatted once and kept (for the formats in force: Preferences may change them while the
    report is shown): fitting the columns measures every cell at each resize, and formatting every amount with
    babel again was most of the CPU a resize of a 150-row report took."""

    def __init__(self, table: Table) -> None:
        super().__init__()
        self.table = table
        self._rows = list(table.rows) + ([table.totals] if table.totals is not None else [])
        self.compact: frozenset[int] = frozenset()  # money columns shown short, exact in the tooltip
        self._texts: dict[tuple[int, int, bool], str | None] = {}  # (row, column, short?) -> text
        self._formats = (i18n.current_locale(), i18n.current_currency())

    def money_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.table.columns) if c.kind == "money"]

    def set_compact(self, columns: frozenset[int]) -> None:
        """Show these money columns' amounts short where that is shorter ("19,7 M US$"; a table on screen only:
        the PDF and the exports keep every amount exact)."""
        if columns == self.compact:
            return
        changed = sorted(columns ^ self.compact)
        self.compact = columns
        if self._rows:
            self.dataChanged.emit(self.index(0, changed[0]), self.index(len(self._rows) - 1, changed[-1]))

    def _exact(self, row: int, column: int) -> str:
        return self._kept(row, column, short=False) or ""

    def _short(self, row: int, column: int) -> str | None:
        """The compact amount, when the column is compact and that is shorter than the exact one."""
        if column not in self.compact:
            return None
        return self._kept(row, column, short=True)

    def _kept(self, row: int, column: int, *, short: bool) -> str | None:
        formats = (i18n.current_locale(), i18n.current_currency())
        if formats != self._formats:
            self._texts.clear()
            self._formats = formats
        key = (row, column, short)
        if key not in self._texts:
            value = self._rows[row][column]
            if not short:
                self._texts[key] = display(value, self.table.columns[column].kind)
            elif isinstance(value, Decimal | int | float):
                text = format_money_compact(value)
                self._texts[key] = text if len(text) < len(display(value, "money")) else None
            else:
                self._texts[key] = None
        return self._texts[key]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.table.columns)

    def is_total(self, row: int) -> bool:
        return self.table.totals is not None and row == len(self._rows) - 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        value = self._rows[row][col]
        column = self.table.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._short(row, col) or self._exact(row, col)
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "text" and value is not None:
            return self._exact(row, col)  # a long name elides in its cell; the tooltip shows it whole
        if role == Qt.ItemDataRole.ToolTipRole and self._short(row, col):
            return self._exact(row, col)  # a compact amount; the tooltip has it exact
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = (
                Qt.AlignmentFlag.AlignRight if is_numeric(column.kind) else Qt.AlignmentFlag.AlignLeft
            )
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self.is_total(index.row()):
            font = QFont()
            font.setBold(True)
            return font
        if role == SORT_ROLE:
            if value is None:
                return float("-inf") if is_numeric(column.kind) else ""
            if isinstance(value, Decimal | int | float):
                return float(value)
            return value.isoformat() if hasattr(value, "isoformat") else str(value).casefold()
        if role == TOTAL_ROLE:
            return self.is_total(index.row())
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            column = self.table.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(
                    (Qt.AlignmentFlag.AlignRight if is_numeric(column.kind) else Qt.AlignmentFlag.AlignLeft)
                    | Qt.AlignmentFlag.AlignVCenter
                    | Qt.TextFlag.TextWordWrap  # long titles break over two lines (tables fit at 1366)
                )
        return None


class TotalsLastProxy(QSortFilterProxyModel):
    """Sorts on raw values and keeps the totals row at the bottom whichever way the column is sorted."""

    def __init__(self) -> None:
        super().__init__()
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: Index, right: Index) -> bool:
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if left.data(TOTAL_ROLE):
            return not ascending
        if right.data(TOTAL_ROLE):
            return ascending
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is not type(b):
            return str(a) < str(b)
        return bool(a < b)
