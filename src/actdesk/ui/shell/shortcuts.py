"""F1: every keyboard shortcut the window has, read from the actions actually registered (so it cannot drift).

The window's own actions (panels, quick find, new household, menus) are listed under "Everywhere"; each
panel's actions under the panel's name. Panels are created lazily, so the dialog first asks the window for
every panel (creating one does not show it) so that their shortcuts are listed too.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.ui import theme


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _rows_of(widget: QWidget, group: str) -> list[tuple[str, str, str]]:
    rows = []
    for action in widget.actions():
        keys = ", ".join(_keys(k) for k in action.shortcuts() if not k.isEmpty())
        if keys and action.text():
            rows.append((group, action.text().replace("&", ""), keys))
    for shortcut in widget.findChildren(QShortcut):
        if shortcut.parent() is widget and shortcut.whatsThis():
            rows.append((group, shortcut.whatsThis(), _keys(shortcut.key())))
    return rows


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, command, keys) for every shortcut: the window's first, then each panel's, by command."""
    panel = getattr(window, "panel", None)
    for spec in getattr(window, "specs", []):
        if callable(panel):
            panel(spec.key)
    rows = sorted(set(_rows_of(window, _("Everywhere"))), key=lambda r: r[1].casefold())
    panels: dict[str, QWidget] = getattr(window, "panels", {})
    titles = {spec.key: _(spec.title) for spec in getattr(window, "specs", [])}
    for key, widget in panels.items():
        rows.extend(sorted(set(_rows_of(widget, titles.get(key, key))), key=lambda r: r[1].casefold()))
    return rows


def shortcuts_dialog(window: QMainWindow) -> QDialog:
    dialog = QDialog(window)
    dialog.setObjectName("shortcuts_dialog")
    dialog.setWindowTitle(_("Keyboard shortcuts"))
    dialog.resize(560, 600)
    rows = shortcut_rows(window)
    table = QTableWidget(len(rows), 3, dialog)
    table.setObjectName("shortcuts_table")
    table.setHorizontalHeaderLabels([_("Where"), _("Command"), _("Shortcut")])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    previous = None
    for row, (group, text, keys) in enumerate(rows):
        table.setItem(row, 0, QTableWidgetItem(group if group != previous else ""))
        table.setItem(row, 1, QTableWidgetItem(text))
        table.setItem(row, 2, QTableWidgetItem(keys))
        previous = group
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
    layout.addWidget(table)
    layout.addWidget(buttons)
    return dialog


__all__ = ["QAction", "shortcut_rows", "shortcuts_dialog"]
