"""The Preferences dialog (Ctrl+,): one tab per concern, saved together, refused field by field.

Each tab is a ``Page`` that reads its typed settings section when built. Save checks every page first; a
page with a wrong value is brought to the front with the message under the field, and nothing is written.
Otherwise all pages write their sections, the settings file is saved once (atomically) and
``data_changed("settings")`` tells the running parts (alert watcher, mail timer, lock, backups) to re-read.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.topics import Topic

from .alerts_tab import AlertsPage, SchedulePage
from .backup_tab import BackupPage
from .form import Page
from .general_tab import GeneralPage
from .privacy_tab import MailPage, PrivacyPage

log = logging.getLogger(__name__)


class PreferencesDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("PreferencesDialog")
        self.setWindowTitle(_("Preferences"))
        self.resize(800, 680)
        self.general = GeneralPage(ctx, self)
        self.alerts = AlertsPage(ctx, self)
        self.schedule = SchedulePage(ctx, self)
        self.backups = BackupPage(ctx, self)
        self.privacy = PrivacyPage(ctx, self)
        self.mail = MailPage(ctx, self)
        self.pages: list[tuple[str, Page]] = [
            ("general", self.general),
            ("alerts", self.alerts),
            ("schedule", self.schedule),
            ("backups", self.backups),
            ("privacy", self.privacy),
            ("mail", self.mail),
        ]
        titles = {
            "general": _("General"),
            "alerts": _("Alerts"),
            "schedule": _("Schedule"),
            "backups": _("Backups"),
            "privacy": _("Privacy & security").replace("&", "&&"),  # no mnemonic
            "mail": _("E-mail"),
        }
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for key, page in self.pages:
            self.tabs.addTab(page, titles[key])
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(_("Save"))
        save.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        # Only Save answers Enter; the default style is bold, so leave room for the wider text.
        for button in self.tabs.findChildren(QPushButton):
            button.setAutoDefault(False)
        save.setMinimumWidth(save.sizeHint().width() + theme.S4)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)

    def show_tab(self, key: str) -> None:
        for index, (name, _page) in enumerate(self.pages):
            if name == key:
                self.tabs.setCurrentIndex(index)

    def validate(self) -> bool:
        """Every page marks its wrong fields; the first page with one comes to the front."""
        first_bad: int | None = None
        for index, (_key, page) in enumerate(self.pages):
            if not page.validate() and first_bad is None:
                first_bad = index
        if first_bad is not None:
            self.tabs.setCurrentIndex(first_bad)
            return False
        return True

    def save(self) -> bool:
        if not self.validate():
            return False
        for _key, page in self.pages:
            page.apply()
        try:
            self.ctx.settings.save()
        except OSError as exc:
            log.warning("preferences not saved: %s", exc)
            QMessageBox.warning(
                self,
                _("Preferences"),
                _("The preferences could not be saved ({error}). They apply until actdesk closes.").format(
                    error=exc
                ),
            )
        self.ctx.signals.data_changed.emit(Topic.SETTINGS)
        self.ctx.signals.status_message.emit(_("Preferences saved."))
        self.accept()
        return True
