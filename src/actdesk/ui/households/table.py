"""The household list's view: sortable, one row selected at a time, money right-aligned, widths that fit."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from actdesk.ui.households.model import COL

# Default widths (px); the name column takes the rest. The advisor's own widths are restored from QSettings.
COLUMN_WIDTHS = {"status": 104, "primary_contact": 128, "city": 100, "aum": 108, "client_since": 112}


def household_table(proxy: QSortFilterProxyModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName("household_table")
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.sortByColumn(COL["name"], Qt.SortOrder.AscendingOrder)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(32)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setSectionResizeMode(COL["name"], QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(64)
    for key, width in COLUMN_WIDTHS.items():
        header.resizeSection(COL[key], width)
    return table
