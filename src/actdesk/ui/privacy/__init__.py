"""Privacy in meetings: lock after inactivity, and the backups/restore dialog.

For the main window: ``install_privacy_lock(window, ctx)`` once after building the window, and
``RestoreDialog(ctx, parent)`` from Settings or from the damaged-book dialog (``database=`` without a book).
"""

from __future__ import annotations

from .lock_screen import LockOverlay, PrivacyLock, install_privacy_lock
from .restore_dialog import BackupListModel, RestoreDialog

__all__ = [
    "BackupListModel",
    "LockOverlay",
    "PrivacyLock",
    "RestoreDialog",
    "install_privacy_lock",
]
