"""The household list's view: the name column always whole, the others shown by priority while they fit.

The name column stretches and never elides. Every other column is as wide as its widest text (header
included), so nothing in it elides either; when the list is too narrow for all of them, the columns of
lowest priority give way first. The advisor can also hide columns from the header's context menu (the
column chooser); that choice is remembered.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from actdesk.ui import theme
from actdesk.ui.households.model import COL, COLUMNS, STATUS_ROLE, HouseholdFilterProxy, HouseholdTableModel

# Columns other than the name, most important first: the first to give way is the last here.
PRIORITY = ("status", "aum", "city", "client_since", "primary_contact")
CELL_PADDING = 24  # the item's margins plus room for the sort arrow in the header
SETTINGS_KEY = "households/hidden_columns"
# Columns whose text may be elided (the fit test reads this); the household name never is.
ELIDABLE: frozenset[str] = frozenset()


class StatusChipDelegate(QStyledItemDelegate):
    """Status as a compact rounded chip in the status colour."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        view = opt.widget if opt.widget is not None else self.parent()
        widget = view if isinstance(view, QWidget) else None
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        metrics = QFontMetrics(opt.font)
        width = metrics.horizontalAdvance(text) + 2 * theme.S2
        height = metrics.height() + 4
        rect = QRect(opt.rect.left() + theme.S2, opt.rect.center().y() - height // 2 + 1, width, height)
        color = QColor(theme.status_color(str(index.data(STATUS_ROLE) or "")))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        fill = QColor(color)
        fill.setAlpha(36)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, height / 2, height / 2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.setPen(opt.palette.highlightedText().color() if selected else color)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 2 * theme.S2, hint.height())


class HouseholdTable(QTableView):
    """The list; ``fit_columns()`` decides which columns show and how wide (after data and resizes)."""

    sig_columns_changed = Signal()

    def __init__(self, proxy: HouseholdFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("household_table")
        self.setModel(proxy)
        self.setProperty("elidable_columns", sorted(COL[k] for k in ELIDABLE))
        self.user_hidden: set[str] = set(_load_hidden())
        self._widths: dict[str, int] = {}
        self.setItemDelegateForColumn(COL["status"], StatusChipDelegate(self))
        self.setSortingEnabled(True)
        self.sortByColumn(COL["name"], Qt.SortOrder.AscendingOrder)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(32)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL["name"], QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(32)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self.column_menu)
        source = proxy.sourceModel()
        if source is not None:
            source.modelReset.connect(self.measure)
        self.measure()

    # -- measuring and fitting ---------------------------------------------------------------------------
    def _source(self) -> HouseholdTableModel | None:
        proxy = self.model()
        source = proxy.sourceModel() if isinstance(proxy, HouseholdFilterProxy) else None
        return source if isinstance(source, HouseholdTableModel) else None

    def measure(self) -> None:
        """The width each column needs for its widest text (rows and header), then refit."""
        source = self._source()
        cell = QFontMetrics(self.font())
        head = QFontMetrics(self.horizontalHeader().font())
        self._widths = {}
        for key, _title in COLUMNS:
            column = COL[key]
            title = str(source.headerData(column, Qt.Orientation.Horizontal) if source else _title)
            texts = set(source.column_texts(column)) if source is not None else set()
            widest = max((cell.horizontalAdvance(t) for t in texts), default=0)
            extra = 2 * theme.S2 if key == "status" else 0
            self._widths[key] = max(head.horizontalAdvance(title), widest + extra) + CELL_PADDING
        # Never narrower than the longest name: the list gives way column by column, never the name.
        self.setMinimumWidth(
            self.name_width() + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth()
        )
        self.fit_columns()

    def name_width(self) -> int:
        return self._widths.get("name", 160)

    def fit_columns(self) -> None:
        """Show the columns of highest priority that fit beside the whole household name."""
        room = self.viewport().width() - self.name_width()
        shown: list[str] = []
        for key in PRIORITY:
            width = self._widths.get(key, 100)
            if key in self.user_hidden or width > room:
                continue
            shown.append(key)
            room -= width
        header = self.horizontalHeader()
        for key in PRIORITY:
            column = COL[key]
            visible = key in shown
            if header.isSectionHidden(column) == visible:
                header.setSectionHidden(column, not visible)
            if visible and header.sectionSize(column) != self._widths[key]:
                header.resizeSection(column, self._widths[key])
        header.setMinimumSectionSize(32)
        self.sig_columns_changed.emit()

    def shown_columns(self) -> list[str]:
        header = self.horizontalHeader()
        return [key for key, _t in COLUMNS if not header.isSectionHidden(COL[key])]

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    # -- column chooser ----------------------------------------------------------------------------------
    def column_menu(self, pos: QPoint) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName("column_chooser")
        source = self._source()
        for key in PRIORITY:
            title = str(source.headerData(COL[key], Qt.Orientation.Horizontal)) if source else key
            action = menu.addAction(title)
            action.setCheckable(True)
            action.setChecked(key not in self.user_hidden)
            action.toggled.connect(lambda on, k=key: self.set_column_wanted(k, on))
        menu.popup(self.horizontalHeader().mapToGlobal(pos))
        return menu

    def set_column_wanted(self, key: str, wanted: bool) -> None:
        if wanted:
            self.user_hidden.discard(key)
        else:
            self.user_hidden.add(key)
        QSettings().setValue(SETTINGS_KEY, sorted(self.user_hidden))
        self.fit_columns()


def _load_hidden() -> list[str]:
    value = QSettings().value(SETTINGS_KEY)
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value or [] if str(v) in PRIORITY]


def household_table(proxy: HouseholdFilterProxy, parent: QWidget) -> HouseholdTable:
    return HouseholdTable(proxy, parent)
