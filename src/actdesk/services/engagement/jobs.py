"""Work the engagement screens hand to ``ctx.tasks.run_task``: plain functions, one unit of work each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from actdesk.domain.models import LifeEvent
from actdesk.services.engagement.brochures import approve_brochure, decline_brochure, sync_library
from actdesk.services.engagement.config import EngagementSettings, load_engagement_settings
from actdesk.services.engagement.followups import FiledEvent, file_life_event
from actdesk.services.engagement.referrals import (
    AskReport,
    EngagementDashboard,
    ask_for_referrals,
    dashboard_data,
    likely_referrers,
)
from actdesk.services.engagement.replies import ReplyResult, apply_reply, read_file
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.schedule_zone import advisor_zone
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_events as events_repo


def engagement_settings(settings: Settings) -> EngagementSettings:
    return load_engagement_settings(settings)


def sender_for(settings: Settings) -> tuple[Sender, str]:
    """The advisor as sender and the language of client mail; raises MailConfigError if not set up."""
    mail = load_mail_settings(settings)
    return Sender.from_settings(mail, settings.general), mail.language


def save_life_event(
    _state: Any, book: Book, settings: Settings, event: LifeEvent, now: datetime
) -> FiledEvent:
    cfg = engagement_settings(settings)
    sync_library(book, cfg)
    with book.session() as s:
        return file_life_event(
            s,
            event,
            now=now,
            today=now.astimezone(advisor_zone(settings)).date(),
            cfg=cfg,
            language=load_mail_settings(settings).language,
        )


def read_replies(
    _state: Any, book: Book, settings: Settings, paths: list[Path], now: datetime
) -> list[ReplyResult]:
    cfg = engagement_settings(settings)
    language = load_mail_settings(settings).language
    out: list[ReplyResult] = []
    for path in paths:
        out += read_file(book, path, cfg, apply=False, now=now, tz=advisor_zone(settings), language=language)
    return out


def file_replies(
    _state: Any, book: Book, settings: Settings, results: list[ReplyResult], now: datetime
) -> list[ReplyResult]:
    cfg = engagement_settings(settings)
    sync_library(book, cfg)
    language = load_mail_settings(settings).language
    today = now.astimezone(advisor_zone(settings)).date()
    return [apply_reply(book, r, cfg, now=now, today=today, language=language) for r in results]


def pending_brochures(_state: Any, book: Book) -> list[repo.BrochureSuggestion]:
    with book.reader() as s:
        return repo.pending_brochures(s)


@dataclass(frozen=True)
class BrochureOutcome:
    queued: list[int]
    declined: list[int]
    problems: list[str]


def decide_brochures(
    _state: Any, book: Book, settings: Settings, approve: list[int], decline: list[int], now: datetime
) -> BrochureOutcome:
    from actdesk.services.engagement.brochures import BrochureProblem
    from actdesk.services.mail.config import MailConfigError

    cfg = engagement_settings(settings)
    queued, declined, problems = [], [], []
    if approve:
        try:
            sender, language = sender_for(settings)
        except MailConfigError as exc:
            problems.append(str(exc))
            approve = []
        for event_id in approve:
            try:
                queued.append(
                    approve_brochure(
                        book, event_id, cfg, sender, language=language, now=now, tz=advisor_zone(settings)
                    )
                )
            except BrochureProblem as exc:
                problems.append(str(exc))
    for event_id in decline:
        if decline_brochure(book, event_id, now):
            declined.append(event_id)
    return BrochureOutcome(queued, declined, problems)


@dataclass
class ReferralsSnapshot:
    dashboard: EngagementDashboard
    likely: list[Any]
    events: list[events_repo.EventSummary]
    pending_brochures: int


def load_snapshot(_state: Any, book: Book, settings: Settings, today: Any) -> ReferralsSnapshot:
    cfg = engagement_settings(settings)
    board = dashboard_data(book, today)
    likely = likely_referrers(book, today, cfg)
    with book.reader() as s:
        events = events_repo.list_events(s)
        pending = len(repo.pending_brochures(s))
    return ReferralsSnapshot(board, likely, events, pending)


def ask(_state: Any, book: Book, settings: Settings, chosen: list[Any], now: datetime) -> AskReport:
    sender, language = sender_for(settings)
    return ask_for_referrals(book, chosen, sender, language=language, now=now, tz=advisor_zone(settings))


# -- "bring a friend" events --------------------------------------------------------------------------------
@dataclass(frozen=True)
class EventDetail:
    event: Any
    invitations: list[Any]
    guests: list[Any]


def client_households(_state: Any, book: Book) -> list[tuple[int, str]]:
    """(id, name) of current client households, by name: who can be invited."""
    from actdesk.domain.enums import HouseholdStatus
    from actdesk.storage.repositories.households import household_names

    with book.reader() as s:
        return list(household_names(s, status=HouseholdStatus.CLIENT).items())


def create_and_invite(
    _state: Any,
    book: Book,
    settings: Settings,
    subject: str,
    start: datetime,
    minutes: int,
    location: str,
    households: list[int],
    now: datetime,
) -> tuple[int, Any]:
    """Create the event; invite the households if any (needs the mail account). Returns (id, InviteReport|None)."""
    from actdesk.services.engagement.events import create_event, invite

    event_id = create_event(book, subject, start, duration_minutes=minutes, location=location, now=now)
    if not households:
        return event_id, None
    sender, language = sender_for(settings)
    return event_id, invite(
        book, event_id, households, sender, language=language, now=now, tz=advisor_zone(settings)
    )


def event_detail(_state: Any, book: Book, event_id: int) -> EventDetail:
    from actdesk.storage.repositories import engagement_events as events_repo

    with book.reader() as s:
        [event] = events_repo.list_events(s, event_id)
        return EventDetail(event, events_repo.invitations(s, event_id), events_repo.guests(s, event_id))


def event_action(
    _state: Any, book: Book, action: str, event_id: int, target: int, now: datetime
) -> EventDetail:
    """One change from the event dialog (an RSVP, who came, a guest who came), then the event re-read."""
    from actdesk.services.engagement import events

    if action in events.RSVP_ANSWERS:
        events.record_rsvp(book, event_id, target, action)
    elif action == "attended":
        events.record_attendance(book, event_id, target, now)
    elif action == "guest_attended":
        events.guest_attended(book, target, now)
    else:
        raise ValueError(action)
    return event_detail(_state, book, event_id)


def add_guest(
    _state: Any, book: Book, event_id: int, invited_by: int, first: str, last: str, email: str, now: datetime
) -> EventDetail:
    from actdesk.services.engagement.events import add_guest as add

    add(book, event_id, invited_by, first, last, email or None, now)
    return event_detail(_state, book, event_id)
