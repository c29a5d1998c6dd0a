"""Mail that sends itself on rules: birthdays, N days before a scheduled review, client anniversaries, and a
reminder some days after an event invitation.

Each occasion has a stable key (rule, who, when) stored unique on the message, so running the rules any number
of times never queues the same note twice. A rule is a function returning ``Occasion``s; another feature (the
life-events questionnaire) adds its own with ``review_occasions(..., rule="questionnaire")`` and its template.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy.orm import Session

from actdesk.services.mail import anniversary
from actdesk.services.mail.campaigns import Sender, build_message, skip_reason
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.merge import activity_fields
from actdesk.services.mail.templates import MailTemplate, starter_template
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo
from actdesk.storage.repositories import mail_automation
from actdesk.storage.repositories.mail_audience import Recipient, load_recipients, upcoming_activities

SEND_AT = time(9, 0)  # local time an occasion's note goes out
GRACE = anniversary.GRACE  # a birthday note is still welcome two days late (app closed, offline), not later
CARD_ROLES = ("primary", "spouse")
# Review notes are queued this long before they are due, so the advisor sees them in the outbox and they go
# out on time even if the rules do not run that day.
LOOKAHEAD = timedelta(days=31)


@dataclass(frozen=True)
class Occasion:
    key: str
    rule: str
    template: str
    contact_id: int
    send_at: datetime
    activity_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class AutomationReport:
    queued: Counter[str] = field(default_factory=Counter)
    already: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


Rule = Callable[[Session, Sequence[Recipient], datetime, tzinfo], Iterable[Occasion]]


def local_at(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=tz)


def _upcoming(base: date, now: datetime, tz: tzinfo, lead: timedelta) -> date | None:
    """This year's (or next year's) anniversary of ``base`` if its note is due within ``lead`` or was missed by
    less than the grace period."""
    return anniversary.upcoming(base, now.astimezone(tz).date(), lead, GRACE)


def birthday_occasions(
    recipients: Sequence[Recipient], now: datetime, tz: tzinfo, lead_days: int = 7
) -> list[Occasion]:
    out = []
    for r in recipients:
        c = r.contact
        if c.birth_date is None or c.id is None or str(c.role) not in CARD_ROLES:
            continue
        day = _upcoming(c.birth_date, now, tz, timedelta(days=lead_days))
        if day is not None:
            out.append(
                Occasion(f"birthday:{c.id}:{day.year}", "birthday", "birthday", c.id, local_at(day, tz))
            )
    return out


def anniversary_occasions(
    recipients: Sequence[Recipient], now: datetime, tz: tzinfo, lead_days: int = 7
) -> list[Occasion]:
    """One note to the primary contact of each client on its relationship anniversary: the day it first
    became a client, with its years as a client in all (``services/mail/anniversary.py``)."""
    out = []
    today = now.astimezone(tz).date()
    for r in recipients:
        hh, c = r.household, r.contact
        if hh is None or str(c.role) != "primary" or c.id is None:
            continue
        found = anniversary.relationship_anniversary(r, today, timedelta(days=lead_days))
        if found is None:
            continue
        out.append(
            Occasion(
                f"anniversary:{hh.id}:{c.id}:{found.day.year}",
                "anniversary",
                anniversary.TEMPLATE,
                c.id,
                local_at(found.day, tz),
                extra=found.fields(),
            )
        )
    return out


def review_occasions(
    s: Session,
    recipients: Sequence[Recipient],
    now: datetime,
    tz: tzinfo,
    *,
    days_before: int = 14,
    rule: str = "review",
    template: str = "review_reminder",
    language: str = "en",
) -> list[Occasion]:
    """One note per primary/spouse contact, ``days_before`` a scheduled review (sooner if the review is closer).

    The key holds the review's date, so a rescheduled review gets a fresh note and the stale one is cancelled
    by ``queue_occasions`` if it has not gone out yet.
    """
    by_household: dict[int, list[Recipient]] = {}
    for r in recipients:
        if r.contact.household_id is not None and str(r.contact.role) in CARD_ROLES:
            by_household.setdefault(r.contact.household_id, []).append(r)
    out = []
    horizon = now + timedelta(days=days_before) + LOOKAHEAD
    for act in upcoming_activities(s, "review", now, horizon):
        start = act.start.astimezone(tz)
        send_at = max(start - timedelta(days=days_before), now)
        fields = activity_fields(act.subject, act.start, act.location, language, tz)
        extra = {"review": fields, "next_review_date": fields["date"]}
        for r in by_household.get(act.household_id, []):
            assert r.contact.id is not None
            key = f"{rule}:{act.id}:{r.contact.id}:{start.date().isoformat()}"
            out.append(Occasion(key, rule, template, r.contact.id, send_at, act.id, extra))
    return out


def event_reminder_occasions(
    s: Session, now: datetime, tz: tzinfo, days_after: int, language: str = "en"
) -> list[Occasion]:
    """A reminder to everyone invited to a future event ``days_after`` the invitation went out."""
    rows = mail_automation.sent_invitations(s, "event_invitation")
    events = {a.id: a for a in upcoming_activities(s, "event", now, now + timedelta(days=366))}
    out = []
    for contact_id, sent_at, activity_id in rows:
        event = events.get(activity_id)
        if event is None or sent_at is None:
            continue
        send_at = sent_at + timedelta(days=days_after)
        if send_at > now or send_at >= event.start:
            continue
        extra = {"event": activity_fields(event.subject, event.start, event.location, language, tz)}
        out.append(
            Occasion(
                f"event-reminder:{activity_id}:{contact_id}",
                "event_reminder",
                "event_reminder",
                contact_id,
                send_at,
                activity_id,
                extra,
            )
        )
    return out


def queue_occasions(
    book: Book,
    occasions: Iterable[Occasion],
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
    language: str,
    templates: Callable[[str, str], MailTemplate] = starter_template,
    report: AutomationReport | None = None,
) -> AutomationReport:
    """Queue each occasion not queued before (the unique key makes a second run a no-op)."""
    report = report or AutomationReport()
    items = list(occasions)
    if not items:
        return report
    cache: dict[str, MailTemplate] = {}
    with book.session() as s:
        existing = repo.existing_automation_keys(s, [o.key for o in items])
        fresh = [o for o in items if o.key not in existing]
        report.already += len(items) - len(fresh)
        people = {
            r.contact.id: r
            for r in load_recipients(s, now, contact_ids=sorted({o.contact_id for o in fresh}))
        }
        _cancel_superseded(s, fresh)
        new: list[repo.NewMessage] = []
        for o in fresh:
            r = people.get(o.contact_id)
            reason = "no_email" if r is None else skip_reason(r)
            if reason or r is None:
                report.skipped[reason or "no_email"] += 1
                continue
            template = cache.get(o.template) or cache.setdefault(o.template, templates(o.template, language))
            m = build_message(template, r, sender, now, tz, o.extra)
            new.append(
                repo.NewMessage(
                    m.message_id,
                    m.raw,
                    m.to_addr,
                    m.from_addr,
                    m.subject,
                    o.send_at,
                    template.marketing,
                    template.name,
                    None,
                    r.contact.household_id,
                    r.contact.id,
                    o.activity_id,
                    o.key,
                )
            )
            report.queued[o.rule] += 1
        repo.add_messages(s, new)
    return report


def _cancel_superseded(s: Session, fresh: Sequence[Occasion]) -> None:
    """A review moved to another date: its old, still-queued note is cancelled."""
    for o in fresh:
        if o.activity_id is None or o.rule == "event_reminder":
            continue
        prefix = o.key.rsplit(":", 1)[0] + ":"
        mail_automation.cancel_queued(s, prefix, "superseded: the review was rescheduled")


def run_automations(
    book: Book,
    cfg: MailSettings,
    sender: Sender,
    *,
    now: datetime,
    tz: tzinfo,
    extra_rules: Sequence[tuple[Rule, str]] = (),
) -> AutomationReport:
    """Queue everything the enabled rules say is due or coming up. Safe to run as often as you like."""
    with book.reader() as s:
        people = load_recipients(s, now)
        occasions: list[Occasion] = []
        if cfg.birthday_enabled:
            occasions += birthday_occasions(people, now, tz)
        if cfg.anniversary_enabled:
            occasions += anniversary_occasions(people, now, tz)
        if cfg.review_reminder_enabled:
            occasions += review_occasions(
                s, people, now, tz, days_before=cfg.review_reminder_days, language=cfg.language
            )
        if cfg.event_reminder_enabled:
            occasions += event_reminder_occasions(s, now, tz, cfg.event_reminder_days_after, cfg.language)
        for rule, _template in extra_rules:
            occasions += list(rule(s, people, now, tz))
    from actdesk.services.mail.library import load_template

    return queue_occasions(
        book,
        occasions,
        sender,
        now=now,
        tz=tz,
        language=cfg.language,
        templates=lambda name, language: load_template(book, name, language),
    )
