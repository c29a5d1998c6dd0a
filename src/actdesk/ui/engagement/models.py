"""Table models of the Referrals & Events tab: the card's ``RecordsModel`` plus a numeric sort role."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from actdesk.domain.analytics.referrals import ReferralSource, referrer_label
from actdesk.domain.engagement.referrals import ReferrerScore
from actdesk.domain.enums import life_event_label
from actdesk.i18n import N_, format_datetime, format_money, format_number
from actdesk.storage.repositories.engagement_events import EventSummary
from actdesk.ui.card.models import RecordsModel

T = TypeVar("T")
SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
Column = tuple[str, Callable[[Any], str], bool, Callable[[Any], Any]]


class SortableRecords(RecordsModel[T]):
    """Each column also has a sort key (numbers sort as numbers), served under ``SORT_ROLE``."""

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__([(t, cell, right) for t, cell, right, _k in columns], parent)
        self._keys = [k for *_rest, k in columns]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == SORT_ROLE and index.isValid() and 0 <= index.row() < self.rowCount():
            return self._keys[index.column()](self.row_item(index.row()))
        return super().data(index, role)


def sorted_proxy(model: SortableRecords[Any], parent: Any = None) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    return proxy


def money0(value: Decimal) -> str:
    return format_money(value, cents=False)


def _source(r: ReferralSource) -> str:
    return referrer_label(r.kind, r.center_of_influence)


def sources_model(parent: Any = None) -> SortableRecords[ReferralSource]:
    return SortableRecords(
        [
            (N_("Referrer"), lambda r: r.name, False, lambda r: r.name.casefold()),
            (N_("Source"), _source, False, _source),
            (N_("Referred"), lambda r: format_number(r.referred), True, lambda r: r.referred),
            (N_("Clients"), lambda r: format_number(r.converted), True, lambda r: r.converted),
            (N_("Assets"), lambda r: money0(r.aum), True, lambda r: float(r.aum)),
            (N_("Revenue, 12 mo."), lambda r: money0(r.revenue), True, lambda r: float(r.revenue)),
        ],
        parent,
    )


def likely_model(parent: Any = None) -> SortableRecords[ReferrerScore]:
    return SortableRecords(
        [
            (N_("Household"), lambda r: r.name, False, lambda r: r.name.casefold()),
            (N_("Segment"), lambda r: r.segment, False, lambda r: r.segment),
            (N_("Score"), lambda r: format_number(r.score), True, lambda r: r.score),
            (N_("Why"), lambda r: "; ".join(r.reasons), False, lambda r: len(r.reasons)),
        ],
        parent,
    )


def life_events_model(parent: Any = None) -> SortableRecords[tuple[str, int, int, int, int]]:
    return SortableRecords(
        [
            (
                N_("Life event"),
                lambda r: life_event_label(r[0]),
                False,
                lambda r: r[0],
            ),
            (N_("Events"), lambda r: format_number(r[1]), True, lambda r: r[1]),
            (N_("Follow-ups"), lambda r: format_number(r[2]), True, lambda r: r[2]),
            (N_("Done"), lambda r: format_number(r[3]), True, lambda r: r[3]),
            (N_("Brochures"), lambda r: format_number(r[4]), True, lambda r: r[4]),
        ],
        parent,
    )


def events_model(parent: Any = None) -> SortableRecords[EventSummary]:
    return SortableRecords(
        [
            (N_("Event"), lambda e: e.subject, False, lambda e: e.subject.casefold()),
            (N_("When"), lambda e: format_datetime(e.start, "short"), True, lambda e: e.start.isoformat()),
            (N_("Invited"), lambda e: format_number(e.invited), True, lambda e: e.invited),
            (N_("Coming"), lambda e: format_number(e.yes), True, lambda e: e.yes),
            (N_("Came"), lambda e: format_number(e.attended), True, lambda e: e.attended),
            (N_("Guests"), lambda e: format_number(e.guests), True, lambda e: e.guests),
            (
                N_("Prospects"),
                lambda e: format_number(e.guests_attended),
                True,
                lambda e: e.guests_attended,
            ),
        ],
        parent,
    )
