""" "Clients like you": a household's growth ideas with a one-click "Create opportunity".

Used in the panel's Growth ideas tab and, for one household, in the dialog the contact card opens.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.pipeline.config import PipelineConfig
from actdesk.domain.pipeline.similar import Suggestion
from actdesk.i18n import _, user_message
from actdesk.services import pipeline as service
from actdesk.storage.engine import Book
from actdesk.ui import icons, theme
from actdesk.ui.context import AppContext
from actdesk.ui.pipeline.controller import alive
from actdesk.ui.pipeline.models import ROW_ROLE, SuggestionModel, TextFilterProxy
from actdesk.ui.pipeline.sources import fit_rows
from actdesk.ui.widgets import EmptyState


def _suggest(
    _state: object, book: Book, household_id: int, as_of: date, config: PipelineConfig
) -> list[Suggestion]:
    return service.household_suggestions(book, household_id, as_of, config)


class GrowthIdeas(QWidget):
    """Suggestions for one household; ``sig_create_requested`` carries the chosen ``Suggestion``."""

    sig_create_requested = Signal(object)

    def __init__(self, ctx: AppContext, config: PipelineConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.config = config
        self.household_id: int | None = None
        self.model = SuggestionModel(self)
        self.proxy = TextFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.intro = QLabel(self)
        self.intro.setObjectName("Muted")
        self.intro.setWordWrap(True)
        self.table = QTableView(self)
        self.table.setObjectName("growth_ideas")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.why = QLabel(self)
        self.why.setWordWrap(True)
        self.create_button = QPushButton(
            icons.icon("add", theme.colors().accent_text), _("Create opportunity"), self
        )
        self.create_button.setObjectName("Primary")
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self._create)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._selected())
        self.table.doubleClicked.connect(lambda _i: self._create())
        actions = QHBoxLayout()
        actions.addWidget(self.why, 1)
        actions.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignTop)
        content = QWidget(self)
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(theme.S2)
        inner.addWidget(self.table)
        inner.addLayout(actions)
        inner.addStretch(1)
        self.empty = EmptyState(
            "sparkles",
            _("No growth ideas yet"),
            _("Choose a household: actdesk compares it with its most similar clients."),
            parent=self,
        )
        self.stack = QStackedWidget(self)
        self.stack.addWidget(content)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S2)
        layout.addWidget(self.intro)
        layout.addWidget(self.stack, 1)
        self.stack.setCurrentIndex(1)

    def load(self, household_id: int, as_of: date) -> None:
        self.household_id = household_id
        self.ctx.tasks.run_task(
            _suggest, self.ctx.book, household_id, as_of, self.config, on_done=alive(self, self.set_suggestions),
            on_error=alive(self, lambda exc: self.empty.set_text(_("Growth ideas unavailable"), user_message(exc))),
        )  # fmt: skip

    def set_suggestions(self, suggestions: list[Suggestion]) -> None:
        self.model.set_rows(suggestions)
        fit_rows(self.table, max(3, len(suggestions)))
        k = suggestions[0].neighbours if suggestions else self.config.neighbours
        self.intro.setText(
            _(
                "What the {k} client households most like this one (age, income, net worth, risk tolerance) "
                "hold and it does not."
            ).format(k=k)
        )
        if not suggestions:
            self.empty.set_text(
                _("Nothing to suggest"),
                _("This household already holds what its most similar clients hold."),
            )
        self.stack.setCurrentIndex(0 if suggestions else 1)
        if suggestions:
            self.table.selectRow(0)
        self._selected()

    def current(self) -> Suggestion | None:
        index = self.table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _selected(self) -> None:
        s = self.current()
        text = s.text if s else ""
        if s is not None and s.in_pipeline:
            text += "\n" + _("An open opportunity of this kind is already in the pipeline.")
        self.why.setText(text)
        self.create_button.setEnabled(s is not None and not s.in_pipeline and not self.ctx.read_only)

    def _create(self) -> None:
        s = self.current()
        if s is not None and not s.in_pipeline and not self.ctx.read_only:
            self.create_button.setEnabled(False)
            self.sig_create_requested.emit(s)


class GrowthIdeasDialog(QDialog):
    """Opened from the contact card's "Growth ideas" button: the household's ideas, one click to act."""

    def __init__(self, ctx: AppContext, household_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from actdesk.ui.pipeline.controller import BoardController
        from actdesk.ui.pipeline.models import OpportunityModel

        self.setWindowTitle(_("Growth ideas for {household}").format(household=name))
        self._as_of = service.default_as_of(ctx.now().date())
        self.resize(760, 380)
        heading = QLabel(_("Growth ideas for {household}").format(household=name), self)
        heading.setObjectName("SectionTitle")
        config = service_config(ctx)
        self.ideas = GrowthIdeas(ctx, config, self)
        self.controller = BoardController(ctx, config, OpportunityModel(self), self)
        self.ideas.sig_create_requested.connect(self.controller.create_from)
        self.controller.sig_created.connect(lambda _item: self.ideas.load(household_id, self._as_of))
        self.status = QLabel(self)
        self.status.setObjectName("Muted")
        self.controller.sig_created.connect(
            lambda item: self.status.setText(_("Opportunity created: it is on the Pipeline board as a lead."))
        )
        self.controller.sig_failed.connect(self.status.setText)
        close = QPushButton(_("Close"), self)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.S6, theme.S4, theme.S6, theme.S4)
        layout.setSpacing(theme.S3)
        layout.addWidget(heading)
        layout.addWidget(self.ideas, 1)
        layout.addLayout(bottom)
        self.ideas.load(household_id, self._as_of)


def service_config(ctx: AppContext) -> PipelineConfig:
    return ctx.settings.section(PipelineConfig)
