"""Does every visible text fit? The checks behind tests/ui/test_fit.py, usable on any widget tree.

A problem is reported when a visible ``QLabel`` (one line), button, tab or header section has less room than
its text needs (``QFontMetrics``), shows elided text, or when a visible widget is drawn outside its parent.
Table cells are checked in the views that carry an ``elidable_columns`` property (the columns allowed to
elide); in those, every other column must show its cells whole and the table must not scroll sideways. A
column a view declares in ``wrapped_columns`` wraps onto its number of lines, and may elide the tail of the
last one only where the cell's tooltip holds the whole text (the alert list's explanations: a combined
"relationship gaps" alert runs to three lines in Spanish at 1280). Header titles may wrap onto the number of
lines a view declares in its ``title_lines`` property.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTabBar,
    QToolButton,
    QTreeView,
    QWidget,
)

from actdesk.ui.text_fit import wrapped_lines

SLACK = 1  # px of rounding
HEADER_PADDING = 8  # the section's margins (Qt's header margin is 4 px a side)
BUTTON_PADDING = 12  # a push button's frame and margins around icon and text
CELL_PADDING = 6


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _text_width(widget: QWidget, text: str) -> int:
    metrics = QFontMetrics(widget.font())
    return max((metrics.horizontalAdvance(line) for line in text.replace("&&", "&").split("\n")), default=0)


def _scroll_area_of(viewport: QWidget) -> QAbstractScrollArea | None:
    area = viewport.parentWidget()
    return area if isinstance(area, QAbstractScrollArea) and area.viewport() is viewport else None


def label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text or label.wordWrap() or label.textFormat() == Qt.TextFormat.RichText or "<" in text:
        return None
    if "…" in text and label.toolTip() == "":
        return f"label shows elided text {text!r}"
    need = _text_width(label, text) + 2 * label.margin() + max(0, label.indent())
    room = label.contentsRect().width()
    if need > room + SLACK:
        return f"label {text!r} needs {need}px, has {room}"
    return None


def button_problem(button: QAbstractButton) -> str | None:
    text = button.text().replace("&", "")
    if not text or isinstance(button, QCheckBox | QRadioButton):
        return None
    icon = 0 if button.icon().isNull() else button.iconSize().width() + 4
    if (
        isinstance(button, QToolButton)
        and button.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextUnderIcon
    ):
        icon = 0
    need = _text_width(button, text) + icon + (BUTTON_PADDING if isinstance(button, QPushButton) else 4)
    if need > button.width() + SLACK:
        return f"button {text!r} needs {need}px, has {button.width()}"
    return None


def tab_problems(bar: QTabBar) -> list[str]:
    problems = []
    for i in range(bar.count()):
        text = bar.tabText(i).replace("&", "")
        icon = 0 if bar.tabIcon(i).isNull() else bar.iconSize().width() + 4
        need = _text_width(bar, text) + icon + 16
        room = bar.tabRect(i).width()
        if need > room + SLACK:
            problems.append(f"tab {text!r} needs {need}px, has {room}")
    return problems


def header_problems(view: QAbstractItemView, header: QHeaderView) -> list[str]:
    model = view.model()
    if model is None or not _visible(header):
        return []
    problems = []
    elidable = set(view.property("elidable_columns") or [])
    metrics = QFontMetrics(header.font())
    lines = int(view.property("title_lines") or 1)  # set by views whose titles wrap
    for section in range(header.count()):
        if header.isSectionHidden(section) or header.sectionSize(section) <= 0:
            continue
        text = str(model.headerData(section, header.orientation()) or "")
        if not text or section in elidable:
            continue
        need = _text_width(header, text) + HEADER_PADDING
        if lines > 1:  # titles that wrap: whole if the last line they need shows no ellipsis
            shown = wrapped_lines(text, metrics, header.sectionSize(section) - HEADER_PADDING, lines)
            if shown and shown[-1].endswith("…") and not text.endswith("…"):
                problems.append(
                    f"header {text!r} does not fit {lines} lines of {header.sectionSize(section)}px"
                )
            continue
        if need > header.sectionSize(section) + SLACK:
            problems.append(f"header {text!r} needs {need}px, has {header.sectionSize(section)}")
    return problems


def cell_problems(view: QAbstractItemView, rows: int = 40) -> list[str]:
    """Cells of the columns not marked elidable, in views that declare which ones may elide."""
    spec = view.property("elidable_columns")
    model = view.model()
    if spec is None or model is None:
        return []
    elidable = set(spec)
    wrapped = {int(c): int(n) for c, n in (view.property("wrapped_columns") or [])}
    header = view.header() if isinstance(view, QTreeView) else view.horizontalHeader()  # type: ignore[attr-defined]
    metrics = QFontMetrics(view.font())
    problems: list[str] = []

    def check(index: QModelIndex, depth: int) -> None:
        column = index.column()
        if column in elidable or header.isSectionHidden(column):
            return
        text = str(index.data() or "")
        if not text or "\n" in text:
            return
        bold = index.data(Qt.ItemDataRole.FontRole)
        width = (
            QFontMetrics(bold).horizontalAdvance(text)
            if bold is not None
            else metrics.horizontalAdvance(text)
        )
        deco = 22 if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
        indent = depth * view.indentation() if isinstance(view, QTreeView) and column == 0 else 0  # type: ignore[attr-defined]
        need = width + deco + indent + CELL_PADDING
        room = header.sectionSize(column)
        if column in wrapped:  # wrapped onto n lines: whole if the last line needs no ellipsis
            lines = wrapped_lines(text, metrics, room - CELL_PADDING, wrapped[column])
            tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
            if lines and lines[-1].endswith("…") and not text.endswith("…") and text not in tip:
                problems.append(f"cell {text!r} does not fit {wrapped[column]} lines of {room}px")
            return
        if need > room + SLACK:
            problems.append(f"cell {text!r} needs {need}px, has {room}")

    def walk(parent: QModelIndex, depth: int) -> None:
        for row in range(min(rows, model.rowCount(parent))):
            for column in range(model.columnCount(parent)):
                index = model.index(row, column, parent)
                check(index, depth)
            first = model.index(row, 0, parent)
            if isinstance(view, QTreeView) and view.isExpanded(first):
                walk(first, depth + 1)

    walk(QModelIndex(), 1 if isinstance(view, QTreeView) and view.rootIsDecorated() else 0)
    return problems[:5]


def outside_problem(widget: QWidget) -> str | None:
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return None
    area = _scroll_area_of(parent)
    if area is not None:
        # A scroll area's content may be taller (it scrolls); wider only if it can scroll sideways.
        sideways = area.horizontalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        if not sideways and widget.x() <= 0 and widget.geometry().right() > parent.width() + SLACK:
            return f"{type(widget).__name__} is {widget.width()}px wide in a {parent.width()}px view that cannot scroll sideways"
        return None
    if isinstance(parent, QAbstractScrollArea | QComboBox | QLineEdit) or isinstance(widget, QHeaderView):
        return None
    inner = parent.rect().adjusted(-SLACK, -SLACK, SLACK, SLACK)
    if not inner.contains(QRect(widget.geometry())):
        return f"{type(widget).__name__} {widget.objectName()!r} drawn outside its parent {type(parent).__name__}"
    return None


def _describe(widget: QWidget) -> str:
    names = []
    w: QWidget | None = widget
    while w is not None and len(names) < 4:
        names.append(w.objectName() or type(w).__name__)
        w = w.parentWidget()
    return "/".join(reversed(names))


def fit_problems(root: QWidget) -> list[str]:
    """Every text that does not fit under ``root`` (visible widgets only)."""
    problems: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not _visible(widget) or (not widget.isVisibleTo(root) and widget is not root):
            continue
        found: list[str] = []
        if isinstance(widget, QLabel):
            found.append(label_problem(widget) or "")
        elif isinstance(widget, QAbstractButton):
            found.append(button_problem(widget) or "")
        elif isinstance(widget, QTabBar):
            found.extend(tab_problems(widget))
        elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
            header = (
                widget.header()
                if isinstance(widget, QTreeView)
                else getattr(widget, "horizontalHeader", None)
            )
            if callable(header):
                header = header()
            if isinstance(header, QHeaderView) and not header.isHidden():
                found.extend(header_problems(widget, header))
            found.extend(cell_problems(widget))
            bar = widget.horizontalScrollBar()
            if widget.property("elidable_columns") is not None and bar.maximum() > 0:
                found.append(f"table scrolls sideways by {bar.maximum()}px")
        if widget is not root:
            found.append(outside_problem(widget) or "")
        problems.extend(f"{_describe(widget)}: {p}" for p in found if p)
    return problems
