"""The schedule's lists of entries (the agenda, today's, the overdue): one table view made the same way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget


def entry_table(
    model: object, parent: QWidget, hidden: tuple[int, ...] = (), elide: tuple[int, ...] = ()
) -> QTableView:
    """A list of entries; the ``elide`` columns share the width left and elide (the tooltip has them whole),
    so a narrow side panel never scrolls sideways."""
    view = QTableView(parent)
    view.setModel(model)  # type: ignore[arg-type]
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(28)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    for column in hidden:
        view.setColumnHidden(column, True)
    for column in elide:
        view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
    if elide:
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setProperty("elidable_columns", list(elide))  # the fit checks: the others show whole
    return view
