"""The outbox, campaigns, saved templates and the archive. Takes a session, returns plain dataclasses.

State changes are compare-and-set updates (``WHERE state = ...``) so that two senders can never both claim a
message, and every claim is committed by the caller before the server is contacted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from actdesk.i18n import _
from actdesk.storage.errors import NotFoundError, ValidationError
from actdesk.storage.tables.book import ContactRow
from actdesk.storage.tables.mail import MailArchiveRow, MailCampaignRow, MailMessageRow, MailTemplateRow

QUEUED, SENDING, SENT, FAILED, UNCERTAIN, CANCELLED = (
    "queued",
    "sending",
    "sent",
    "failed",
    "uncertain",
    "cancelled",
)
STATES = (QUEUED, SENDING, SENT, FAILED, UNCERTAIN, CANCELLED)


@dataclass(frozen=True)
class NewMessage:
    message_id: str
    raw: bytes
    to_addr: str
    from_addr: str
    subject: str
    scheduled_for: datetime
    marketing: bool = False
    template_name: str | None = None
    campaign_id: int | None = None
    household_id: int | None = None
    contact_id: int | None = None
    activity_id: int | None = None
    automation_key: str | None = None


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    message_id: str
    to: str
    subject: str
    state: str
    scheduled_for: datetime
    attempts: int
    next_attempt_at: datetime | None
    smtp_reply: str | None
    sent_at: datetime | None
    campaign_id: int | None
    household_id: int | None
    contact_id: int | None
    marketing: bool


@dataclass(frozen=True)
class DueMessage:
    id: int
    raw: bytes
    to_addr: str
    from_addr: str
    attempts: int


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    name: str
    template_name: str
    audience: str
    scheduled_for: datetime
    created_at: datetime
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    opted_out: int = 0


def _entry(row: MailMessageRow) -> OutboxEntry:
    return OutboxEntry(
        row.id,
        row.message_id,
        row.to_addr,
        row.subject,
        row.state,
        row.scheduled_for,
        row.attempts,
        row.next_attempt_at,
        row.smtp_reply,
        row.sent_at,
        row.campaign_id,
        row.household_id,
        row.contact_id,
        bool(row.marketing),
    )


def add_messages(s: Session, messages: Iterable[NewMessage]) -> list[int]:
    rows = [MailMessageRow(state=QUEUED, attempts=0, **vars_of(m)) for m in messages]
    s.add_all(rows)
    s.flush()
    return [r.id for r in rows]


def vars_of(message: NewMessage) -> dict[str, object]:
    return {name: getattr(message, name) for name in NewMessage.__dataclass_fields__}


def existing_automation_keys(s: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        found.update(
            s.scalars(select(MailMessageRow.automation_key).where(MailMessageRow.automation_key.in_(chunk)))
        )
    return found


def list_messages(
    s: Session, *, states: Sequence[str] | None = None, campaign_id: int | None = None, limit: int = 2000
) -> list[OutboxEntry]:
    q = (
        select(MailMessageRow)
        .order_by(MailMessageRow.scheduled_for.desc(), MailMessageRow.id.desc())
        .limit(limit)
    )
    if states:
        q = q.where(MailMessageRow.state.in_(list(states)))
    if campaign_id is not None:
        q = q.where(MailMessageRow.campaign_id == campaign_id)
    return [_entry(r) for r in s.scalars(q)]


def get_message(s: Session, message_pk: int) -> OutboxEntry:
    row = s.get(MailMessageRow, message_pk)
    if row is None:
        raise NotFoundError(
            _("There is no message {message_pk} in the outbox.").format(message_pk=message_pk)
        )
    return _entry(row)


def get_raw(s: Session, message_pk: int) -> bytes:
    row = s.get(MailMessageRow, message_pk)
    if row is None:
        raise NotFoundError(
            _("There is no message {message_pk} in the outbox.").format(message_pk=message_pk)
        )
    return row.raw


def due_messages(s: Session, now: datetime, limit: int = 200) -> list[DueMessage]:
    """Queued messages whose time has come (including those missed while closed), oldest first."""
    q = (
        select(MailMessageRow)
        .where(MailMessageRow.state == QUEUED, MailMessageRow.scheduled_for <= now)
        .where((MailMessageRow.next_attempt_at.is_(None)) | (MailMessageRow.next_attempt_at <= now))
        .order_by(MailMessageRow.scheduled_for, MailMessageRow.id)
        .limit(limit)
    )
    return [DueMessage(r.id, r.raw, r.to_addr, r.from_addr, r.attempts) for r in s.scalars(q)]


def claim(s: Session, message_pk: int, now: datetime) -> bool:
    """queued -> sending; False when someone else changed it first (cancelled, or claimed by another sender)."""
    result = s.execute(
        update(MailMessageRow)
        .where(MailMessageRow.id == message_pk, MailMessageRow.state == QUEUED)
        .values(state=SENDING, sending_since=now, last_attempt_at=now, attempts=MailMessageRow.attempts + 1)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _transition(s: Session, message_pk: int, from_states: Sequence[str], **values: object) -> bool:
    result = s.execute(
        update(MailMessageRow)
        .where(MailMessageRow.id == message_pk, MailMessageRow.state.in_(list(from_states)))
        .values(**values)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def mark_sent(s: Session, message_pk: int, reply: str, now: datetime) -> None:
    """sending -> sent, and the raw message goes to the archive in the same unit of work."""
    row = s.get(MailMessageRow, message_pk)
    if row is None or row.state != SENDING:
        return
    row.state, row.sent_at, row.smtp_reply, row.sending_since = SENT, now, reply, None
    row.smtp_code = int(reply[:3]) if reply[:3].isdigit() else None
    s.add(
        MailArchiveRow(
            message_id=row.message_id,
            household_id=row.household_id,
            contact_id=row.contact_id,
            campaign_id=row.campaign_id,
            sender=row.from_addr,
            recipients=row.to_addr,
            subject=row.subject,
            sent_at=now,
            smtp_reply=reply,
            raw=row.raw,
        )
    )


def mark_retry(s: Session, message_pk: int, reply: str, code: int | None, next_attempt: datetime) -> None:
    _transition(
        s,
        message_pk,
        [SENDING],
        state=QUEUED,
        smtp_reply=reply,
        smtp_code=code,
        next_attempt_at=next_attempt,
        sending_since=None,
    )


def postpone(s: Session, message_pks: Sequence[int], reply: str, next_attempt: datetime) -> None:
    """Network down before anything was handed over: keep them queued, try again later, in the same order."""
    s.execute(
        update(MailMessageRow)
        .where(MailMessageRow.id.in_(list(message_pks)), MailMessageRow.state == QUEUED)
        .values(smtp_reply=reply, smtp_code=None, next_attempt_at=next_attempt)
    )


def mark_failed(s: Session, message_pk: int, reply: str, code: int | None) -> None:
    _transition(s, message_pk, [SENDING], state=FAILED, smtp_reply=reply, smtp_code=code, sending_since=None)


def mark_uncertain(s: Session, message_pk: int, reply: str) -> None:
    _transition(s, message_pk, [SENDING], state=UNCERTAIN, smtp_reply=reply, sending_since=None)


def recover_interrupted(s: Session, stale_before: datetime, note: str) -> list[int]:
    """Messages left in "sending" by a run that ended without a verdict become uncertain, never resent."""
    ids = list(
        s.scalars(
            select(MailMessageRow.id).where(
                MailMessageRow.state == SENDING,
                (MailMessageRow.sending_since.is_(None)) | (MailMessageRow.sending_since < stale_before),
            )
        )
    )
    if ids:
        s.execute(
            update(MailMessageRow)
            .where(MailMessageRow.id.in_(ids), MailMessageRow.state == SENDING)
            .values(state=UNCERTAIN, smtp_reply=note, sending_since=None)
        )
    return ids


def attempts_since(s: Session, since: datetime) -> list[datetime]:
    """When messages were handed to the server recently (the rate limit counts these, across runs)."""
    return sorted(
        s.scalars(select(MailMessageRow.last_attempt_at).where(MailMessageRow.last_attempt_at >= since))
    )


def cancel(s: Session, message_pk: int) -> None:
    entry = get_message(s, message_pk)
    if not _transition(s, message_pk, [QUEUED, FAILED, UNCERTAIN], state=CANCELLED, next_attempt_at=None):
        raise ValidationError(
            {
                "state": f"message {message_pk} is {entry.state}; only queued, failed or uncertain messages can be cancelled"
            }
        )


def requeue(s: Session, message_pk: int, now: datetime) -> None:
    entry = get_message(s, message_pk)
    if not _transition(
        s,
        message_pk,
        [FAILED, UNCERTAIN, CANCELLED],
        state=QUEUED,
        next_attempt_at=None,
        scheduled_for=min(entry.scheduled_for, now),
        attempts=0,
    ):
        raise ValidationError(
            {
                "state": f"message {message_pk} is {entry.state}; only failed, uncertain or cancelled messages can be retried"
            }
        )


def cancel_queued_marketing_for(s: Session, contact_ids: Sequence[int], note: str) -> int:
    result = s.execute(
        update(MailMessageRow)
        .where(MailMessageRow.contact_id.in_(list(contact_ids)), MailMessageRow.state == QUEUED)
        .where(MailMessageRow.marketing.is_(True))
        .values(state=CANCELLED, smtp_reply=note)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def record_opt_out(s: Session, email: str, now: datetime, note: str) -> list[int]:
    """Every contact with this address opts out; their queued marketing mail is cancelled."""
    rows = list(s.scalars(select(ContactRow).where(func.lower(ContactRow.email) == email.strip().lower())))
    for row in rows:
        if row.email_opt_out_at is None:
            row.email_opt_out_at = now
    ids = [r.id for r in rows]
    if ids:
        cancel_queued_marketing_for(s, ids, note)
    return ids


# campaigns -------------------------------------------------------------------------------------------------


def create_campaign(
    s: Session,
    *,
    name: str,
    template_name: str,
    audience: str,
    scheduled_for: datetime,
    marketing: bool,
    skipped: dict[str, int],
    now: datetime,
    activity_id: int | None = None,
) -> int:
    row = MailCampaignRow(
        name=name,
        template_name=template_name,
        audience=audience,
        scheduled_for=scheduled_for,
        marketing=marketing,
        skipped_json=json.dumps(skipped, sort_keys=True),
        created_at=now,
        activity_id=activity_id,
    )
    s.add(row)
    s.flush()
    return row.id


def campaign_summaries(s: Session, campaign_id: int | None = None) -> list[CampaignSummary]:
    q = select(MailCampaignRow).order_by(MailCampaignRow.created_at.desc(), MailCampaignRow.id.desc())
    if campaign_id is not None:
        q = q.where(MailCampaignRow.id == campaign_id)
    rows = list(s.scalars(q))
    if campaign_id is not None and not rows:
        raise NotFoundError(_("There is no campaign {campaign_id}.").format(campaign_id=campaign_id))
    out = []
    for row in rows:
        counts = {state: 0 for state in STATES}
        for state, n in s.execute(
            select(MailMessageRow.state, func.count())
            .where(MailMessageRow.campaign_id == row.id)
            .group_by(MailMessageRow.state)
        ):
            counts[state] = n
        opted_out = s.scalar(
            select(func.count(func.distinct(ContactRow.id)))
            .join(MailMessageRow, MailMessageRow.contact_id == ContactRow.id)
            .where(MailMessageRow.campaign_id == row.id, ContactRow.email_opt_out_at >= row.created_at)
        )
        out.append(
            CampaignSummary(
                row.id,
                row.name,
                row.template_name,
                row.audience,
                row.scheduled_for,
                row.created_at,
                counts,
                json.loads(row.skipped_json or "{}"),
                int(opted_out or 0),
            )
        )
    return out


# templates -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredTemplate:
    name: str
    language: str
    subject: str
    body_text: str
    body_html: str | None
    marketing: bool


def save_template(s: Session, t: StoredTemplate) -> None:
    row = s.scalar(
        select(MailTemplateRow).where(MailTemplateRow.name == t.name, MailTemplateRow.language == t.language)
    )
    if row is None:
        row = MailTemplateRow(name=t.name, language=t.language)
        s.add(row)
    row.subject, row.body_text, row.body_html, row.marketing = (
        t.subject,
        t.body_text,
        t.body_html,
        t.marketing,
    )
    s.flush()


def get_template(s: Session, name: str, language: str) -> StoredTemplate | None:
    row = s.scalar(
        select(MailTemplateRow).where(MailTemplateRow.name == name, MailTemplateRow.language == language)
    )
    if row is None:
        return None
    return StoredTemplate(
        row.name, row.language, row.subject, row.body_text, row.body_html, bool(row.marketing)
    )


def template_names(s: Session) -> list[tuple[str, str]]:
    rows = s.execute(select(MailTemplateRow.name, MailTemplateRow.language).order_by(MailTemplateRow.name))
    return [(name, language) for name, language in rows]


# archive ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArchivedMail:
    id: int
    message_id: str
    household_id: int | None
    recipients: str
    subject: str
    sent_at: datetime


def archive_for_household(s: Session, household_id: int) -> list[ArchivedMail]:
    q = (
        select(MailArchiveRow)
        .where(MailArchiveRow.household_id == household_id)
        .order_by(MailArchiveRow.sent_at.desc())
    )
    return [
        ArchivedMail(r.id, r.message_id, r.household_id, r.recipients, r.subject, r.sent_at)
        for r in s.scalars(q)
    ]


def purge_archive(s: Session, before: datetime) -> int:
    rows = list(s.scalars(select(MailArchiveRow).where(MailArchiveRow.sent_at < before)))
    for row in rows:
        s.delete(row)
    return len(rows)
