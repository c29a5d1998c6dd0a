"""Backups: see what each one holds, verify it, back up now, restore after a safety backup.

Opened from Settings or from the "this book is damaged" dialog (then without an open book: the damaged
file is set aside, never overwritten, and the chosen backup put in its place).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import N_, _, format_date, format_number, user_message
from actdesk.services.backup import (
    BackupInfo,
    BackupSettings,
    backup_now,
    backup_root,
    book_folder,
    list_backups,
    live_location_warning,
    recount,
    restore_backup,
    verify_backup,
)
from actdesk.services.backup.restore import restore_into_path
from actdesk.settings import Settings, load_settings
from actdesk.storage.engine import Book
from actdesk.ui import theme
from actdesk.ui.topics import Topic

_Index = QModelIndex | QPersistentModelIndex
REASONS = {
    "manual": N_("By hand"),
    "scheduled": N_("Scheduled"),
    "exit": N_("At exit"),
    "pre-migration": N_("Before an upgrade"),
    "pre-restore": N_("Before a restore"),
    "pre-import": N_("Before an import"),
}


def reason_text(reason: str) -> str:
    return _(REASONS[reason]) if reason in REASONS else reason


def when(info: BackupInfo) -> str:
    local = info.created_at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M}"


class BackupListModel(QAbstractTableModel):
    """Backups newest first: when, why, what they hold."""

    COLUMNS = (N_("Taken"), N_("Why"), N_("Households"), N_("Contacts"), N_("Activities"), N_("Size"))
    BackupRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, backups: list[BackupInfo] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[BackupInfo] = backups or []

    def set_backups(self, backups: list[BackupInfo]) -> None:
        self.beginResetModel()
        self._rows = list(backups)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self.COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        info = self._rows[index.row()]
        col = index.column()
        if role == self.BackupRole:
            return info
        if role == Qt.ItemDataRole.DisplayRole:
            counts = info.counts
            return [
                when(info),
                reason_text(info.reason),
                format_number(counts.get("households", 0)),
                format_number(counts.get("contacts", 0)),
                format_number(counts.get("activities", 0)),
                _("{n} KB").format(n=format_number(max(1, info.size // 1024))),
            ][col]
        if role == Qt.ItemDataRole.UserRole:  # sort key
            return [
                info.created_at.timestamp(),
                info.reason,
                *[info.counts.get(k, 0) for k in ("households", "contacts", "activities")],
                info.size,
            ][col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def describe(info: BackupInfo) -> str:
    counts = info.counts
    lines = [
        _("Taken {when} ({why}).").format(when=when(info), why=reason_text(info.reason)),
        _("Holds {households} households, {contacts} contacts and {activities} activities.").format(
            households=format_number(counts.get("households", 0)),
            contacts=format_number(counts.get("contacts", 0)),
            activities=format_number(counts.get("activities", 0)),
        ),
        _("Schema revision {revision}; {state}.").format(
            revision=info.schema_revision or "?",
            state=_("encrypted") if info.encrypted else _("not encrypted"),
        ),
    ]
    return "\n".join(lines)


class RestoreDialog(QDialog):
    """Backups of one book. ``book`` may be None when the book is too damaged to open."""

    def __init__(self, ctx: Any, parent: QWidget | None = None, *, database: Path | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.book: Book | None = getattr(ctx, "book", None)
        self.settings: Settings | None = getattr(ctx, "settings", None)
        path = database or (self.book.path if self.book is not None else None)
        if path is None:
            raise ValueError("a book kept in a file is needed")
        self.database = path
        self.setWindowTitle(_("Backups"))
        self.resize(760, 480)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S4, theme.S4, theme.S4, theme.S4)
        layout.setSpacing(theme.S3)
        warning = live_location_warning(self.database)
        if warning:
            self.warning = QLabel(warning, self)
            self.warning.setWordWrap(True)
            self.warning.setStyleSheet(f"color: {theme.WARNING};")
            layout.addWidget(self.warning)
        top = QHBoxLayout()
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setObjectName("Muted")
        self.folder_button = QPushButton(_("Change folder…"), self)
        self.folder_button.setToolTip(_("Keep backups on an external drive or in a synced folder"))
        top.addWidget(self.intro, 1)
        top.addWidget(self.folder_button)
        layout.addLayout(top)
        self.model = BackupListModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table, 1)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        self.details.setMinimumHeight(64)
        layout.addWidget(self.details)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(_("Back up now"), self)
        self.verify_button = QPushButton(_("Verify"), self)
        self.restore_button = QPushButton(_("Restore…"), self)
        self.restore_button.setObjectName("Primary")
        close = QPushButton(_("Close"), self)
        self.backup_button.setEnabled(self.book is not None and not self.book.read_only)
        buttons.addWidget(self.backup_button)
        buttons.addStretch(1)
        for button in (self.verify_button, self.restore_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        close.clicked.connect(self.reject)
        self.backup_button.clicked.connect(self._backup)
        self.folder_button.clicked.connect(self._choose_folder)
        self.verify_button.clicked.connect(self._verify)
        self.restore_button.clicked.connect(self._restore)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.refresh()

    def _choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, _("Folder for backups"), str(backup_root(self.settings))
        )
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path) -> None:
        """Keep future backups in ``folder`` (settings section "backup"); the existing ones stay where they are."""
        settings = self.settings or load_settings()
        config = settings.section(BackupSettings)
        config.folder = str(folder)
        settings.set_section(config)
        settings.save()
        self.settings = settings
        self.refresh()

    def refresh(self) -> None:
        self.intro.setText(
            _("Backups are complete, verified copies of this book in {folder}.").format(
                folder=book_folder(self.database, self.settings)
            )
        )
        # counts read from the files (milliseconds each), not from the manifests, which anyone can edit
        backups = [recount(b) for b in list_backups(book_folder(self.database, self.settings))]
        self.model.set_backups(backups)
        if backups:
            self.table.selectRow(0)
        else:
            self.details.setText(_("No backups of this book yet. Use “Back up now” to make the first one."))
        self._selected()

    def current(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        value = self.proxy.data(rows[0], BackupListModel.BackupRole)
        return value if isinstance(value, BackupInfo) else None

    def _selected(self, *_args: Any) -> None:
        info = self.current()
        self.verify_button.setEnabled(info is not None)
        self.restore_button.setEnabled(
            info is not None and not (self.book is not None and self.book.read_only)
        )
        if info is not None:
            self.details.setText(describe(info))

    def _run(self, fn: Any, on_done: Any) -> None:
        tasks = getattr(self.ctx, "tasks", None)
        if tasks is None:
            try:
                on_done(fn(None))
            except Exception as exc:
                self._failed(exc)
            return
        tasks.run_task(fn, on_done=on_done, on_error=self._failed)

    def _failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, _("Backups"), user_message(error))

    def _backup(self) -> None:
        book = self.book
        if book is None:
            return
        self._run(lambda _state: backup_now(book, "manual", self.settings), lambda _info: self.refresh())

    def _verify(self) -> None:
        info = self.current()
        if info is None:
            return

        def done(found: Any) -> None:
            if found.integrity == "ok":
                self.details.setText(describe(info) + "\n" + _("Verified: the backup is intact."))
            else:
                self.details.setText(
                    describe(info) + "\n" + _("Damaged: {reason}").format(reason=found.integrity)
                )

        self._run(lambda _state: verify_backup(info), done)

    def confirm_text(self, info: BackupInfo) -> str:
        return (
            describe(info)
            + "\n\n"
            + _(
                "Restoring replaces everything in the current book with this backup. A safety backup of the "
                "current book is taken first, so this can be undone."
            )
        )

    def _restore(self) -> None:
        info = self.current()
        if info is None:
            return
        answer = QMessageBox.question(
            self, _("Restore this backup?"), self.confirm_text(info),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel,
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.restore(info)

    def restore(self, info: BackupInfo) -> None:
        """Restore without asking (the confirmation is in ``_restore``)."""
        book = self.book
        if book is not None:
            self._run(
                lambda _state: restore_backup(book, info.id, self.settings), lambda _r: self._restored()
            )
        else:
            self._run(
                lambda _state: restore_into_path(self.database, info, settings=self.settings),
                lambda _r: self._restored(),
            )

    def _restored(self) -> None:
        signals = getattr(self.ctx, "signals", None)
        if signals is not None:
            for topic in (Topic.HOUSEHOLDS, Topic.CONTACTS, Topic.ACTIVITIES, Topic.ACCOUNTS, Topic.BALANCES):
                signals.data_changed.emit(topic)
        self.refresh()
        self.details.setText(
            self.details.text() + "\n" + _("Restored. The book now holds what this backup held.")
        )
