"""The menu bar's menus, in order: one home for their titles (``ui/shell/menus.py`` fills them; the window
shows them, empty and disabled, while its book opens, so the bar does not appear and push the window down)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from actdesk.i18n import N_, _

FILE, EDIT, VIEW, HELP = N_("&File"), N_("&Edit"), N_("&View"), N_("&Help")
MENU_TITLES = (FILE, EDIT, VIEW, HELP)


def reserve_menu_bar(window: QMainWindow) -> None:
    """The menus' titles, disabled, until the book is open (``Menus`` replaces them)."""
    bar = window.menuBar()
    bar.setNativeMenuBar(True)
    for title in MENU_TITLES:
        bar.addMenu(_(title)).setEnabled(False)
