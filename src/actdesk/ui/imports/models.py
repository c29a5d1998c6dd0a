"""Table models of the import screens. Each holds plain rows computed by the services; views only show them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from actdesk.i18n import N_, _, format_date, format_datetime
from actdesk.services.importers.households import HouseholdSuggestion
from actdesk.services.importers.preview import FieldChange, MergeProposal
from actdesk.services.importers.records import FILL, KEEP, REPLACE, SAME, ContactRecord, Rejection
from actdesk.storage.repositories.imports import BatchSummary
from actdesk.ui.models.records import RecordsModel

Index = QModelIndex | QPersistentModelIndex

FIELD_LABELS = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "birth_date": N_("Birth date"),
    "occupation": N_("Occupation"),
    "address": N_("Address"),
    "city": N_("City"),
    "region": N_("State / region"),
    "postal_code": N_("Postal code"),
    "country": N_("Country"),
}
ACTION_LABELS = {
    FILL: N_("Added from the file"),
    KEEP: N_("Book value kept"),
    REPLACE: N_("Replaced by the file"),
    SAME: N_("Same"),
}
KIND_LABELS = {
    "contacts": N_("Contacts (CSV)"),
    "vcard": N_("Contacts (vCard)"),
    "balances": N_("Balances and flows"),
    "merge": N_("Duplicate merge"),
    "households": N_("Households"),
}
STATE_LABELS = {"applied": N_("Applied"), "undone": N_("Undone")}


def show(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat") and not isinstance(value, str):
        return format_date(value)
    return str(value)


class RowsModel(RecordsModel[Any]):
    """A read-only table of ``rows`` with columns given as (header, getter, right-aligned); cells shown with show()."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], Any], bool]], parent: Any = None) -> None:
        super().__init__([(title, _shown(getter), right) for title, getter, right in columns], parent)


def _shown(getter: Callable[[Any], Any]) -> Callable[[Any], str]:
    return lambda row: show(getter(row))


def adds_model(parent: Any = None) -> RowsModel:
    columns: list[tuple[str, Callable[[ContactRecord], Any], bool]] = [
        (N_("Line"), lambda r: r.line, True),
        (N_("Name"), lambda r: r.display_name, False),
        (N_("E-mail"), lambda r: r.email, False),
        (N_("Phone"), lambda r: r.phone, False),
        (N_("Birth date"), lambda r: r.birth_date, False),
        (N_("City"), lambda r: r.city, False),
        (N_("Household"), lambda r: r.household, False),
    ]
    return RowsModel(columns, parent)


def merges_model(parent: Any = None) -> RowsModel:
    columns: list[tuple[str, Callable[[MergeProposal], Any], bool]] = [
        (N_("Line"), lambda m: m.record.line, True),
        (N_("In the file"), lambda m: m.record.display_name, False),
        (N_("In the book"), lambda m: m.contact_name, False),
        (N_("Matched by"), lambda m: _(m.matched_by), False),
        (N_("Fields changed"), lambda m: len(m.applied), True),
    ]
    return RowsModel(columns, parent)


def changes_model(parent: Any = None) -> RowsModel:
    columns: list[tuple[str, Callable[[FieldChange], Any], bool]] = [
        (N_("Field"), lambda c: _(FIELD_LABELS.get(c.field, c.field)), False),
        (N_("In the book"), lambda c: c.old, False),
        (N_("In the file"), lambda c: c.new, False),
        (N_("Result"), lambda c: _(ACTION_LABELS[c.action]), False),
    ]
    return RowsModel(columns, parent)


def rejected_model(parent: Any = None) -> RowsModel:
    columns: list[tuple[str, Callable[[Rejection], Any], bool]] = [
        (N_("Line"), lambda r: r.line, True),
        (N_("Reason"), lambda r: r.reason, False),
        (N_("Row"), lambda r: r.text, False),
    ]
    return RowsModel(columns, parent)


def batches_model(parent: Any = None) -> RowsModel:
    columns: list[tuple[str, Callable[[BatchSummary], Any], bool]] = [
        (N_("Date"), lambda b: format_datetime(b.created_at, "short"), False),
        (N_("What"), lambda b: _(KIND_LABELS.get(b.kind, b.kind)), False),
        (N_("File"), lambda b: b.file_name or "", False),
        (N_("Added"), lambda b: b.added, True),
        (N_("Changed"), lambda b: b.changed, True),
        (N_("Rejected"), lambda b: b.rejected, True),
        (N_("State"), lambda b: _(STATE_LABELS.get(b.state, b.state)), False),
    ]
    return RowsModel(columns, parent)


class SuggestionsModel(RowsModel):
    """Household suggestions with a check box each: nothing is grouped unless the user ticks it."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[tuple[str, Callable[[HouseholdSuggestion], Any], bool]] = [
            (N_("Household"), lambda x: x.name, False),
            (N_("Members"), lambda x: ", ".join(x.contact_names), False),
            (N_("Because of"), lambda x: _(x.reason), False),
        ]
        super().__init__(columns, parent)
        self._checked: set[int] = set()

    def set_rows(self, rows: Sequence[Any]) -> None:
        self._checked = set()
        super().set_rows(rows)

    def checked(self) -> list[HouseholdSuggestion]:
        return [self.row_at(i) for i in sorted(self._checked)]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() and index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.CheckStateRole and index.isValid() and index.column() == 0:
            return Qt.CheckState.Checked if index.row() in self._checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        state = value.value if hasattr(value, "value") else value
        if state == Qt.CheckState.Checked.value:
            self._checked.add(index.row())
        else:
            self._checked.discard(index.row())
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True
