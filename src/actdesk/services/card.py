"""The contact card's units of work, Qt-free: the card with its attention strip in one read, a note saved, and
a departure or a return recorded (the same rules and messages as ``actdesk household leave | return``).

They run on the window's task runner (``run_task``); the card view only shows what they return.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from decimal import Decimal

from actdesk.domain.analytics.periods import ClientPeriod
from actdesk.domain.models import HouseholdDetail, Note
from actdesk.storage.engine import Book
from actdesk.storage.repositories import attention as attention_repo
from actdesk.storage.repositories import client_periods as periods_repo
from actdesk.storage.repositories import households as repo
from actdesk.storage.repositories import notes as notes_repo
from actdesk.storage.repositories.attention import Attention


def fetch_card(
    _state: object, book: Book, household_id: int, now: datetime, tz: tzinfo
) -> tuple[HouseholdDetail, Attention]:
    """The card and its attention strip in one unit of work."""
    with book.reader() as s:
        return repo.get_detail(s, household_id, activity_limit=0), attention_repo.attention(
            s, household_id, now, tz
        )


def empty_attention(detail: HouseholdDetail) -> Attention:
    return Attention(
        household_id=detail.household.id or 0,
        alerts=[],
        next_appointment=None,
        last_contact=None,
        segment=None,
        tags=list(detail.household.tags),
        referred_by=None,
        referred=[],
        fees_t12m=Decimal(0),
        managed=detail.managed_aum,
        retention=None,
        opportunity=None,
        history=list(detail.recent_activities),
    )


def save_note(_state: object, book: Book, note: Note) -> Note:
    with book.session() as s:
        return notes_repo.add_note(s, note)


def record_departure(
    _state: object, book: Book, household_id: int, on: date, reason: str
) -> list[ClientPeriod]:
    """A client left on ``on`` (its first day no longer a client); refused, with nothing written, when the
    date is not after it joined or the reason is empty."""
    with book.session() as s:
        return periods_repo.record_departure(s, household_id, on, reason)


def record_return(_state: object, book: Book, household_id: int, on: date) -> list[ClientPeriod]:
    """A former client came back on ``on``; refused, with nothing written, before the day it left."""
    with book.session() as s:
        return periods_repo.record_return(s, household_id, on)
