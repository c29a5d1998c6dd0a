"""Building blocks shared by the dashboards: KPI tiles, chart cards, and the drill-down household list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.services.dashboard.tiles import TileText
from actdesk.ui import theme

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class Tile(QFrame):
    """One headline number with its caption and a muted line of context."""

    def __init__(self, caption: str | TileText, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S1)
        # A tile named from the glossary explains itself: its definition is the tooltip.
        self.definition = caption.tooltip() if isinstance(caption, TileText) else ""
        self.setToolTip(self.definition)
        self.caption = QLabel(caption.caption() if isinstance(caption, TileText) else caption, self)
        self.caption.setWordWrap(True)  # long names in Spanish wrap instead of widening the row
        self.caption.setObjectName("Muted")
        self.value = QLabel("—", self)
        self.value.setObjectName("TileValue")
        self.note = QLabel("", self)
        self.note.setObjectName("Muted")
        self.note.setWordWrap(True)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.note)

    def set(self, value: str, note: str = "", tooltip: str = "") -> None:
        self.value.setText(value or "—")
        self.note.setText(note)
        self.setToolTip("\n\n".join(t for t in (self.definition, tooltip) if t))


class ChartCard(QFrame):
    """A titled card around a chart (or any widget), with a one-line explanation under the title."""

    def __init__(self, title: str, subtitle: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S3, theme.S4, theme.S3)
        layout.setSpacing(theme.S1)
        self.title = QLabel(title, self)
        self.title.setObjectName("SectionTitle")
        self.subtitle = QLabel(subtitle, self)
        self.subtitle.setObjectName("Muted")
        self.subtitle.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(body, 1)
        self.body = body


class HouseholdListModel(QAbstractTableModel):
    """Drill-down rows: household id and name plus one detail column (segment, rule, amount...)."""

    def __init__(self, rows: list[tuple[int, str, str]], detail_title: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows = rows
        self.detail_title = detail_title

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        hid, name, detail = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return name if index.column() == 0 else detail
        if role == ID_ROLE:
            return hid
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _("Household") if section == 0 else self.detail_title
        return None


class HouseholdListDialog(QDialog):
    """The households behind a bar: double-click or Enter opens one's card."""

    sig_household_chosen = Signal(int)

    def __init__(
        self, title: str, rows: list[tuple[int, str, str]], detail_title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(520, 480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        heading = QLabel(title, self)
        heading.setObjectName("SectionTitle")
        hint = QLabel(_("Double-click a household to open its card."), self)
        hint.setObjectName("Muted")
        self.model = HouseholdListModel(rows, detail_title, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # keep the given order
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.view.activated.connect(self._chosen)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def _chosen(self, index: QModelIndex) -> None:
        hid = self.proxy.data(index, ID_ROLE)
        if hid is not None:
            self.sig_household_chosen.emit(int(hid))
            self.accept()


def dashboard_page(
    scroll: QScrollArea, tiles: Mapping[str, str | TileText]
) -> tuple[QWidget, QVBoxLayout, QLabel, dict[str, Tile]]:
    """The shared frame of a dashboard tab: a scrolling body, a muted caption line and a row of KPI tiles."""
    scroll.setWidgetResizable(True)
    body = QWidget(scroll)
    scroll.setWidget(body)
    outer = QVBoxLayout(body)
    outer.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S6)
    outer.setSpacing(theme.S3)
    caption = QLabel(body)
    caption.setObjectName("Muted")
    outer.addWidget(caption)
    row = QHBoxLayout()
    row.setSpacing(theme.S3)
    made = {key: Tile(title, body) for key, title in tiles.items()}
    for tile in made.values():
        row.addWidget(tile, 1)
    outer.addLayout(row)
    return body, outer, caption, made
