"""``actdesk event ...`` and ``actdesk brochures ...`` (registered by ``cmd_engagement``)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _, format_datetime


def register_events(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from actdesk.cli.cmd_engagement import _ids, _instant

    ev = sub.add_parser("event", help=_('"bring a friend" events: invitations, RSVPs, attendance, guests'))
    esub = ev.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    p = esub.add_parser("list", help=_("events with their invitations and guests"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=event_list_command)
    p = esub.add_parser("create", help=_("create an event"))
    p.add_argument("--subject", required=True, help=_("what it is, e.g. 'Retirement income seminar'"))
    p.add_argument("--start", type=_instant, required=True, help=_("when, e.g. 2026-06-12T18:30"))
    p.add_argument("--minutes", type=int, default=120, help=_("how long (default 120)"))
    p.add_argument("--location", help=_("where"))
    p.set_defaults(handler=event_create_command)
    p = esub.add_parser("invite", help=_("invite households (their primary and spouse) through the outbox"))
    p.add_argument("id", type=int, help=_("event id"))
    p.add_argument("--households", type=_ids, required=True, help=_("household ids, e.g. 3,7,12"))
    p.set_defaults(handler=event_invite_command)
    p = esub.add_parser("rsvp", help=_("record an invited client's answer"))
    p.add_argument("id", type=int, help=_("event id"))
    p.add_argument("--contact", type=int, required=True, help=_("contact id"))
    p.add_argument("--answer", choices=["yes", "no", "maybe", "none"], required=True, help=_("the answer"))
    p.set_defaults(handler=event_rsvp_command)
    p = esub.add_parser("guest", help=_("add a friend a client brings"))
    p.add_argument("id", type=int, help=_("event id"))
    p.add_argument("--by", type=int, required=True, help=_("contact id of the client who brings them"))
    p.add_argument("--first", default="", help=_("first name"))
    p.add_argument("--last", default="", help=_("last name"))
    p.add_argument("--email", help=_("e-mail address"))
    p.set_defaults(handler=event_guest_command)
    p = esub.add_parser("attend", help=_("record who came (a guest who came becomes a prospect)"))
    p.add_argument("id", type=int, help=_("event id"))
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--contact", type=int, help=_("an invited client's contact id"))
    who.add_argument("--guest", type=int, help=_("a guest's id"))
    p.set_defaults(handler=event_attend_command)

    br = sub.add_parser("brochures", help=_("brochures waiting for your approval, and the library"))
    br.add_argument("--json", action="store_true", help=_("print JSON"))
    br.set_defaults(handler=brochures_command)
    bsub = br.add_subparsers(dest="brochures_command", metavar="ACTION")
    p = bsub.add_parser("approve", help=_("send the suggested brochure for a life event"))
    p.add_argument("life_event", type=int, help=_("life event id"))
    p.set_defaults(handler=brochure_approve_command)
    p = bsub.add_parser("decline", help=_("do not send the suggested brochure"))
    p.add_argument("life_event", type=int, help=_("life event id"))
    p.set_defaults(handler=brochure_decline_command)


def _problem(exc: Exception) -> UsageError:
    return UsageError(str(exc))


def event_list_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import engagement_events as events_repo

    with ctx.book().reader() as s:
        events = events_repo.list_events(s)
        detail = {e.id: (events_repo.invitations(s, e.id), events_repo.guests(s, e.id)) for e in events}
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    **{
                        k: getattr(e, k)
                        for k in ("id", "subject", "start", "location", "invited", "yes", "attended")
                    },
                    "invitations": detail[e.id][0],
                    "guests": detail[e.id][1],
                }
                for e in events
            ]
        )
        return 0
    if not events:
        print(_("No events yet. Create one with 'actdesk event create'."))
    for e in events:
        print(
            _("{id}. {subject}, {when}: {invited} invited, {yes} yes, {came} came, {guests} guests").format(
                id=e.id,
                subject=e.subject,
                when=format_datetime(e.start, "short"),
                invited=e.invited,
                yes=e.yes,
                came=e.attended,
                guests=e.guests,
            )
        )
    return 0


def event_create_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.events import EventProblem, create_event

    try:
        eid = create_event(
            ctx.book(),
            ctx.args.subject,
            ctx.args.start,
            duration_minutes=ctx.args.minutes,
            location=ctx.args.location,
            now=datetime.now(UTC),
        )
    except EventProblem as exc:
        raise _problem(exc) from None
    print(_("Event {id} created.").format(id=eid))
    return 0


def event_invite_command(ctx: CliContext) -> int:
    from actdesk.cli.cmd_engagement import _zone, sender_and_mail
    from actdesk.services.engagement.events import EventProblem, invite

    sender, mail = sender_and_mail()
    try:
        report = invite(
            ctx.book(),
            ctx.args.id,
            ctx.args.households,
            sender,
            language=mail.language,
            now=datetime.now(UTC),
            tz=_zone(),
        )
    except EventProblem as exc:
        raise _problem(exc) from None
    print(
        _("{invited} invited ({queued} invitations queued), {already} already invited.").format(
            invited=report.invited, queued=report.queued, already=report.already
        )
    )
    for reason, n in report.skipped.items():
        print("  " + _("skipped ({reason}): {n}").format(reason=reason, n=n))
    return 0


def event_rsvp_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.events import EventProblem, record_rsvp

    try:
        record_rsvp(ctx.book(), ctx.args.id, ctx.args.contact, ctx.args.answer)
    except EventProblem as exc:
        raise _problem(exc) from None
    print(_("Answer recorded."))
    return 0


def event_guest_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.events import EventProblem, add_guest

    try:
        gid = add_guest(
            ctx.book(),
            ctx.args.id,
            ctx.args.by,
            ctx.args.first,
            ctx.args.last,
            ctx.args.email,
            datetime.now(UTC),
        )
    except EventProblem as exc:
        raise _problem(exc) from None
    print(_("Guest {id} added.").format(id=gid))
    return 0


def event_attend_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.events import EventProblem, guest_attended, record_attendance

    try:
        if ctx.args.guest is not None:
            hid = guest_attended(ctx.book(), ctx.args.guest, datetime.now(UTC))
            print(_("Guest recorded as present; prospect household {id} created.").format(id=hid))
        else:
            record_attendance(ctx.book(), ctx.args.id, ctx.args.contact, datetime.now(UTC))
            print(_("Attendance recorded."))
    except EventProblem as exc:
        raise _problem(exc) from None
    return 0


def brochures_command(ctx: CliContext) -> int:
    from actdesk.cli.cmd_engagement import _engagement
    from actdesk.services.engagement.brochures import sync_library
    from actdesk.storage.repositories import engagement as repo

    library = sync_library(ctx.book(), _engagement())
    with ctx.book().reader() as s:
        pending = repo.pending_brochures(s)
    if ctx.args.json:
        ctx.print_json({"pending": pending, "library": library})
        return 0
    if not pending:
        print(_("No brochure is waiting for your approval."))
    for b in pending:
        print(f"{b.life_event_id:>5}  {b.household[:28]:<28} {b.kind:<12} {b.brochure_title}")
    print(_("{n} brochures in the library.").format(n=len(library)))
    return 0


def brochure_approve_command(ctx: CliContext) -> int:
    from actdesk.cli.cmd_engagement import _engagement, _zone, sender_and_mail
    from actdesk.services.engagement.brochures import BrochureProblem, approve_brochure

    sender, mail = sender_and_mail()
    try:
        pk = approve_brochure(
            ctx.book(),
            ctx.args.life_event,
            _engagement(),
            sender,
            language=mail.language,
            now=datetime.now(UTC),
            tz=_zone(),
        )
    except BrochureProblem as exc:
        raise _problem(exc) from None
    print(_("Brochure queued in the outbox (message {id}).").format(id=pk))
    return 0


def brochure_decline_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.brochures import decline_brochure

    if not decline_brochure(ctx.book(), ctx.args.life_event, datetime.now(UTC)):
        raise UsageError(_("There is no brochure waiting for approval for this life event."))
    print(_("Brochure declined."))
    return 0
