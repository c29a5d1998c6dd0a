"""Life events, questionnaire replies, follow-ups and brochures: reads and writes for the engagement feature.

Writes go through the ORM so the audit trail records them; reads return plain dataclasses. Events and
referral queries live in ``engagement_referrals``.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from actdesk.domain.models import LifeEvent
from actdesk.storage.tables.book import ActivityRow, ContactRow, HouseholdRow, LifeEventRow
from actdesk.storage.tables.engagement import (
    BrochureRow,
    EngagementKeyRow,
    LifeEventFollowUpRow,
    QuestionnaireReplyRow,
)
from actdesk.storage.tables.mail import MailMessageRow


def book_key(s: Session, name: str = "questionnaire") -> bytes:
    """The book's secret for ``name``, created on first use."""
    row = s.get(EngagementKeyRow, name)
    if row is None:
        row = EngagementKeyRow(name=name, value=secrets.token_hex(32))
        s.add(row)
        s.flush()
    return bytes.fromhex(row.value)


def existing_key(s: Session, name: str = "questionnaire") -> bytes | None:
    row = s.get(EngagementKeyRow, name)
    return bytes.fromhex(row.value) if row else None


# -- people -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    contact_id: int
    household_id: int | None
    name: str
    email: str | None
    household_name: str
    household_status: str


def people_by_email(s: Session, address: str) -> list[Person]:
    """Contacts whose address is ``address`` (case-insensitive)."""
    rows = s.execute(
        select(ContactRow, HouseholdRow.name, HouseholdRow.status)
        .outerjoin(HouseholdRow, HouseholdRow.id == ContactRow.household_id)
        .where(func.lower(ContactRow.email) == address.strip().lower())
        .order_by(ContactRow.id)
    )
    return [_person(c, name, status) for c, name, status in rows]


def person(s: Session, contact_id: int) -> Person | None:
    row = s.execute(
        select(ContactRow, HouseholdRow.name, HouseholdRow.status)
        .outerjoin(HouseholdRow, HouseholdRow.id == ContactRow.household_id)
        .where(ContactRow.id == contact_id)
    ).first()
    return _person(*row) if row else None


def household_people(s: Session, household_id: int) -> list[Person]:
    rows = s.execute(
        select(ContactRow, HouseholdRow.name, HouseholdRow.status)
        .join(HouseholdRow, HouseholdRow.id == ContactRow.household_id)
        .where(ContactRow.household_id == household_id)
        .order_by(ContactRow.id)
    )
    return [_person(c, name, status) for c, name, status in rows]


def _person(c: ContactRow, household_name: str | None, status: str | None) -> Person:
    return Person(
        c.id,
        c.household_id,
        f"{c.first_name} {c.last_name}".strip(),
        c.email,
        household_name or "",
        status or "",
    )


@dataclass(frozen=True)
class SentQuestionnaire:
    message_pk: int
    message_id: str
    household_id: int | None
    contact_id: int | None
    activity_id: int | None


def sent_questionnaires(s: Session, message_ids: list[str]) -> list[SentQuestionnaire]:
    """Questionnaires in the outbox or archive among ``message_ids`` (a reply's In-Reply-To / References)."""
    ids = [m.strip() for m in message_ids if m.strip()]
    if not ids:
        return []
    rows = s.scalars(
        select(MailMessageRow).where(
            MailMessageRow.message_id.in_(ids), MailMessageRow.automation_key.like("questionnaire:%")
        )
    )
    return [SentQuestionnaire(r.id, r.message_id, r.household_id, r.contact_id, r.activity_id) for r in rows]


# -- life events ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LifeEventItem:
    id: int
    household_id: int
    household: str
    contact_id: int | None
    contact: str
    kind: str
    date: date
    notes: str
    source: str
    created_at: datetime
    activity_id: int | None
    activity_done: bool
    brochure_state: str


def add_life_event(s: Session, event: LifeEvent) -> int:
    row = LifeEventRow(
        household_id=event.household_id,
        contact_id=event.contact_id,
        kind=str(event.kind),
        date=event.date,
        notes=event.notes,
        source=str(event.source),
    )
    s.add(row)
    s.flush()
    return row.id


def same_event_exists(s: Session, household_id: int, kind: str, day: date) -> bool:
    """A questionnaire read twice, or answered by both spouses, must not file the same event twice."""
    q = select(LifeEventRow.id).where(
        LifeEventRow.household_id == household_id, LifeEventRow.kind == kind, LifeEventRow.date == day
    )
    return s.execute(q.limit(1)).first() is not None


def list_life_events(
    s: Session, since: date | None = None, until: date | None = None, household_id: int | None = None
) -> list[LifeEventItem]:
    q = (
        select(
            LifeEventRow,
            HouseholdRow.name,
            ContactRow.first_name,
            ContactRow.last_name,
            LifeEventFollowUpRow.activity_id,
            ActivityRow.completed_at,
            LifeEventFollowUpRow.brochure_state,
        )
        .join(HouseholdRow, HouseholdRow.id == LifeEventRow.household_id)
        .outerjoin(ContactRow, ContactRow.id == LifeEventRow.contact_id)
        .outerjoin(LifeEventFollowUpRow, LifeEventFollowUpRow.life_event_id == LifeEventRow.id)
        .outerjoin(ActivityRow, ActivityRow.id == LifeEventFollowUpRow.activity_id)
        .order_by(LifeEventRow.date.desc(), LifeEventRow.id.desc())
    )
    if since is not None:
        q = q.where(LifeEventRow.date >= since)
    if until is not None:
        q = q.where(LifeEventRow.date <= until)
    if household_id is not None:
        q = q.where(LifeEventRow.household_id == household_id)
    return [
        LifeEventItem(
            e.id,
            e.household_id,
            hname,
            e.contact_id,
            f"{first or ''} {last or ''}".strip(),
            e.kind,
            e.date,
            e.notes or "",
            e.source,
            e.created_at,
            act,
            done is not None,
            state or "none",
        )
        for e, hname, first, last, act, done, state in s.execute(q)
    ]


