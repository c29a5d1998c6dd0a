"""What the mail automations read and cancel: event invitations already sent, notes a reschedule supersedes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from actdesk.storage.repositories.mail import CANCELLED, QUEUED, SENT
from actdesk.storage.tables.mail import MailCampaignRow, MailMessageRow


def sent_invitations(s: Session, template: str) -> list[tuple[int, datetime | None, int]]:
    """(contact id, sent at, event activity id) of every sent invitation written from ``template``."""
    query = (
        select(MailMessageRow.contact_id, MailMessageRow.sent_at, MailCampaignRow.activity_id)
        .join(MailCampaignRow, MailCampaignRow.id == MailMessageRow.campaign_id)
        .where(MailCampaignRow.activity_id.is_not(None), MailMessageRow.state == SENT)
        .where(MailMessageRow.template_name == template, MailMessageRow.contact_id.is_not(None))
    )
    return [(int(cid), sent_at, int(aid)) for cid, sent_at, aid in s.execute(query)]


def cancel_queued(s: Session, key_prefix: str, reason: str) -> int:
    """Cancel the still-queued automated notes whose key starts with ``key_prefix``; returns how many."""
    count = 0
    query = select(MailMessageRow).where(
        MailMessageRow.automation_key.like(key_prefix + "%"), MailMessageRow.state == QUEUED
    )
    for row in s.scalars(query):
        row.state = CANCELLED
        row.smtp_reply = reason
        count += 1
    return count
