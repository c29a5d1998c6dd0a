"""One read-only table model for lists of plain rows, shared by the card, the import screens and others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from actdesk.i18n import _

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row object itself


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

    row_at = row_item

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
        if role == ROW_ROLE:
            return self._rows[index.row()]
        return None
