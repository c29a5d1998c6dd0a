"""The import screens: the wizard (file, preview, confirm, households) and the import history with undo.

Other parts of the window call ``open_import_wizard(ctx, parent)`` and ``open_import_history(ctx, parent)``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from actdesk.ui.context import AppContext


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    """Open the import wizard (non-modal to the rest of the app's work; returns the dialog)."""
    from actdesk.ui.imports.wizard import ImportWizard

    dialog = ImportWizard(ctx, parent)
    dialog.setModal(True)
    dialog.show()
    return dialog


def open_import_history(ctx: AppContext, parent: QWidget | None = None) -> QWidget:
    from actdesk.ui.imports.history import ImportHistoryDialog

    dialog = ImportHistoryDialog(ctx, parent)
    dialog.setModal(True)
    dialog.show()
    return dialog
