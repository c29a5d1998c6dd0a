"""A damaged book at start: say so plainly and offer the latest backup that verifies.

``open_book`` runs a full integrity check when the last session did not close the book; if that check
fails, ``services.integrity.open_or_recover`` reports the newest good backup and this dialog offers to put
it in place (``restore_latest_good`` keeps the damaged file beside it, renamed, never overwritten).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from actdesk.i18n import _, format_datetime, ngettext, user_message
from actdesk.services.backup import BackupInfo
from actdesk.settings import Settings
from actdesk.storage.errors import BookError

RESTORED = "restored"
DECLINED = "declined"


def recovery_text(path: Path, info: BackupInfo | None) -> tuple[str, str]:
    """The dialog's headline and body."""
    headline = _("This book was not closed properly and is damaged")
    if info is None:
        return headline, _(
            "{path} failed its check after the last session ended unexpectedly, and there is no backup of it "
            "that verifies. The file was not changed. Open another book, or contact support with the file."
        ).format(path=path)
    households = info.counts.get("households", 0)
    held = ngettext("{n} household", "{n} households", households).format(n=households)
    return headline, _(
        "{path} failed its check after the last session ended unexpectedly.\n\n"
        "The latest good backup is from {when} and holds {held}. Restoring it brings the book back as it was "
        "then; changes made after it are lost. The damaged file is kept beside it, renamed, for support."
    ).format(path=path, when=format_datetime(info.created_at.astimezone(), "medium"), held=held)


def offer_recovery(parent: QWidget | None, path: Path, info: BackupInfo | None, settings: Settings) -> str:
    """Ask, and restore the latest good backup if the advisor agrees. Returns RESTORED or DECLINED."""
    headline, body = recovery_text(path, info)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_("The book needs attention"))
    box.setText(f"<b>{headline}</b>")
    box.setInformativeText(body)
    restore = (
        box.addButton(_("Restore the latest good backup"), QMessageBox.ButtonRole.AcceptRole)
        if info is not None
        else None
    )
    other = box.addButton(_("Other choices…"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore or other)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return DECLINED
    from actdesk.services.integrity import restore_latest_good

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        restore_latest_good(path, settings)
    except BookError as error:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, _("The book needs attention"), user_message(error))
        return DECLINED
    QApplication.restoreOverrideCursor()
    return RESTORED
