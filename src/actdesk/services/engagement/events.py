""" "Bring a friend" events: invitations through the mail outbox, RSVPs, attendance, guests becoming prospects.

An event has its own row; every invited household also gets it as an ``event`` activity on its calendar, so
the card shows it and attending counts as contact with the household. Invitations are automation occasions
keyed per event and contact, so inviting the same people twice queues nothing new. A guest who attends
becomes a prospect household with a referral from the client who brought them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from actdesk.domain.enums import ActivityKind, ContactRole, HouseholdStatus
from actdesk.domain.models import Activity, Contact, Household
from actdesk.i18n import _
from actdesk.services.mail.automations import AutomationReport, Occasion, queue_occasions
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.library import load_template
from actdesk.services.mail.merge import activity_fields
from actdesk.storage.engine import Book
from actdesk.storage.repositories import activities as activities_repo
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import engagement_events as events_repo
from actdesk.storage.repositories import engagement_referrals as refs
from actdesk.storage.repositories import households as households_repo
from actdesk.storage.repositories.mail_audience import load_recipients

RSVP_ANSWERS = ("yes", "no", "maybe", "none")


class EventProblem(Exception):
    """An event action that cannot be done as asked; the message says why."""


@dataclass
class InviteReport:
    invited: int = 0
    already: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    queued: int = 0


def create_event(
    book: Book,
    subject: str,
    start: datetime,
    *,
    duration_minutes: int = 120,
    location: str | None,
    now: datetime,
) -> int:
    if not subject.strip():
        raise EventProblem(_("An event needs a name."))
    if start.tzinfo is None:
        raise EventProblem(_("The event's start time has no time zone."))
    with book.session() as s:
        return events_repo.add_event(
            s, subject.strip(), start, duration_minutes, (location or "").strip() or None, now
        )


def _event(book: Book, event_id: int) -> events_repo.EventSummary:
    with book.reader() as s:
        found = events_repo.list_events(s, event_id)
    if not found:
        raise EventProblem(_("There is no event {id}.").format(id=event_id))
    return found[0]


def invite(
    book: Book,
    event_id: int,
    household_ids: list[int],
    sender: Sender,
    *,
    language: str,
    now: datetime,
    tz: tzinfo,
) -> InviteReport:
    """Invite the primary and spouse of each household; queue one invitation each through the outbox."""
    event = _event(book, event_id)
    if event.start <= now:
        raise EventProblem(_("The event has already started; invitations can no longer be sent."))
    report = InviteReport()
    fields = activity_fields(event.subject, event.start, event.location, language, tz)
    occasions: list[Occasion] = []
    with book.session() as s:
        people = [
            r
            for r in load_recipients(s, now, household_ids=household_ids)
            if str(r.contact.role) in ("primary", "spouse") and r.contact.id is not None
        ]
        known = {i.contact_id: i for i in events_repo.invitations(s, event_id)}
        calendar: dict[int, int] = {
            i.household_id: i.activity_id for i in known.values() if i.household_id and i.activity_id
        }
        for r in people:
            cid, hid = r.contact.id, r.contact.household_id
            assert cid is not None and hid is not None
            if cid in known:
                report.already += 1
                continue
            if hid not in calendar:
                calendar[hid] = activities_repo.add(
                    s,
                    Activity(
                        household_id=hid,
                        kind=ActivityKind.EVENT,
                        subject=event.subject,
                        start=event.start,
                        duration_minutes=event.duration_minutes,
                        location=event.location,
                    ),
                    tz,
                )
            events_repo.add_invitation(s, event_id, cid, calendar[hid])
            report.invited += 1
            occasions.append(
                Occasion(
                    f"event-invite:{event_id}:{cid}:invitation",
                    "event_invitation",
                    "event_invitation",
                    cid,
                    now,
                    calendar[hid],
                    {"event": fields},
                )
            )
    queued: AutomationReport = queue_occasions(
        book,
        occasions,
        sender,
        now=now,
        tz=tz,
        language=language,
        templates=lambda name, lang: load_template(book, name, lang),
    )
    report.queued = sum(queued.queued.values())
    report.skipped = dict(queued.skipped)
    with book.session() as s:
        pks = repo.message_pks_by_keys(s, [o.key for o in occasions])
        for o in occasions:
            if o.key in pks:
                events_repo.link_invitation_mail(s, event_id, o.contact_id, pks[o.key])
    return report


def record_rsvp(book: Book, event_id: int, contact_id: int, answer: str) -> None:
    if answer not in RSVP_ANSWERS:
        raise EventProblem(_("An answer is one of: {answers}").format(answers=", ".join(RSVP_ANSWERS)))
    with book.session() as s:
        row = events_repo.invitation_row(s, event_id, contact_id)
        if row is None:
            raise EventProblem(_("Contact {id} was not invited to this event.").format(id=contact_id))
        row.rsvp = answer


def record_attendance(
    book: Book, event_id: int, contact_id: int, now: datetime, attended: bool = True
) -> None:
    """Mark an invited client as there (the household's calendar entry is completed: that counts as contact)."""
    with book.session() as s:
        row = events_repo.invitation_row(s, event_id, contact_id)
        if row is None:
            raise EventProblem(_("Contact {id} was not invited to this event.").format(id=contact_id))
        row.attended = attended
        if attended and row.rsvp in ("none", "maybe"):
            row.rsvp = "yes"
        if attended and row.activity_id is not None:
            activities_repo.mark_done(s, row.activity_id, _("Attended"), now)


def add_guest(
    book: Book,
    event_id: int,
    invited_by: int,
    first_name: str,
    last_name: str,
    email: str | None,
    now: datetime,
) -> int:
    if not (first_name.strip() or last_name.strip()):
        raise EventProblem(_("A guest needs a name."))
    with book.session() as s:
        if events_repo.event_row(s, event_id) is None:
            raise EventProblem(_("There is no event {id}.").format(id=event_id))
        if events_repo.invitation_row(s, event_id, invited_by) is None:
            raise EventProblem(
                _("Contact {id} was not invited to this event, so cannot bring a guest.").format(
                    id=invited_by
                )
            )
        return events_repo.add_guest(
            s, event_id, invited_by, first_name.strip(), last_name.strip(), (email or "").strip() or None, now
        )


def guest_attended(book: Book, guest_id: int, now: datetime) -> int:
    """The guest came: create them as a prospect referred by their host. Returns the prospect household id."""
    with book.session() as s:
        guest = events_repo.guest_row(s, guest_id)
        if guest is None:
            raise EventProblem(_("There is no guest {id}.").format(id=guest_id))
        guest.attended = True
        if guest.household_id is not None:
            return guest.household_id
        event = events_repo.event_row(s, guest.event_id)
        assert event is not None
        name = guest.last_name or guest.first_name
        hid = households_repo.create_household(
            s,
            Household(name=_("{name} household").format(name=name), status=HouseholdStatus.PROSPECT),
            [
                Contact(
                    household_id=None,
                    first_name=guest.first_name,
                    last_name=guest.last_name,
                    role=ContactRole.PRIMARY,
                    email=guest.email,
                )
            ],
        )
        guest.household_id = hid
        guest.referral_id = refs.add_referral(
            s, guest.invited_by_contact_id, hid, event.start.date(), "prospect", None
        )
        activities_repo.add(
            s,
            Activity(
                household_id=hid,
                kind=ActivityKind.CALL,
                subject=_("Thank {name} for coming to {event}").format(
                    name=guest.first_name, event=event.subject
                ),
                due_date=now.date() + timedelta(days=3),
            ),
        )
        return hid
