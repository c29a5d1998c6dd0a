"""Preferences (Edit ▸ Preferences…, Ctrl+,): General, Alerts, Schedule, Backups, Privacy & security, E-mail.

Other parts of the window call ``open_preferences(ctx, parent, tab=...)``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from actdesk.ui.context import AppContext


def open_preferences(ctx: AppContext, parent: QWidget | None = None, tab: str | None = None) -> QWidget:
    """Open the dialog window-modal (not blocking the caller) and return it."""
    from actdesk.ui.preferences.dialog import PreferencesDialog

    dialog = PreferencesDialog(ctx, parent)
    if tab:
        dialog.show_tab(tab)
    dialog.open()
    return dialog
