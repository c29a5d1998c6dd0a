"""Questionnaire replies from .eml and .mbox files: match the household, read the answers, file them.

Matching never guesses. The sender must be a contact of the book; when the reply carries the questionnaire's
token or answers a questionnaire we sent (In-Reply-To / References), that household must be the sender's.
Without either, a sender who belongs to exactly one household is matched, and the report says so.
Everything else (unknown sender, another household's token, an address shared by two households) is
reported and nothing is filed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Any

from actdesk.domain.engagement.questionnaire import token_valid
from actdesk.domain.engagement.reply import Answer, ParsedReply, parse_reply
from actdesk.domain.enums import LifeEventKind, LifeEventSource
from actdesk.domain.models import LifeEvent
from actdesk.i18n import _
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.followups import FiledEvent, file_life_event
from actdesk.services.engagement.questionnaire import all_questionnaires
from actdesk.services.engagement.reply_mail import (
    ReplyFileError,
    body_text,
    headers,
    read_messages,
    received_at,
)
from actdesk.services.engagement.reply_mail import fingerprint as mail_fingerprint
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo


@dataclass
class ReplyResult:
    fingerprint: str
    sender: str
    subject: str
    received_at: datetime | None
    parsed: ParsedReply
    household_id: int | None = None
    household: str = ""
    contact_id: int | None = None
    contact: str = ""
    matched_by: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # headers that could not be read, treated as missing
    already_filed: bool = False
    filed: list[FiledEvent] = field(default_factory=list)
    duplicates: list[Answer] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.household_id is not None

    @property
    def status(self) -> str:
        if self.already_filed:
            return "already_filed"
        if not self.matched:
            return "unmatched"
        if self.filed:
            return "filed"
        return "ready" if self.parsed.answers else "nothing_to_file"

    def to_json(self) -> dict[str, Any]:
        return {
            "sender": self.sender,
            "subject": self.subject,
            "received_at": self.received_at,
            "status": self.status,
            "household": {"id": self.household_id, "name": self.household} if self.matched else None,
            "contact": {"id": self.contact_id, "name": self.contact} if self.contact_id else None,
            "matched_by": self.matched_by,
            "language": self.parsed.language,
            "answers": [
                {
                    "question": a.number,
                    "kind": a.kind,
                    "date": a.date,
                    "notes": a.notes,
                    "approximate": a.approximate,
                }
                for a in self.parsed.answers
            ],
            "unanswered": list(self.parsed.unanswered),
            "issues": [
                {"code": i.code, "question": i.number, "text": i.text, "message": i.message()}
                for i in self.parsed.issues
            ],
            "problems": self.problems,
            "notes": self.notes,
            "free_text": self.parsed.free_text,
            "filed": [
                {
                    "life_event_id": f.life_event_id,
                    "kind": f.kind,
                    "date": f.date,
                    "activity_id": f.activity_id,
                }
                for f in self.filed
            ],
            "duplicates": [{"question": a.number, "kind": a.kind, "date": a.date} for a in self.duplicates],
        }


def fingerprint(msg: Message) -> str:
    """The reply's identity: its Message-ID, else a hash of the message."""
    return mail_fingerprint(msg, headers(msg).message_id)


