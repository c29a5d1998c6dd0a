"""The wizard's last step: what was imported, and households to confirm (never formed without the user)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QLabel, QPushButton, QVBoxLayout, QWidget

from actdesk.i18n import _, format_number, ngettext
from actdesk.services.importers.apply import ImportResult
from actdesk.services.importers.households import confirm_households, households_of_their_own
from actdesk.services.importers.preview import ContactPreview
from actdesk.ui import theme
from actdesk.ui.context import AppContext
from actdesk.ui.imports import models
from actdesk.ui.imports.common import household_state, table_view, touched_contacts
from actdesk.ui.tasks import TaskState
from actdesk.ui.topics import Topic


class HouseholdsStep(QWidget):
    sig_failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.contact_ids: list[int] = []
        self.homeless: list[int] = []
        self.file_name: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.done_label = QLabel(self)
        self.done_label.setWordWrap(True)
        self.suggest_title = QLabel(_("Suggested households"), self)
        self.suggest_title.setObjectName("SectionTitle")
        self.suggest_hint = QLabel(
            _(
                "These people share an address or a surname. Tick the households you want; nothing is grouped otherwise."
            ),
            self,
        )
        self.suggest_hint.setObjectName("Muted")
        self.suggest_hint.setWordWrap(True)
        self.suggestions = models.SuggestionsModel(self)
        self.suggestions_view = table_view(self.suggestions, self)
        header = self.suggestions_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.create_button = QPushButton(_("Create the ticked households"), self)
        self.create_button.setAutoDefault(False)
        self.create_button.clicked.connect(self.create_checked)
        self.own_label = QLabel(
            _("Imported contacts still without a household do not appear in the household list."), self
        )
        self.own_label.setObjectName("Muted")
        self.own_label.setWordWrap(True)
        self.own_button = QPushButton(_("Give each a household of their own"), self)
        self.own_button.setAutoDefault(False)
        self.own_button.clicked.connect(self.create_own)
        layout.addWidget(self.done_label)
        layout.addSpacing(theme.S2)
        layout.addWidget(self.suggest_title)
        layout.addWidget(self.suggest_hint)
        layout.addWidget(self.suggestions_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.create_button)
        layout.addLayout(row)
        layout.addSpacing(theme.S2)
        own = QHBoxLayout()
        own.addWidget(self.own_label, 1)
        own.addWidget(self.own_button)
        layout.addLayout(own)
        self.all_set = QLabel(_("Every contact of this import belongs to a household."), self)
        self.all_set.setObjectName("Muted")
        layout.addWidget(self.all_set)
        self.stretch = QWidget(self)
        layout.addWidget(self.stretch, 1)

    def show_result(
        self, result: ImportResult, preview: ContactPreview, state: tuple[list[Any], list[int]]
    ) -> None:
        self.contact_ids = touched_contacts(result, preview)
        self.file_name = preview.file_name
        parts = (
            ngettext("{n} contact added,", "{n} contacts added,", result.added).format(
                n=format_number(result.added)
            ),
            ngettext("{n} updated,", "{n} updated,", result.merged).format(n=format_number(result.merged)),
            ngettext("{n} row left out.", "{n} rows left out.", result.rejected).format(
                n=format_number(result.rejected)
            ),
            _("You can undo this import at any time from Import history."),
        )
        self.done_label.setText(" ".join(parts))
        self.show_state(state)

    def show_state(self, state: tuple[list[Any], list[int]]) -> None:
        suggestions, self.homeless = state
        self.suggestions.set_rows(suggestions)
        has = bool(suggestions)
        for widget in (self.suggest_title, self.suggest_hint, self.suggestions_view, self.create_button):
            widget.setVisible(has)
        self.stretch.setVisible(not has)
        self.own_label.setVisible(bool(self.homeless))
        self.own_button.setVisible(bool(self.homeless))
        self.all_set.setVisible(not has and not self.homeless)

    def create_checked(self) -> None:
        groups = [(x.name, x.contact_ids) for x in self.suggestions.checked()]
        if not groups:
            return

        def work(_state: TaskState, book: Any, now: Any) -> tuple[list[Any], list[int]]:
            with book.session() as s:
                confirm_households(s, groups, now, self.file_name)
            return household_state(book, self.contact_ids)

        self._run(
            work,
            ngettext("{n} household created.", "{n} households created.", len(groups)).format(n=len(groups)),
        )

    def create_own(self) -> None:
        homeless = list(self.homeless)

        def work(_state: TaskState, book: Any, now: Any) -> tuple[list[Any], list[int]]:
            with book.session() as s:
                households_of_their_own(s, homeless, now)
            return household_state(book, self.contact_ids)

        self._run(
            work,
            ngettext("{n} household created.", "{n} households created.", len(homeless)).format(
                n=len(homeless)
            ),
        )

    def _run(self, work: Any, message: str) -> None:
        def done(state: tuple[list[Any], list[int]]) -> None:
            self.show_state(state)
            self.ctx.signals.data_changed.emit(Topic.HOUSEHOLDS)
            self.ctx.signals.status_message.emit(message)

        self.ctx.tasks.run_task(
            work, self.ctx.book, self.ctx.now(), on_done=done, on_error=self.sig_failed.emit
        )