# -- follow-ups and brochures -----------------------------------------------------------------------------
def add_followup(
    s: Session, life_event_id: int, activity_id: int | None, brochure_id: int | None, now: datetime
) -> None:
    s.add(
        LifeEventFollowUpRow(
            life_event_id=life_event_id,
            activity_id=activity_id,
            brochure_id=brochure_id,
            brochure_state="suggested" if brochure_id else "none",
            created_at=now,
        )
    )
    s.flush()


@dataclass(frozen=True)
class BrochureSuggestion:
    life_event_id: int
    household_id: int
    household: str
    contact_id: int | None
    kind: str
    date: date
    brochure_id: int
    brochure_title: str
    file_name: str
    language: str


def pending_brochures(s: Session, household_id: int | None = None) -> list[BrochureSuggestion]:
    q = (
        select(LifeEventFollowUpRow, LifeEventRow, HouseholdRow.name, BrochureRow)
        .join(LifeEventRow, LifeEventRow.id == LifeEventFollowUpRow.life_event_id)
        .join(HouseholdRow, HouseholdRow.id == LifeEventRow.household_id)
        .join(BrochureRow, BrochureRow.id == LifeEventFollowUpRow.brochure_id)
        .where(LifeEventFollowUpRow.brochure_state == "suggested")
        .order_by(LifeEventRow.date.desc(), LifeEventRow.id)
    )
    if household_id is not None:
        q = q.where(LifeEventRow.household_id == household_id)
    return [
        BrochureSuggestion(
            e.id, e.household_id, name, e.contact_id, e.kind, e.date, b.id, b.title, b.file_name, b.language
        )
        for _f, e, name, b in s.execute(q)
    ]


def decide_brochure(
    s: Session, life_event_id: int, state: str, now: datetime, mail_message_id: int | None = None
) -> bool:
    """Move a suggestion to ``queued`` or ``declined``; False if it was already decided (two windows)."""
    row = s.get(LifeEventFollowUpRow, life_event_id)
    if row is None or row.brochure_state != "suggested":
        return False
    row.brochure_state = state
    row.decided_at = now
    row.mail_message_id = mail_message_id
    return True


@dataclass(frozen=True)
class Brochure:
    id: int
    file_name: str
    title: str
    language: str
    kinds: tuple[str, ...]


def list_brochures(s: Session) -> list[Brochure]:
    rows = s.scalars(select(BrochureRow).order_by(BrochureRow.language, BrochureRow.title))
    return [
        Brochure(r.id, r.file_name, r.title, r.language, tuple(k for k in r.kinds.split(",") if k))
        for r in rows
    ]


def save_brochure(s: Session, file_name: str, title: str, language: str, kinds: tuple[str, ...]) -> int:
    row = s.scalars(select(BrochureRow).where(BrochureRow.file_name == file_name)).first()
    if row is None:
        row = BrochureRow(file_name=file_name)
        s.add(row)
    row.title, row.language, row.kinds = title, language, ",".join(kinds)
    s.flush()
    return row.id


# -- replies ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StoredReply:
    id: int
    status: str
    household_id: int | None
    events_filed: int
    read_at: datetime


def find_reply(s: Session, fingerprint: str) -> StoredReply | None:
    row = s.scalars(
        select(QuestionnaireReplyRow).where(QuestionnaireReplyRow.fingerprint == fingerprint)
    ).first()
    if row is None:
        return None
    return StoredReply(row.id, row.status, row.household_id, row.events_filed, row.read_at)


def record_reply(
    s: Session,
    *,
    fingerprint: str,
    sender: str,
    subject: str,
    household_id: int | None,
    contact_id: int | None,
    status: str,
    events_filed: int,
    report: dict[str, Any],
    received_at: datetime | None,
    now: datetime,
) -> int:
    """Insert, or overwrite an earlier reading that filed nothing (the advisor fixed the contact and retried)."""
    row = s.scalars(
        select(QuestionnaireReplyRow).where(QuestionnaireReplyRow.fingerprint == fingerprint)
    ).first()
    if row is None:
        row = QuestionnaireReplyRow(fingerprint=fingerprint)
        s.add(row)
    row.sender = sender[:254]
    row.subject = subject[:300]
    row.household_id = household_id
    row.contact_id = contact_id
    row.status = status
    row.events_filed = (row.events_filed or 0) + events_filed
    row.report_json = json.dumps(report, default=str, ensure_ascii=False)
    row.received_at = received_at
    row.read_at = now
    s.flush()
    return row.id


def message_pks_by_keys(s: Session, keys: list[str]) -> dict[str, int]:
    """Outbox ids of messages queued under these automation keys."""
    if not keys:
        return {}
    rows = s.execute(
        select(MailMessageRow.automation_key, MailMessageRow.id).where(
            MailMessageRow.automation_key.in_(keys)
        )
    )
    return {k: pk for k, pk in rows if k is not None}
