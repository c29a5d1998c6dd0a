"""The Pipeline panel: board, prospects by fit with the ideal-client profile, sources, growth ideas.

The board loads when the panel is built; the other tabs load the first time they are shown (they read the
analytics, which import pandas in the worker thread, after the window has painted).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.i18n import _, format_money, ngettext, user_message
from actdesk.services import pipeline as service
from actdesk.storage.engine import Book
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.pipeline.board import BoardView
from actdesk.ui.pipeline.controller import BoardController, alive
from actdesk.ui.pipeline.growth import GrowthIdeas
from actdesk.ui.pipeline.models import OpportunityModel
from actdesk.ui.pipeline.prospects import ProspectsView
from actdesk.ui.pipeline.sources import SourcesView, SpendDialog
from actdesk.ui.topics import Topic
from actdesk.ui.widgets import EmptyState

log = logging.getLogger(__name__)
TABS = ("board", "prospects", "sources", "growth")


def _prospecting(
    _state: object, book: Book, as_of: date, config: PipelineConfig, analytics: AnalyticsConfig
) -> service.Prospecting:
    return service.prospecting(book, as_of, config, analytics)


def _acquisition(
    _state: object, book: Book, as_of: date, config: PipelineConfig, analytics: AnalyticsConfig
) -> service.Acquisition:
    return service.acquisition(book, as_of, config, analytics=analytics)


def _choices(_state: object, book: Book) -> list[tuple[int, str, str]]:
    return service.household_choices(book)


def _spend(_state: object, book: Book, values: tuple[Any, ...]) -> object:
    source, day, amount, hours = values
    return service.add_spend(book, source, day, amount, hours)


class PipelinePanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PipelinePanel")
        self.ctx = ctx
        self.config = ctx.settings.section(PipelineConfig)
        self.as_of = service.default_as_of(ctx.now().date())
        self.model = OpportunityModel(self)
        self.controller = BoardController(ctx, self.config, self.model, self)
        self.loaded: set[str] = set()
        self._build()
        self.controller.sig_loaded.connect(self._board_loaded)
        self.controller.sig_failed.connect(self.summary.setText)
        ctx.signals.data_changed.connect(self._data_changed)
        self.controller.load()

    # -- layout ----------------------------------------------------------------------------------------------
    def _build(self) -> None:
        self.tabs = QTabWidget(self)
        title = QLabel(_("Pipeline"), self)
        title.setObjectName("CardTitle")
        self.summary = QLabel(_("Loading the pipeline…"), self)
        self.summary.setObjectName("Muted")
        header = QHBoxLayout()
        header.setSpacing(theme.S3)
        header.addWidget(title)
        header.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)

        self.board = BoardView(self.model, self.config, self)
        self.board.sig_move_requested.connect(lambda opp, stage: self.controller.move(opp, stage))
        self.board.sig_card_selected.connect(self._card_selected)
        self.board.sig_open_household_requested.connect(self.ctx.signals.open_household_requested)
        self.board_empty = EmptyState(
            "funnel",
            _("No opportunities yet"),
            _(
                "Record prospects and opportunities (new households, rollovers, held-away assets, insurance, "
                "planning). The Growth ideas tab suggests some for your existing clients."
            ),
            actions=[("growth", _("Find growth ideas"))],
            parent=self,
        )
        self.board_empty.sig_action_triggered.connect(
            lambda _k: self.tabs.setCurrentIndex(TABS.index("growth"))
        )
        self.board_stack = QStackedWidget(self)
        self.board_stack.addWidget(self.board)
        self.board_stack.addWidget(self.board_empty)
        board_page = QWidget(self)
        bl = QVBoxLayout(board_page)
        bl.setContentsMargins(0, theme.S3, 0, 0)
        hint = QLabel(
            _("Drag a card to another stage. Amber: longer than {days} days in its stage.").format(
                days=self.config.stale_days
            ),
            board_page,
        )
        hint.setObjectName("Muted")
        bl.addWidget(hint)
        bl.addWidget(self.board_stack, 1)

        self.prospects = ProspectsView(self)
        self.prospects.sig_open_household.connect(self.ctx.signals.open_household_requested)
        self.prospects.sig_selected.connect(self._remember_household)
        self.sources = SourcesView(self)
        self.sources.sig_record_spend_requested.connect(self.record_spend)

        growth_page = QWidget(self)
        gl = QVBoxLayout(growth_page)
        gl.setContentsMargins(0, theme.S3, 0, 0)
        gl.setSpacing(theme.S2)
        chooser = QHBoxLayout()
        label = QLabel(_("Household"), growth_page)
        self.household_combo = QComboBox(growth_page)
        self.household_combo.setObjectName("growth_household")
        self.household_combo.setEditable(True)
        self.household_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.household_combo.setMinimumWidth(320)
        if (line := self.household_combo.lineEdit()) is not None:
            line.setPlaceholderText(_("Type a household's name"))
        self.household_combo.activated.connect(lambda _i: self._household_chosen())
        chooser.addWidget(label)
        chooser.addWidget(self.household_combo)
        chooser.addStretch(1)
        self.growth = GrowthIdeas(self.ctx, self.config, growth_page)
        self.growth.sig_create_requested.connect(self.controller.create_from)
        self.controller.sig_created.connect(lambda _item: self._household_chosen())
        gl.addLayout(chooser)
        gl.addWidget(self.growth, 1)

        self.tabs.setDocumentMode(True)
        self.tabs.addTab(board_page, _("Board"))
        self.tabs.addTab(self.prospects, _("Prospects by fit"))
        self.tabs.addTab(self.sources, _("Sources and costs"))
        self.tabs.addTab(growth_page, _("Growth ideas"))
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self._pending_household: int | None = None

    # -- data ------------------------------------------------------------------------------------------------
    def activate(self) -> None:
        self._tab_changed(self.tabs.currentIndex())

    def reload(self) -> None:
        self.loaded.clear()
        self.controller.load()
        self._tab_changed(self.tabs.currentIndex())

    def _data_changed(self, topic: str) -> None:
        if topic in (
            Topic.PIPELINE,
            Topic.HOUSEHOLDS,
            Topic.CONTACTS,
            Topic.ACCOUNTS,
            Topic.BALANCES,
            Topic.IMPORTS,
        ):
            self.reload()

    def _board_loaded(self, board: service.Board) -> None:
        self.board.set_totals(board.totals)
        self.board_stack.setCurrentIndex(0 if board.rows else 1)
        open_rows = [r for r in board.rows if not self.config.is_closed(r.item.stage)]
        stale = sum(1 for r in open_rows if r.days_in_stage >= self.config.stale_days)
        parts = [
            _("Weighted pipeline {value}").format(value=format_money(board.weighted_open, cents=False)),
            ngettext("{n} open opportunity", "{n} open opportunities", len(open_rows)).format(
                n=len(open_rows)
            ),
            ngettext("{n} ageing", "{n} ageing", stale).format(n=stale),
        ]
        if board.unknown_stages:
            parts.append(
                _("not shown (stages no longer configured): {stages}").format(
                    stages=", ".join(board.unknown_stages)
                )
            )
        self.summary.setText("  ·  ".join(parts))

    def _tab_changed(self, index: int) -> None:
        key = TABS[index] if 0 <= index < len(TABS) else "board"
        if key in self.loaded or key == "board":
            return
        self.loaded.add(key)
        run = self.ctx.tasks.run_task
        if key == "prospects":
            run(
                _prospecting,
                self.ctx.book,
                self.as_of,
                self.config,
                self.ctx.settings.section(AnalyticsConfig),
                on_done=alive(self, self.prospects.set_result),
                on_error=alive(self, self._failed),
            )
        elif key == "sources":
            run(
                _acquisition,
                self.ctx.book,
                self.as_of,
                self.config,
                self.ctx.settings.section(AnalyticsConfig),
                on_done=alive(self, self.sources.set_result),
                on_error=alive(self, self._failed),
            )
        elif key == "growth":
            run(
                _choices,
                self.ctx.book,
                on_done=alive(self, self._set_choices),
                on_error=alive(self, self._failed),
            )

    def _failed(self, exc: BaseException) -> None:
        log.error("pipeline panel: %s", exc, exc_info=exc)
        self.summary.setText(_("Could not read the pipeline: {error}").format(error=user_message(exc)))

    # -- growth ideas ----------------------------------------------------------------------------------------
    def _set_choices(self, choices: list[tuple[int, str, str]]) -> None:
        self.household_combo.clear()
        for hid, name, _status in choices:
            self.household_combo.addItem(name, hid)
        self.household_combo.setCurrentIndex(-1)
        if self._pending_household is not None:
            self.show_growth(self._pending_household)

    def _remember_household(self, household_id: int) -> None:
        self._pending_household = household_id

    def _card_selected(self, opportunity_id: int) -> None:
        item = self.controller.item(opportunity_id)
        if item is not None:
            self._pending_household = item.household_id

    def show_growth(self, household_id: int) -> None:
        """Open the Growth ideas tab on one household."""
        self._pending_household = household_id
        self.tabs.setCurrentIndex(TABS.index("growth"))
        n = self.household_combo.findData(household_id)
        if n >= 0:
            self.household_combo.setCurrentIndex(n)
            self._household_chosen()

    def _household_chosen(self) -> None:
        hid = self.household_combo.currentData()
        if isinstance(hid, int):
            self._pending_household = hid
            self.growth.load(hid, self.as_of)

    # -- spend -----------------------------------------------------------------------------------------------
    def record_spend(self) -> None:
        sources = [s.source for s in self.sources.model.rows if s.source]
        dialog = SpendDialog(sources, self.ctx.now().date(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.ctx.tasks.run_task(
            _spend,
            self.ctx.book,
            dialog.values(),
            on_done=lambda _s: self.ctx.signals.data_changed.emit(Topic.PIPELINE),  # ctx outlives the panel
            on_error=alive(self, self._failed),
        )
