"""A delegate that wraps a cell's text onto up to ``lines`` lines and elides only the tail of the last."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from actdesk.ui import theme
from actdesk.ui.text_fit import wrapped_lines


class WrapDelegate(QStyledItemDelegate):
    def __init__(self, lines: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lines = lines

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        widget = opt.widget if isinstance(opt.widget, QWidget) else None
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        metrics = QFontMetrics(opt.font)
        rect = opt.rect.adjusted(theme.S1, 2, -theme.S1, -2)
        shown = wrapped_lines(text, metrics, rect.width(), self.lines)
        block = metrics.height() * len(shown)
        top = rect.top() + max(0, (rect.height() - block) // 2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setFont(opt.font)
        painter.setPen(opt.palette.highlightedText().color() if selected else opt.palette.text().color())
        for n, line in enumerate(shown):
            line_rect = QRect(rect.left(), top + n * metrics.height(), rect.width(), metrics.height())
            painter.drawText(line_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        hint = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        return QSize(hint.width(), max(hint.height(), metrics.height() * self.lines + 8))
