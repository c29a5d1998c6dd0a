"""Ctrl+K: type a few letters of a household, a member, an e-mail, a phone or a city, press Enter, land on it."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.storage.engine import Book
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories.households import HouseholdListItem
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.households.model import (
    COL,
    ID_ROLE,
    HouseholdTableModel,
    SearchEntry,
    ranked_matches,
    search_entries,
)
from actdesk.ui.households.table import StatusChipDelegate

SHOWN = ("name", "status", "city", "aum")
LIMIT = 50  # quick find jumps; it does not browse
STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 10, Qt.Key.Key_PageUp: -10}


class QuickFind(QDialog):
    sig_household_chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.FramelessWindowHint)
        self.ctx = ctx
        self.setObjectName("QuickFind")
        self.setWindowTitle(_("Quick find"))
        self.resize(640, 420)
        self.items: list[HouseholdListItem] = []
        self.entries: list[SearchEntry] = []
        self.model = HouseholdTableModel(self)  # the matches only, best first
        self.proxy = self.model
        self.edit = QLineEdit(self)
        self.edit.setObjectName("quick_find_edit")
        self.edit.setPlaceholderText(_("Jump to a household: name, member, e-mail, phone or city"))
        self.edit.addAction(
            icons.icon("search", theme.colors().muted), QLineEdit.ActionPosition.LeadingPosition
        )
        self.edit.textChanged.connect(self._filter)
        self.list = QTableView(self)
        self.list.setModel(self.proxy)
        self.list.verticalHeader().hide()
        self.list.horizontalHeader().hide()
        self.list.setShowGrid(False)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(False)
        self.list.setProperty("elidable_columns", [COL["city"]])
        self.list.setItemDelegateForColumn(COL["status"], StatusChipDelegate(self.list))
        for col in range(self.model.columnCount()):
            key = next(k for k, v in COL.items() if v == col)
            self.list.setColumnHidden(col, key not in SHOWN)
        header = self.list.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL["city"], QHeaderView.ResizeMode.Stretch)
        self.list.doubleClicked.connect(self._choose)
        self.hint = QLabel(_("↑ ↓ to move, Enter to open, Esc to close"), self)
        self.hint.setObjectName("Muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S3, theme.S3, theme.S3, theme.S3)
        layout.setSpacing(theme.S2)
        layout.addWidget(self.edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.setStyleSheet(
            f"QDialog#QuickFind {{ background: {theme.colors().surface}; border: 1px solid {theme.colors().border};"
            " border-radius: 8px; }"
        )
        ctx.tasks.run_task(_fetch, ctx.book, on_done=self._loaded)

    def _loaded(self, rows: list[HouseholdListItem]) -> None:
        self.items = rows
        self.entries = search_entries(rows)  # prepared once; each keystroke only compares
        self._filter(self.edit.text())

    def _filter(self, text: str) -> None:
        self.model.set_rows(ranked_matches(self.entries, text, LIMIT), keep_order=True)
        if self.model.rowCount():
            self.list.selectRow(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            step = STEPS[Qt.Key(key)]
            row = max(0, min(self.model.rowCount() - 1, self.list.currentIndex().row() + step))
            self.list.selectRow(row)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._choose(self.list.currentIndex())
            return
        super().keyPressEvent(event)

    def _choose(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        household_id = int(index.data(ID_ROLE))
        self.accept()
        self.sig_household_chosen.emit(household_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.edit.setFocus)


def _fetch(_state: object, book: Book) -> list[HouseholdListItem]:
    with book.reader() as s:
        return repo.list_households(s)
