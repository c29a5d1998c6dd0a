"""Backups: where they go, how often, how many are kept, and the two buttons an advisor looks for."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from actdesk.i18n import _, format_datetime, user_message
from actdesk.paths import path_kind
from actdesk.services.backup import BackupInfo, BackupSettings, backup_now, backup_root
from actdesk.ui.context import AppContext
from actdesk.ui.widgets import FieldWithError

from .form import FIELD_WIDTH, Page, muted, spin


class BackupPage(Page):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        b = ctx.settings.section(BackupSettings)
        form = self.section(
            _("Where"),
            _("Keep backups on another disk or in a synced folder, so a lost laptop does not lose the book."),
        )
        self.folder = FieldWithError(QLineEdit(b.folder, self), self)
        editor = self.folder.editor
        assert isinstance(editor, QLineEdit)
        editor.setObjectName("backup_folder")
        editor.setPlaceholderText(str(backup_root(None)))
        editor.setMinimumWidth(FIELD_WIDTH + 80)
        choose = QPushButton(_("Choose…"), self)
        choose.clicked.connect(self._choose_folder)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.folder, 1)
        line.addWidget(choose)
        form.addRow(_("Folder"), row)

        form = self.section(_("When"))
        self.interval = spin(self, 0, 7 * 24, round(b.interval_hours), _("hours"), "interval_hours")
        self.interval.setSpecialValueText(_("Never while open"))
        form.addRow(_("Back up every"), self.interval)
        self.at_exit = QCheckBox(_("Back up when actdesk closes"), self)
        self.at_exit.setObjectName("at_exit")
        self.at_exit.setChecked(b.at_exit)
        form.addRow("", self.at_exit)

        form = self.section(
            _("How many to keep"), _("Older backups are thinned out; the newest are always kept.")
        )
        self.recent = spin(self, 1, 99, b.recent, "", "keep_recent")
        self.daily = spin(self, 0, 99, b.daily, "", "keep_daily")
        self.weekly = spin(self, 0, 99, b.weekly, "", "keep_weekly")
        self.monthly = spin(self, 0, 120, b.monthly, "", "keep_monthly")
        form.addRow(_("Most recent"), self.recent)
        form.addRow(_("Daily"), self.daily)
        form.addRow(_("Weekly"), self.weekly)
        form.addRow(_("Monthly"), self.monthly)

        form = self.section(_("Now"))
        self.backup_button = QPushButton(_("Back up now"), self)
        self.backup_button.setObjectName("back_up_now")
        self.backup_button.setEnabled(ctx.book.path is not None and not ctx.read_only)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(_("Restore…"), self)
        self.restore_button.setObjectName("restore")
        self.restore_button.setEnabled(ctx.book.path is not None)
        self.restore_button.clicked.connect(self.open_restore)
        buttons = QWidget(self)
        line = QHBoxLayout(buttons)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.backup_button)
        line.addWidget(self.restore_button)
        line.addStretch(1)
        form.addRow("", buttons)
        self.result = muted("", self)
        self.result.setObjectName("backup_result")
        form.addRow("", self.result)
        self.finish()

    def _choose_folder(self) -> None:
        start = self.folder.text() or str(backup_root(self.ctx.settings))
        chosen = QFileDialog.getExistingDirectory(self, _("Folder for backups"), start)
        if chosen:
            self.folder.set_text(chosen)
            self.folder.clear_error()

    def validate(self) -> bool:
        self.folder.clear_error()
        text = self.folder.text().strip()
        if not text:
            return True
        folder = Path(text).expanduser()
        if not folder.is_absolute():
            self.folder.set_error(_("Choose a complete folder path, for example with “Choose…”."))
            return False
        kind = path_kind(folder)
        if kind not in (None, "folder"):
            self.folder.set_error(_("This is a file, not a folder."))
            return False
        if kind is None and path_kind(folder.parent) != "folder":
            self.folder.set_error(_("This folder does not exist and cannot be created here."))
            return False
        return True

    def apply(self) -> None:
        b = self.ctx.settings.section(BackupSettings)
        b.folder = self.folder.text().strip()
        b.interval_hours = float(self.interval.value())
        b.at_exit = self.at_exit.isChecked()
        b.recent = self.recent.value()
        b.daily = self.daily.value()
        b.weekly = self.weekly.value()
        b.monthly = self.monthly.value()
        self.ctx.settings.set_section(b)

    def back_up_now(self) -> None:
        """Uses the folder saved in the settings (press Save first to back up somewhere new)."""
        self.backup_button.setEnabled(False)
        self.result.setText(_("Backing up…"))
        book, settings = self.ctx.book, self.ctx.settings
        self.ctx.tasks.run_task(
            lambda _state: backup_now(book, "manual", settings),
            on_done=self._backed_up,
            on_error=self._failed,
        )

    def _backed_up(self, info: BackupInfo) -> None:
        self.backup_button.setEnabled(True)
        self.result.setText(
            _("Backed up at {when} to {folder}.").format(
                when=format_datetime(info.created_at.astimezone(), "short"), folder=info.path.parent
            )
        )

    def _failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(True)
        self.result.setText(_("The backup failed: {error}").format(error=user_message(error)))

    def open_restore(self) -> None:
        from actdesk.ui.privacy import RestoreDialog

        dialog = RestoreDialog(self.ctx, self)
        dialog.open()
        self.restore_dialog = dialog
