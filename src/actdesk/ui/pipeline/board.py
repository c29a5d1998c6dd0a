"""The pipeline board: one column per stage, cards painted by a delegate, drag a card to move it.

The board only lays out and paints; a drop emits ``sig_move_requested(opportunity_id, stage)`` and the
controller decides (lost asks for a reason, the move runs as a unit of work, the model updates).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.pipeline.board import ColumnTotals
from actdesk.domain.pipeline.config import PipelineConfig, kind_label, stage_label
from actdesk.formats import format_day_month, format_money_compact, format_month
from actdesk.i18n import _, format_date, format_money, format_percent
from actdesk.services.pipeline import BoardRow
from actdesk.ui import theme
from actdesk.ui.pipeline.models import (
    MIME_TYPE,
    ROW_ROLE,
    SORT_ROLE,
    OpportunityModel,
    StageProxy,
    warning_color,
)

CARD_HEIGHT = 76
WEIGHTED_COLUMN = 4


class CardDelegate(QStyledItemDelegate):
    """A card: household; kind and source (or the lost reason); expected AUM, then days in stage (amber
    when stale) and the probability; closed cards show when they closed instead of their age."""

    def __init__(self, config: PipelineConfig, view: QListView) -> None:
        super().__init__(view)
        self.config = config
        self.view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(120, self.view.viewport().width()), CARD_HEIGHT + theme.S2)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        row: BoardRow | None = index.data(ROW_ROLE)
        if row is None:
            return
        c = theme.colors()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect: QRect = option.rect.adjusted(1, 1, -1, -theme.S2)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor(c.accent if selected else c.border), 2 if selected else 1))
        painter.setBrush(QColor(c.surface))
        painter.drawRoundedRect(rect, 6, 6)
        inner = rect.adjusted(theme.S3, theme.S2, -theme.S3, -theme.S2)
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
        line = inner.height() // 3
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item = row.item

        def elided(text: str, width: int) -> str:
            return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width)

        top = QRect(inner.left(), inner.top(), inner.width(), line)
        painter.setFont(bold)
        painter.setPen(QColor(c.text))
        painter.drawText(top, left, elided(item.household, top.width()))
        middle = top.translated(0, line)
        painter.setFont(small)
        painter.setPen(QColor(c.muted))
        detail = item.lost_reason or (kind_label(item.kind) + (f" · {item.source}" if item.source else ""))
        painter.drawText(middle, left, elided(detail, middle.width()))
        bottom = middle.translated(0, line)
        painter.setFont(small)
        if self.config.is_closed(item.stage):
            status_color = c.muted
            status = format_date(item.stage_changed_at.astimezone().date(), "short")
        else:
            stale = row.days_in_stage >= self.config.stale_days
            status_color = warning_color() if stale else c.muted
            status = _("{days} d · {probability}").format(
                days=row.days_in_stage, probability=format_percent(row.probability, 0)
            )
        if self.config.is_closed(item.stage):  # a narrow card: the day without its year, or just the month
            closed = item.stage_changed_at.astimezone().date()
            short = format_day_month(closed) if closed.year == date.today().year else format_month(closed)
        else:
            short = _("{days} d").format(days=row.days_in_stage)
        amount, status, room = bottom_line(
            QFontMetrics(base), painter.fontMetrics(), bottom.width(), item.expected_aum, status, short
        )
        painter.setFont(base)
        painter.setPen(QColor(c.text))
        painter.drawText(bottom, left, amount)
        painter.setFont(small)
        painter.setPen(QColor(status_color))
        painter.drawText(bottom, right, elided(status, room))
        painter.restore()


def bottom_line(
    base: QFontMetrics,
    small: QFontMetrics,
    width: int,
    expected: Decimal | None,
    status: str,
    short: str | None,
) -> tuple[str, str, int]:
    """A card's last line: (amount, status, px left for the status). The status keeps its room: first the short
    status (the age alone), then a compact amount (exact in the card's tooltip) when a narrow card needs it."""
    amount = format_money(expected, cents=False) if expected is not None else "—"
    room = max(0, width - base.horizontalAdvance(amount) - theme.S2)

    def tight(text: str) -> bool:  # 2 px of slack: eliding measures fractional widths
        return small.horizontalAdvance(text) + 2 > room

    if short is not None and tight(status):
        status = short
    if tight(status) and expected is not None:
        amount = format_money_compact(expected)
        room = max(0, width - base.horizontalAdvance(amount) - theme.S2)
    return amount, status, room


class StageList(QListView):
    """A column's list of cards: drags its cards out, accepts cards from other columns."""

    sig_dropped = Signal(int, str)  # opportunity id, this column's stage

    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSpacing(0)
        self.setUniformItemSizes(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setAutoFillBackground(False)

    def _ours(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> bool:
        return event.mimeData().hasFormat(MIME_TYPE)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._ours(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._ours(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not self._ours(event):
            event.ignore()
            return
        raw = bytes(event.mimeData().data(MIME_TYPE).data()).decode()
        # The controller moves the card (and refreshes the model); Qt must not also remove the source row.
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        for text in raw.split(","):
            if text.strip().isdigit():
                self.sig_dropped.emit(int(text), self.stage)


class StageColumn(QFrame):
    def __init__(
        self, stage: str, model: OpportunityModel, config: PipelineConfig, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("StageColumn")
        self.stage = stage
        c = theme.colors()
        self.setStyleSheet(
            f"QFrame#StageColumn {{ background: {c.surface_alt}; border: 1px solid {c.border}; border-radius: 8px; }}"
            "QFrame#StageColumn QListView { background: transparent; border: none; }"
            "QFrame#StageColumn QScrollBar:vertical { width: 8px; background: transparent; margin: 0; }"
            f"QFrame#StageColumn QScrollBar::handle:vertical {{ background: {c.border}; border-radius: 4px; "
            "min-height: 24px; }"
            "QFrame#StageColumn QScrollBar::add-line, QFrame#StageColumn QScrollBar::sub-line { height: 0; }"
            "QFrame#StageColumn QScrollBar::add-page, QFrame#StageColumn QScrollBar::sub-page { background: none; }"
        )
        # A stage's name wraps onto a second line in a narrow column rather than losing its end.
        self.title = QLabel(stage_label(stage), self)
        self.title.setWordWrap(True)
        self.title.setObjectName("SectionTitle")
        self.title.setToolTip(stage_label(stage))
        self.title.setStyleSheet("padding-top: 0px;")
        self.count = QLabel(self)
        self.count.setObjectName("Chip")
        self.totals = QLabel(self)
        self.totals.setObjectName("Muted")
        self.totals.setWordWrap(True)
        self.proxy = StageProxy(stage, self)
        self.proxy.setSourceModel(model)
        self.proxy.sort(WEIGHTED_COLUMN, Qt.SortOrder.DescendingOrder)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setDynamicSortFilter(True)
        self.list = StageList(stage, self)
        self.list.setObjectName(f"stage_{stage}")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(CardDelegate(config, self.list))
        self.closed = config.is_closed(stage)
        head = QHBoxLayout()
        head.setSpacing(theme.S2)
        head.addWidget(self.title, 1)
        head.addWidget(self.count, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S2, theme.S3, theme.S2, theme.S2)
        layout.setSpacing(theme.S1)
        layout.addLayout(head)
        layout.addWidget(self.totals)
        layout.addSpacing(theme.S1)
        layout.addWidget(self.list, 1)
        self.setMinimumWidth(168)

    def set_totals(self, totals: ColumnTotals | None) -> None:
        if totals is None:
            return
        self.count.setText(str(totals.count))
        lines = [
            _("AUM {aum}").format(aum=format_money(totals.expected_aum, cents=False)),
            _("Weighted {value}").format(value=format_money(totals.weighted_value, cents=False)),
        ]
        if self.closed:
            lines.append(
                _("Revenue {value}").format(value=format_money(totals.expected_revenue, cents=False))
            )
        elif totals.average_days is not None:
            lines.append(_("Avg. {days} days in stage").format(days=round(totals.average_days)))
        else:
            lines.append(_("Empty"))
        self.totals.setText("\n".join(lines))


class BoardView(QScrollArea):
    """The columns side by side, scrolling sideways when the window is narrow. Keyboard and mouse alike:
    a card's context menu (right-click or the Menu key) moves it; Enter or double-click opens the household."""

    sig_move_requested = Signal(int, str)
    sig_card_selected = Signal(int)  # opportunity id
    sig_open_household_requested = Signal(int)

    def __init__(
        self, model: OpportunityModel, config: PipelineConfig, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(theme.S3)
        self.columns: dict[str, StageColumn] = {}
        for stage in config.stages:
            column = StageColumn(stage, model, config, holder)
            column.list.sig_dropped.connect(self.sig_move_requested)
            column.list.clicked.connect(lambda index: self._selected(index))
            column.list.activated.connect(lambda index: self._open(index))
            column.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            column.list.customContextMenuRequested.connect(lambda pos, c=column: self.card_menu(c, pos))
            self.columns[stage] = column
            row.addWidget(column, 1)
        self.setWidget(holder)

    def _selected(self, index: QModelIndex) -> None:
        row: BoardRow | None = index.data(ROW_ROLE)
        if row is not None:
            for column in self.columns.values():
                if column.stage != row.item.stage:
                    column.list.clearSelection()
            self.sig_card_selected.emit(row.item.id)

    def _open(self, index: QModelIndex) -> None:
        row: BoardRow | None = index.data(ROW_ROLE)
        if row is not None:
            self.sig_open_household_requested.emit(row.item.household_id)

    def card_menu(self, column: StageColumn, pos: QPoint) -> QMenu | None:
        """The card's menu at ``pos`` (or the current card's, as the Menu key asks), shown and returned."""
        index = column.list.indexAt(pos)
        if not index.isValid():
            index = column.list.currentIndex()
        row: BoardRow | None = index.data(ROW_ROLE) if index.isValid() else None
        if row is None:
            return None
        menu = QMenu(self)
        menu.addAction(
            _("Open household"), lambda: self.sig_open_household_requested.emit(row.item.household_id)
        )
        move = menu.addMenu(_("Move to"))
        for stage in self.columns:
            action = move.addAction(stage_label(stage))
            action.setEnabled(stage != row.item.stage)
            action.triggered.connect(lambda _c=False, s=stage: self.sig_move_requested.emit(row.item.id, s))
        menu.popup(column.list.viewport().mapToGlobal(pos))
        return menu

    def set_totals(self, totals: list[ColumnTotals]) -> None:
        by_stage = {t.stage: t for t in totals}
        for stage, column in self.columns.items():
            column.set_totals(by_stage.get(stage))
