"""The outbox list: filter by state, see the server's reply, retry, cancel or record an opt-out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _
from actdesk.storage.repositories.mail import OutboxEntry
from actdesk.ui import theme
from actdesk.ui.mail.models import STATE_LABELS, OutboxModel, OutboxProxy


class OutboxView(QWidget):
    sig_retry_requested = Signal(int)
    sig_cancel_requested = Signal(int)
    sig_opt_out_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = OutboxModel(self)
        self.proxy = OutboxProxy(self)
        self.proxy.setSourceModel(self.model)
        self.state_filter = QComboBox(self)
        self.state_filter.setObjectName("outbox_state_filter")
        self.state_filter.addItem(_("All messages"), "")
        for key, label in STATE_LABELS.items():
            self.state_filter.addItem(_(label), key)
        self.state_filter.currentIndexChanged.connect(
            lambda: self.proxy.set_state(str(self.state_filter.currentData()))
        )
        self.retry_button = QPushButton(_("Retry"), self)
        self.retry_button.setToolTip(_("Queue a failed, uncertain or cancelled message again"))
        self.cancel_button = QPushButton(_("Cancel message"), self)
        self.opt_out_button = QPushButton(_("Record opt-out"), self)
        self.opt_out_button.setToolTip(_("The recipient asked to receive no more marketing e-mail"))
        self.retry_button.clicked.connect(lambda: self._emit(self.sig_retry_requested))
        self.cancel_button.clicked.connect(lambda: self._emit(self.sig_cancel_requested))
        self.opt_out_button.clicked.connect(self._opt_out)
        bar = QHBoxLayout()
        bar.setSpacing(theme.S2)
        bar.addWidget(self.state_filter)
        bar.addStretch(1)
        bar.addWidget(self.opt_out_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.retry_button)

        self.table = QTableView(self)
        self.table.setObjectName("outbox_table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(30)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((110, 150, 230, 300, 90)):
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.detail = QLabel(self)
        self.detail.setObjectName("Muted")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S2, 0, 0)
        layout.setSpacing(theme.S2)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        self._selection_changed()

    def set_rows(self, rows: list[OutboxEntry]) -> None:
        keep = self.selected()
        self.model.set_rows(rows)
        if keep is not None:
            for row in range(self.proxy.rowCount()):
                if self.model.entry(self.proxy.mapToSource(self.proxy.index(row, 0)).row()).id == keep.id:
                    self.table.selectRow(row)
                    break
        self._selection_changed()

    def selected(self) -> OutboxEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.entry(self.proxy.mapToSource(rows[0]).row())

    def _emit(self, signal: SignalInstance) -> None:
        entry = self.selected()
        if entry is not None:
            signal.emit(entry.id)

    def _opt_out(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.sig_opt_out_requested.emit(entry.to)

    def _selection_changed(self, *args: object) -> None:
        entry = self.selected()
        state = entry.state if entry else ""
        self.retry_button.setEnabled(state in ("failed", "uncertain", "cancelled"))
        self.cancel_button.setEnabled(state in ("queued", "failed", "uncertain"))
        self.opt_out_button.setEnabled(entry is not None and entry.marketing)
        if entry is None:
            self.detail.setText(_("Select a message to see the server's reply."))
        elif entry.state == "uncertain":
            self.detail.setText(
                _(
                    "This message was interrupted while sending: it may or may not have arrived. Ask the "
                    "recipient before you retry, or cancel it."
                )
                + "  "
                + (entry.smtp_reply or "")
            )
        else:
            self.detail.setText(entry.smtp_reply or _("No reply from the server yet."))
