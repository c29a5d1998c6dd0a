"""Referrals & Events: where new names come from, who to ask next, and what life events led to.

A tab of the Campaigns panel (the rail stays short). Everything is read in one background task when the
tab is first shown and refreshed when referrals, life events, mail or households change; while hidden a
change only marks it out of date. The panel is built at start-up for its send timer: reading the snapshot
then, and again after the first alert evaluation, was 0.4-0.6 s of the database worker before the window
settled, for a tab nobody had opened.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.i18n import _, format_number, format_percent, ngettext, user_message
from actdesk.services.engagement import jobs
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.engagement.models import (
    events_model,
    life_events_model,
    likely_model,
    money0,
    sorted_proxy,
    sources_model,
)
from actdesk.ui.topics import Topic

TOPICS = {Topic.REFERRALS, Topic.LIFE_EVENTS, Topic.MAIL, Topic.HOUSEHOLDS, Topic.ACTIVITIES, Topic.ALERTS}


def _table(proxy: Any, parent: QWidget, sort_column: int, multi: bool = False) -> QTableView:
    """Columns sized to their contents, the last one stretched; sorted by ``sort_column``, largest first."""
    view = QTableView(parent)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.sortByColumn(sort_column, Qt.SortOrder.DescendingOrder)
    return view


class ReferralsEventsView(QWidget):
    sig_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ReferralsEventsView")
        self.ctx = ctx
        self.snapshot: jobs.ReferralsSnapshot | None = None
        self.tasks = ctx.tasks  # results for a closed widget are dropped

        self.tiles = {key: QLabel("—", self) for key in ("referred", "conversion", "aum", "revenue")}
        tiles = QHBoxLayout()
        tiles.setSpacing(theme.S3)
        for key, caption in (
            ("referred", _("Referrals, last 12 months")),
            ("conversion", _("Became clients")),
            ("aum", _("Assets brought by referrals")),
            ("revenue", _("Their revenue, last 12 months")),
        ):
            tiles.addWidget(self._tile(caption, self.tiles[key]))

        self.sources = sources_model(self)
        self.sources_view = _table(sorted_proxy(self.sources, self), self, 3)
        self.likely = likely_model(self)
        self.likely_proxy = sorted_proxy(self.likely, self)
        self.likely_view = _table(self.likely_proxy, self, 2, multi=True)
        self.ask_button = QPushButton(
            icons.icon("mail", theme.colors().accent_text), _("Ask selected for a referral"), self
        )
        self.ask_button.setObjectName("Primary")
        self.ask_button.setToolTip(
            _("Queue your referral-request e-mail (template 'referral_request') to each")
        )
        self.ask_button.clicked.connect(self.ask_selected)
        self.events = life_events_model(self)
        self.events_view = _table(sorted_proxy(self.events, self), self, 1)
        self.brochures_button = QPushButton(_("Review brochures…"), self)
        self.brochures_button.clicked.connect(self.review_brochures)
        self.meetings = events_model(self)
        self.meetings_proxy = sorted_proxy(self.meetings, self)
        self.meetings_view = _table(self.meetings_proxy, self, 1)
        self.meetings_view.setToolTip(
            _("Double-click an event for its answers, who came and the friends they brought")
        )
        self.meetings_view.doubleClicked.connect(self.open_event)
        self.new_event_button = QPushButton(icons.icon("add"), _("New event…"), self)
        self.new_event_button.clicked.connect(self.new_event)

        self.sources_empty = self._muted(
            _(
                "No referrals yet. Record who referred a new household, or invite clients to a bring-a-friend event."
            )
        )
        self.likely_empty = self._muted(
            _(
                "Nobody to ask right now: no A or B client without an open risk alert who was not asked lately."
            )
        )
        self.events_empty = self._muted(
            _(
                "No life events in the last 12 months. Record them on the contact card, or drop a questionnaire reply here."
            )
        )
        self.meetings_empty = self._muted(
            _(
                "No bring-a-friend events yet. Create one with New event…, invite clients, and record the friends they bring."
            )
        )
        self.status = self._muted("")

        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S6)
        grid.setVerticalSpacing(theme.S2)
        grid.addWidget(self._title(_("Referral sources")), 0, 0)
        grid.addWidget(self.sources_view, 1, 0)
        grid.addWidget(self.sources_empty, 2, 0)
        ask_row = QHBoxLayout()
        ask_row.addWidget(self._title(_("Most likely to refer")))
        ask_row.addStretch(1)
        ask_row.addWidget(self.ask_button)
        grid.addLayout(ask_row, 0, 1)
        grid.addWidget(self.likely_view, 1, 1)
        grid.addWidget(self.likely_empty, 2, 1)
        ev_row = QHBoxLayout()
        ev_row.addWidget(self._title(_("Life events and what they led to")))
        ev_row.addStretch(1)
        ev_row.addWidget(self.brochures_button)
        grid.addLayout(ev_row, 3, 0)
        grid.addWidget(self.events_view, 4, 0)
        grid.addWidget(self.events_empty, 5, 0)
        meet_row = QHBoxLayout()
        meet_row.addWidget(self._title(_("Bring-a-friend events")))
        meet_row.addStretch(1)
        meet_row.addWidget(self.new_event_button)
        grid.addLayout(meet_row, 3, 1)
        grid.addWidget(self.meetings_view, 4, 1)
        grid.addWidget(self.meetings_empty, 5, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 3)
        grid.setRowStretch(4, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, theme.S3, 0, 0)
        layout.setSpacing(theme.S4)
        layout.addLayout(tiles)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)
        ctx.signals.data_changed.connect(self._data_changed)
        self._stale = True  # read when first shown

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    # -- building blocks ----------------------------------------------------------------------------------
    def _tile(self, caption: str, value: QLabel) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("Card")
        box = QVBoxLayout(frame)
        box.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
        box.setSpacing(2)
        label = QLabel(caption, frame)
        label.setObjectName("Muted")
        value.setParent(frame)
        value.setObjectName("TileValue")
        box.addWidget(label)
        box.addWidget(value)
        return frame

    def _title(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("SectionTitle")
        return label

    def _muted(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("Muted")
        label.setWordWrap(True)
        return label

    # -- data -----------------------------------------------------------------------------------------------
    def _data_changed(self, topic: str) -> None:
        if topic in TOPICS:
            if self.isVisible():
                self.reload()
            else:
                self._stale = True

    def reload(self) -> None:
        self._stale = False
        self.tasks.run_task(
            jobs.load_snapshot,
            self.ctx.book,
            self.ctx.settings,
            self.ctx.now().date(),
            on_done=self.show_snapshot,
            on_error=lambda e: self.status.setText(
                _("Could not load referrals: {error}").format(error=user_message(e))
            ),
            owner=self,
        )

    def show_snapshot(self, snap: jobs.ReferralsSnapshot) -> None:
        self.snapshot = snap
        board = snap.dashboard
        recent = sum(board.by_month.values())
        self.tiles["referred"].setText(format_number(recent))
        self.tiles["conversion"].setText(
            format_percent(board.conversion) if board.conversion is not None else "—"
        )
        self.tiles["aum"].setText(money0(sum((k.aum for k in board.kinds), Decimal(0))))
        self.tiles["revenue"].setText(money0(sum((k.revenue for k in board.kinds), Decimal(0))))
        self.sources.set_rows(board.sources)
        self.likely.set_rows(snap.likely)
        self.events.set_rows(board.life_events)
        self.meetings.set_rows(snap.events)
        for view, empty in (
            (self.sources_view, self.sources_empty),
            (self.likely_view, self.likely_empty),
            (self.events_view, self.events_empty),
            (self.meetings_view, self.meetings_empty),
        ):
            has = view.model().rowCount() > 0
            view.setVisible(has)
            empty.setVisible(not has)
        self.ask_button.setEnabled(bool(snap.likely) and not self.ctx.read_only)
        self.new_event_button.setEnabled(not self.ctx.read_only)
        n = snap.pending_brochures
        self.brochures_button.setText(
            ngettext("Review {n} brochure…", "Review {n} brochures…", n).format(n=n)
            if n
            else _("Review brochures…")
        )
        self.brochures_button.setEnabled(n > 0)
        self.sig_loaded.emit()

    # -- actions --------------------------------------------------------------------------------------------
    def ask_selected(self) -> None:
        rows = sorted(
            {self.likely_proxy.mapToSource(i).row() for i in self.likely_view.selectionModel().selectedRows()}
        )
        chosen = [self.likely.row_item(r) for r in rows]
        if not chosen:
            self.status.setText(_("Select the households to ask first."))
            return
        self.ask_button.setEnabled(False)
        self.tasks.run_task(
            jobs.ask,
            self.ctx.book,
            self.ctx.settings,
            chosen,
            self.ctx.now(),
            on_done=self._asked,
            on_error=self._ask_failed,
            owner=self,
        )

    def _asked(self, report: Any) -> None:
        self.status.setText(
            ngettext(
                "{n} referral request queued in the outbox.",
                "{n} referral requests queued in the outbox.",
                report.queued,
            ).format(n=report.queued)
        )
        self.ctx.signals.data_changed.emit(Topic.MAIL)  # reloads this view too

    def _ask_failed(self, error: BaseException) -> None:
        self.status.setText(user_message(error))
        self.ask_button.setEnabled(True)

    def new_event(self) -> None:
        from actdesk.ui.engagement.event_dialogs import NewEventDialog

        def show(households: list[tuple[int, str]]) -> None:
            dialog = NewEventDialog(self.ctx, households, self)
            dialog.sig_created.connect(lambda event_id: self._open_event_id(event_id))
            dialog.open()

        self.tasks.run_task(jobs.client_households, self.ctx.book, on_done=show, owner=self)

    def open_event(self, index: Any) -> None:
        event = self.meetings.row_item(self.meetings_proxy.mapToSource(index).row())
        self._open_event_id(event.id)

    def _open_event_id(self, event_id: int) -> None:
        from actdesk.ui.engagement.event_dialogs import EventDialog

        self.tasks.run_task(
            jobs.event_detail,
            self.ctx.book,
            event_id,
            on_done=lambda detail: EventDialog(self.ctx, detail, self).open(),
            on_error=lambda e: self.status.setText(user_message(e)),
            owner=self,
        )

    def review_brochures(self) -> None:
        from actdesk.ui.engagement.brochure_dialog import review_brochures

        review_brochures(self.ctx, self)
