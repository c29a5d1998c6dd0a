"""Queries of the IMAP reply watcher: claims by UIDVALIDITY/UID, the sync position, what our sent mail was,
and the replies an advisor has not yet looked at (the card's attention strip and the tray read these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from actdesk.storage.tables.book import HouseholdRow
from actdesk.storage.tables.engagement import EventInvitationRow
from actdesk.storage.tables.mail import MailMessageRow
from actdesk.storage.tables.mail_inbox import MailInboxRow, MailInboxSyncRow


@dataclass(frozen=True)
class InboxItem:
    id: int
    uidvalidity: int
    uid: int
    message_id: str | None
    sender: str
    subject: str
    kind: str
    state: str
    outcome: str
    household_id: int | None
    household: str | None
    events_filed: int
    problem: str | None
    claimed_at: datetime
    filed_at: datetime | None
    seen_at: datetime | None


@dataclass(frozen=True)
class SyncState:
    uidvalidity: int
    last_uid: int
    last_sync_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None


@dataclass(frozen=True)
class SentRef:
    """One of our sent messages a reply points to: a questionnaire, or an event invitation."""

    message_id: str
    kind: str  # questionnaire | invitation | other
    event_id: int | None = None
    contact_id: int | None = None


def _item(row: MailInboxRow, household: str | None) -> InboxItem:
    return InboxItem(
        row.id, row.uidvalidity, row.uid, row.message_id, row.sender, row.subject, row.kind, row.state,
        row.outcome, row.household_id, household, row.events_filed, row.problem, row.claimed_at,
        row.filed_at, row.seen_at,
    )  # fmt: skip


def _items(s: Session, *where: object, limit: int | None = None) -> list[InboxItem]:
    q = (
        select(MailInboxRow, HouseholdRow.name)
        .outerjoin(HouseholdRow, HouseholdRow.id == MailInboxRow.household_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(MailInboxRow.claimed_at.desc(), MailInboxRow.id.desc())
    )
    if limit:
        q = q.limit(limit)
    return [_item(row, name) for row, name in s.execute(q)]


def sync_state(s: Session, account: str, folder: str) -> SyncState | None:
    row = s.get(MailInboxSyncRow, (account, folder))
    if row is None:
        return None
    return SyncState(row.uidvalidity, row.last_uid, row.last_sync_at, row.last_error, row.last_error_at)


def _sync_row(s: Session, account: str, folder: str) -> MailInboxSyncRow:
    row = s.get(MailInboxSyncRow, (account, folder))
    if row is None:
        row = MailInboxSyncRow(account=account, folder=folder, uidvalidity=0, last_uid=0)
        s.add(row)
    return row


def save_sync(s: Session, account: str, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
    row = _sync_row(s, account, folder)
    row.uidvalidity, row.last_uid, row.last_sync_at = uidvalidity, last_uid, now
    row.last_error, row.last_error_at = None, None


def record_error(s: Session, account: str, folder: str, error: str, now: datetime) -> None:
    row = _sync_row(s, account, folder)
    row.last_error, row.last_error_at = error[:2000], now


@dataclass(frozen=True)
class NewClaim:
    uid: int
    message_id: str | None
    sender: str
    subject: str
    kind: str


def claim_all(
    s: Session, *, account: str, folder: str, uidvalidity: int, claims: list[NewClaim], now: datetime
) -> dict[int, int]:
    """Insert the claims not made before; uid -> row id of those inserted. The unique constraint stops a
    second process claiming the same UID (its commit fails; the caller leaves those messages to it)."""
    taken = known_uids(s, account, folder, uidvalidity, [c.uid for c in claims])
    rows = {
        c.uid: MailInboxRow(
            account=account, folder=folder, uidvalidity=uidvalidity, uid=c.uid, message_id=c.message_id,
            sender=c.sender[:254], subject=c.subject[:300], kind=c.kind, state="claimed", outcome="",
            events_filed=0, claimed_at=now,
        )
        for c in claims
        if c.uid not in taken
    }  # fmt: skip
    s.add_all(rows.values())
    s.flush()
    return {uid: row.id for uid, row in rows.items()}


@dataclass(frozen=True)
class Filing:
    item_id: int
    outcome: str
    household_id: int | None
    events_filed: int
    problem: str | None


def unfinished(s: Session, account: str, folder: str, uidvalidity: int) -> list[InboxItem]:
    return _items(
        s,
        MailInboxRow.account == account,
        MailInboxRow.folder == folder,
        MailInboxRow.uidvalidity == uidvalidity,
        MailInboxRow.state.in_(("claimed", "filed")),
    )


def known_uids(s: Session, account: str, folder: str, uidvalidity: int, uids: list[int]) -> set[int]:
    if not uids:
        return set()
    q = select(MailInboxRow.uid).where(
        MailInboxRow.account == account,
        MailInboxRow.folder == folder,
        MailInboxRow.uidvalidity == uidvalidity,
        MailInboxRow.uid.in_(uids),
    )
    return set(s.scalars(q))


def mark_filed(s: Session, filings: list[Filing], now: datetime) -> None:
    for f in filings:
        s.execute(
            update(MailInboxRow)
            .where(MailInboxRow.id == f.item_id)
            .values(state="filed", outcome=f.outcome[:20], household_id=f.household_id,
                    events_filed=f.events_filed, problem=f.problem, filed_at=now)
        )  # fmt: skip


def mark_marked(s: Session, item_ids: list[int], now: datetime) -> None:
    if item_ids:
        s.execute(
            update(MailInboxRow).where(MailInboxRow.id.in_(item_ids)).values(state="marked", marked_at=now)
        )


def sent_refs(s: Session, message_ids: list[str]) -> list[SentRef]:
    """Which of these Message-IDs are ours, and what they were (questionnaire, event invitation)."""
    if not message_ids:
        return []
    rows = s.execute(
        select(MailMessageRow.id, MailMessageRow.message_id, MailMessageRow.automation_key).where(
            MailMessageRow.message_id.in_(message_ids)
        )
    ).all()
    if not rows:
        return []
    invites = {
        inv.mail_message_id: inv
        for inv in s.scalars(
            select(EventInvitationRow).where(EventInvitationRow.mail_message_id.in_([r[0] for r in rows]))
        )
    }
    out: list[SentRef] = []
    for pk, mid, key in rows:
        if pk in invites:
            out.append(SentRef(mid, "invitation", invites[pk].event_id, invites[pk].contact_id))
        elif key and key.startswith("questionnaire:"):
            out.append(SentRef(mid, "questionnaire"))
        else:
            out.append(SentRef(mid, "other"))
    return out


def recent_for_household(s: Session, household_id: int, limit: int = 5) -> list[InboxItem]:
    """The household's latest replies taken from the mailbox (newest first), for the card's attention strip."""
    return _items(s, MailInboxRow.household_id == household_id, MailInboxRow.state != "claimed", limit=limit)


def unseen(s: Session, limit: int = 200) -> list[InboxItem]:
    return _items(s, MailInboxRow.seen_at.is_(None), MailInboxRow.state != "claimed", limit=limit)


def acknowledge(s: Session, item_ids: list[int], now: datetime) -> None:
    if item_ids:
        s.execute(update(MailInboxRow).where(MailInboxRow.id.in_(item_ids)).values(seen_at=now))


def counts(s: Session) -> dict[str, int]:
    rows = s.execute(select(MailInboxRow.state, func.count()).group_by(MailInboxRow.state)).all()
    return {state: int(n) for state, n in rows}


def outbox_counts(s: Session) -> dict[str, int]:
    """Outbox messages per state (for ``actdesk mail status``)."""
    rows = s.execute(select(MailMessageRow.state, func.count()).group_by(MailMessageRow.state)).all()
    return {state: int(n) for state, n in rows}


def first_outreach(s: Session, since: datetime) -> datetime | None:
    """When the first questionnaire or event invitation after ``since`` was due to go out (None: none)."""
    invited = select(EventInvitationRow.mail_message_id).where(
        EventInvitationRow.mail_message_id.is_not(None)
    )
    q = select(func.min(MailMessageRow.scheduled_for)).where(
        MailMessageRow.scheduled_for >= since,
        (MailMessageRow.automation_key.like("questionnaire:%")) | (MailMessageRow.id.in_(invited)),
    )
    return s.scalar(q)