def read_reply(book: Book, msg: EmailMessage, cfg: EngagementSettings, language: str = "en") -> ReplyResult:
    """Match and parse one reply without writing anything. A header that cannot be read is missing (noted);
    a reply whose From header is unreadable is still matched by its questionnaire token."""
    head = headers(msg)
    sender = head.sender
    text = body_text(msg)
    parsed = parse_reply(text, all_questionnaires(cfg, language))
    result = ReplyResult(
        mail_fingerprint(msg, head.message_id), sender, head.subject, received_at(head.date), parsed
    )
    result.notes.extend(head.notes)
    with book.reader() as s:
        prior = repo.find_reply(s, result.fingerprint)
        result.already_filed = prior is not None and prior.status == "filed"
        people = repo.people_by_email(s, sender) if sender else []
        key = repo.existing_key(s)
        sent = repo.sent_questionnaires(s, head.references)
        if not sender and head.notes and key is not None:
            # From unreadable: the token alone says whose reply it is (the household's people stand in).
            tokened = {hid for hid, sig in parsed.tokens if token_valid(hid, sig, key)}
            if len(tokened) == 1:
                people = repo.household_people(s, next(iter(tokened)))[:1]
    if not people:
        result.problems.append(
            _("The sender {address} is not a contact in this book: nothing was filed.").format(
                address=sender or _("(no address)")
            )
        )
        return result
    referenced: set[int] = set()
    for hid, sig in parsed.tokens:
        if key is not None and token_valid(hid, sig, key):
            referenced.add(hid)
            result.matched_by.append("token")
        else:
            result.problems.append(_("The reply carries a questionnaire reference this book did not issue."))
    for q in sent:
        if q.household_id is not None:
            referenced.add(q.household_id)
            result.matched_by.append("in_reply_to")
    result.matched_by = sorted(set(result.matched_by))
    own = {p.household_id: p for p in people if p.household_id is not None}
    if len(referenced) > 1:
        result.problems.append(
            _("The reply refers to questionnaires of several households: nothing was filed.")
        )
        return result
    if referenced:
        hid = next(iter(referenced))
        if hid not in own:
            result.problems.append(
                _(
                    "The reply answers the questionnaire of another household than the sender's "
                    "({address}): nothing was filed."
                ).format(address=sender)
            )
            return result
    elif len(own) == 1:
        hid = next(iter(own))
    else:
        result.problems.append(
            _(
                "The address {address} belongs to several households and the reply does not say which: nothing was filed."
            ).format(address=sender)
        )
        return result
    person = own[hid]
    result.household_id, result.household = hid, person.household_name
    if sender:
        result.contact_id, result.contact = person.contact_id, person.name
        result.matched_by.append("sender")
    return result


def apply_reply(
    book: Book,
    result: ReplyResult,
    cfg: EngagementSettings,
    *,
    now: datetime,
    today: date,
    language: str = "en",
) -> ReplyResult:
    """File the reply's answers as life events (source: questionnaire) with their follow-ups, in one unit."""
    if result.already_filed:
        return result
    with book.session() as s:
        if result.household_id is not None:
            for a in result.parsed.answers:
                if repo.same_event_exists(s, result.household_id, a.kind, a.date):
                    result.duplicates.append(a)
                    continue
                notes = a.notes
                if a.approximate:
                    notes = (notes + " " + _("(month only)")).strip()
                event = LifeEvent(
                    household_id=result.household_id,
                    kind=LifeEventKind(a.kind),
                    date=a.date,
                    contact_id=result.contact_id,
                    notes=notes or None,
                    source=LifeEventSource.QUESTIONNAIRE,
                )
                result.filed.append(
                    file_life_event(s, event, now=now, today=today, cfg=cfg, language=language)
                )
        status = "filed" if result.filed else ("reported" if result.matched else "unmatched")
        repo.record_reply(
            s,
            fingerprint=result.fingerprint,
            sender=result.sender,
            subject=result.subject,
            household_id=result.household_id,
            contact_id=result.contact_id,
            status=status,
            events_filed=len(result.filed),
            report=result.to_json(),
            received_at=result.received_at,
            now=now,
        )
    return result


def read_file(
    book: Book,
    path: Path,
    cfg: EngagementSettings,
    *,
    apply: bool,
    now: datetime,
    tz: tzinfo,
    language: str = "en",
) -> list[ReplyResult]:
    """Every reply in an .eml or .mbox file, read (and with ``apply`` filed) one by one."""
    results = []
    for msg in read_messages(path):
        result = read_reply(book, msg, cfg, language)
        if apply:
            result = apply_reply(
                book, result, cfg, now=now, today=now.astimezone(tz).date(), language=language
            )
        results.append(result)
    return results


__all__ = [
    "ReplyFileError",
    "ReplyResult",
    "apply_reply",
    "body_text",
    "fingerprint",
    "read_file",
    "read_reply",
]
