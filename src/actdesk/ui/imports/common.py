"""Small pieces shared by the import screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from actdesk.services.importers.apply import ImportResult
from actdesk.services.importers.households import contacts_without_household, suggest_households
from actdesk.services.importers.preview import ContactPreview
from actdesk.storage.engine import Book
from actdesk.ui.tasks import TaskState


def progress_check(state: TaskState, label: str) -> Callable[[int, int], None]:
    """A services ``check(done, total)`` that reports progress and raises once the user cancelled."""

    def check(done: int, total: int) -> None:
        state.check()
        state.progress(done / total if total else 0.0, label)

    return check


def touched_contacts(result: ImportResult, preview: ContactPreview) -> list[int]:
    """Contacts the import added or merged into: the ones whose households are worth suggesting."""
    return [*result.contact_ids, *(m.contact_id for m in preview.merges)]


def household_state(book: Book, contact_ids: list[int]) -> tuple[list[Any], list[int]]:
    """Suggestions among ``contact_ids``, and those of them still without a household (worker side)."""
    with book.reader() as s:
        wanted = set(contact_ids)
        homeless = [cid for cid in contacts_without_household(s) if cid in wanted]
        return suggest_households(s, contact_ids), homeless


def table_view(model: Any, parent: QWidget) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.setWordWrap(False)
    return view
