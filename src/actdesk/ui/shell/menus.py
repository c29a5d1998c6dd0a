"""The menu bar: File, Edit, View, Help. Every command the window has is findable here, with its shortcut.

The actions that already exist on the window (panels, quick find, new household, quit) are reused, not
duplicated, so a shortcut is never bound twice.
"""

from __future__ import annotations

import html
import platform
import sys
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from actdesk import __version__
from actdesk.i18n import _, user_message
from actdesk.paths import log_dir
from actdesk.ui import menu_titles
from actdesk.ui.context import AppContext

PREFERENCES_SHORTCUT = "Ctrl+,"


def docs_folder() -> Path | None:
    """The documentation shipped next to the package (a source checkout or an installed bundle)."""
    here = Path(__file__).resolve()
    for candidate in (here.parents[4] / "docs", Path(sys.prefix) / "docs", here.parents[2] / "docs"):
        if candidate.is_dir():
            return candidate
    return None


class Menus:
    """Builds the menu bar of ``window`` and keeps the actions a test or a toolbar may want."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        self.window = window
        self.ctx = ctx
        self.dialog: QWidget | None = None
        bar = window.menuBar()
        bar.clear()  # the disabled titles shown while the book opened (menu_titles.reserve_menu_bar)
        bar.setNativeMenuBar(True)
        w = window

        self.file_menu = bar.addMenu(_(menu_titles.FILE))
        self.file_menu.addAction(w.new_household_action)  # type: ignore[attr-defined]
        self.file_menu.addSeparator()
        self.import_action = self._add(self.file_menu, _("Import contacts…"), self.open_import, "Ctrl+I")
        self.history_action = self._add(self.file_menu, _("Import history…"), self.open_import_history)
        self.export_action = self._add(self.file_menu, _("Export book…"), self.export_book)
        self.file_menu.addSeparator()
        self.backups_action = self._add(self.file_menu, _("Backups…"), self.open_backups)
        self.file_menu.addSeparator()
        quit_action: QAction = w.quit_action  # type: ignore[attr-defined]
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        if quit_action.shortcut().isEmpty():  # some platforms define no standard Quit key
            quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.file_menu.addAction(quit_action)
        for action in (self.import_action, self.history_action, w.new_household_action):  # type: ignore[attr-defined]
            action.setEnabled(not ctx.read_only)
        self.backups_action.setEnabled(ctx.book.path is not None)

        self.edit_menu = bar.addMenu(_(menu_titles.EDIT))
        self.edit_menu.addAction(w.quick_find_action)  # type: ignore[attr-defined]
        self.edit_menu.addSeparator()
        self.preferences_action = self._add(
            self.edit_menu, _("Preferences…"), self.open_preferences, PREFERENCES_SHORTCUT
        )
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)

        self.view_menu = bar.addMenu(_(menu_titles.VIEW))
        for action in getattr(w, "panel_actions", {}).values():
            self.view_menu.addAction(action)
        self.view_menu.addSeparator()
        self.meeting_action = self._add(self.view_menu, _("Meeting view…"), self.meeting_view, "Ctrl+Shift+M")
        self.meeting_action.setVisible(any(getattr(s, "key", "") == "book" for s in getattr(w, "specs", [])))
        self.lock_action = self._add(self.view_menu, _("Lock now"), self.lock_now, "Ctrl+L")

        self.help_menu = bar.addMenu(_(menu_titles.HELP))
        self.shortcuts_action = self._add(self.help_menu, _("Keyboard shortcuts"), self.show_shortcuts, "F1")
        self.docs_action = self._add(self.help_menu, _("Open the documentation folder"), self.open_docs)
        self.docs_action.setVisible(docs_folder() is not None)
        self.logs_action = self._add(self.help_menu, _("Open the log folder"), self.open_logs)
        self.help_menu.addSeparator()
        self.about_action = self._add(self.help_menu, _("About actdesk"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _add(self, menu: object, text: str, slot: object, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self.window.addAction(action)  # shortcuts work while the menu bar is hidden (lock screen) or native
        return action

    # -- File --------------------------------------------------------------------------------------------------
    def open_import(self) -> None:
        self.window.request_import()  # type: ignore[attr-defined]

    def open_import_history(self) -> None:
        from actdesk.ui.imports import open_import_history

        self.dialog = open_import_history(self.ctx, self.window)

    def export_book(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, _("Export the book to a folder"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        """Write the open book format (one CSV per table) into ``folder``, in the background."""
        from actdesk.services.book_format import export_book
        from actdesk.services.cell_guard import guard_enabled

        book = self.ctx.book
        self.ctx.signals.status_message.emit(_("Exporting the book…"))

        def done(summary: object) -> None:
            rows = sum(getattr(summary, "rows", {}).values())
            self.ctx.signals.status_message.emit(
                _("Exported {rows} rows to {folder}.").format(rows=rows, folder=folder)
            )

        def failed(error: BaseException) -> None:
            QMessageBox.warning(
                self.window,
                _("Export book"),
                _("The book could not be exported: {error}").format(error=user_message(error)),
            )

        guard = guard_enabled(self.ctx.settings)  # the user's export.csv_formula_guard
        self.ctx.tasks.run_task(
            lambda _state: export_book(book, folder, guard=guard), on_done=done, on_error=failed
        )

    def open_backups(self) -> None:
        from actdesk.ui.privacy import RestoreDialog

        dialog = RestoreDialog(self.ctx, self.window)
        dialog.open()
        self.dialog = dialog

    # -- Edit / View -----------------------------------------------------------------------------------------
    def open_preferences(self) -> None:
        from actdesk.ui.preferences import open_preferences

        self.dialog = open_preferences(self.ctx, self.window)

    def meeting_view(self) -> None:
        """The client open in the Book dashboard full screen for the client; else pick the household first."""
        panel = self.window.panel("book")  # type: ignore[attr-defined]
        start = getattr(panel, "start_meeting", None)
        if not callable(start):
            return
        household_id = getattr(getattr(panel, "client", None), "household_id", None)
        if household_id:
            start(household_id)
            return
        from actdesk.ui.quick_find import QuickFind

        finder = QuickFind(self.ctx, self.window)
        finder.sig_household_chosen.connect(start)
        finder.open()
        self.dialog = finder

    def lock_now(self) -> None:
        lock = getattr(self.window, "privacy_lock", None)
        if lock is None:
            return
        if lock.unlocker.method is None:
            QMessageBox.information(
                self.window,
                _("Lock now"),
                _(
                    "Set a lock passphrase first (Preferences, Privacy & security) so the window can be unlocked."
                ),
            )
            return
        lock.lock()

    # -- Help ------------------------------------------------------------------------------------------------
    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        from actdesk.ui.shell.shortcuts import shortcut_rows

        return shortcut_rows(self.window)

    def show_shortcuts(self) -> QDialog:
        from actdesk.ui.shell.shortcuts import shortcuts_dialog

        dialog = shortcuts_dialog(self.window)
        dialog.open()
        self.dialog = dialog
        return dialog

    def open_docs(self) -> None:
        folder = docs_folder()
        if folder is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def open_logs(self) -> None:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def about_text(self) -> str:
        book = self.ctx.book
        where = str(book.path) if book.path else book.url.render_as_string(hide_password=True)
        return _(
            "<p><b>actdesk {version}</b></p><p>The desktop book of business for the independent advisor.</p>"
            "<p>Book: {book}<br>Python {python} · Qt for Python {qt} · {system}</p>"
        ).format(
            version=__version__,
            book=html.escape(where),
            python=platform.python_version(),
            qt=pyside_version,
            system=platform.system(),
        )

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, _("About actdesk"), self.about_text(), parent=self.window)
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
        self.dialog = box
