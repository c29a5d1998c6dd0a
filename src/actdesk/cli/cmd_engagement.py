"""``actdesk referrals | life-events | questionnaire | event | brochures``: life events and referrals."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import parse_day
from actdesk.domain.enums import LifeEventKind
from actdesk.i18n import _, format_date, format_money

KINDS = tuple(kind.value for kind in LifeEventKind)  # the one vocabulary (domain/enums.py)


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{value}' is not a date and time; write e.g. 2026-06-12T18:30").format(value=text)
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=_zone())


def _ids(text: str) -> list[int]:
    try:
        return [int(p) for p in text.split(",") if p.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(_("write household ids separated by commas, e.g. 3,7,12")) from None


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("referrals", "life-events", "questionnaire", "event", "brochures")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ref = sub.add_parser("referrals", help=_("who referred whom, and what it brought"))
    ref.add_argument("--as-of", type=parse_day, help=_("date of the figures (default: today)"))
    ref.add_argument("--json", action="store_true", help=_("print JSON"))
    ref.set_defaults(handler=referrals_command)
    rsub = ref.add_subparsers(dest="referrals_command", metavar="ACTION")
    p = rsub.add_parser("ask", help=_("queue a referral request to the households most likely to refer"))
    p.add_argument("--top", type=int, default=None, help=_("how many households (default: the settings' 10)"))
    p.add_argument("--dry-run", action="store_true", help=_("only list them, with their reasons"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=referrals_ask_command)
    p = rsub.add_parser("add", help=_("record a referral"))
    p.add_argument("--referrer", type=int, required=True, help=_("contact id of who referred"))
    p.add_argument("--household", type=int, required=True, help=_("the referred household's id"))
    p.add_argument("--date", type=parse_day, help=_("when (default: today)"))
    p.set_defaults(handler=referrals_add_command)
    p = rsub.add_parser("close", help=_("record that a referral did not convert, and why"))
    p.add_argument("id", type=int, help=_("referral id"))
    p.add_argument("--reason", required=True, help=_("why it did not convert"))
    p.set_defaults(handler=referrals_close_command)

    ev = sub.add_parser("life-events", help=_("life events recorded, and what they led to"))
    ev.add_argument("--since", type=parse_day, help=_("from this date (YYYY-MM-DD)"))
    ev.add_argument("--json", action="store_true", help=_("print JSON"))
    ev.set_defaults(handler=life_events_command)
    esub = ev.add_subparsers(dest="life_events_command", metavar="ACTION")
    p = esub.add_parser("add", help=_("record a life event (with its follow-up and brochure suggestion)"))
    p.add_argument("--household", type=int, required=True, help=_("household id"))
    p.add_argument("--kind", choices=KINDS, required=True, help=_("what happened"))
    p.add_argument("--date", type=parse_day, required=True, help=_("when (YYYY-MM-DD)"))
    p.add_argument("--contact", type=int, help=_("the member it concerns"))
    p.add_argument("--notes", help=_("notes"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=life_events_add_command)

    q = sub.add_parser("questionnaire", help=_("the life-events questionnaire: send it, read replies"))
    qsub = q.add_subparsers(dest="questionnaire_command", metavar="ACTION", required=True)
    p = qsub.add_parser("read", help=_("read a reply (.eml, Outlook .msg) or a mailbox of replies (.mbox)"))
    p.add_argument("file", type=Path, help=_("the .eml, .msg or .mbox file"))
    p.add_argument("--apply", action="store_true", help=_("file the answers found as life events"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=questionnaire_read_command)
    p = qsub.add_parser("send", help=_("queue the questionnaire for one household now"))
    p.add_argument("--household", type=int, required=True, help=_("household id"))
    p.set_defaults(handler=questionnaire_send_command)
    p = qsub.add_parser("run", help=_("queue the questionnaire before every review coming up"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=questionnaire_run_command)
    p = qsub.add_parser("edit", help=_("copy the questionnaire where you can edit it, and print where"))
    p.add_argument("--language", choices=["en", "es"], default="en", help=_("language"))
    p.set_defaults(handler=questionnaire_edit_command)

    from actdesk.cli.engagement_events import register_events

    register_events(sub)


def _settings() -> Any:
    from actdesk.settings import load_settings

    return load_settings()


def _zone() -> tzinfo:
    """The advisor's zone (the schedule's), DST-aware for any date."""
    from actdesk.services.schedule_zone import advisor_zone

    return advisor_zone(_settings())


def _engagement() -> Any:
    from actdesk.services.engagement.config import load_engagement_settings

    return load_engagement_settings(_settings())


def _today(ctx: CliContext) -> date:
    return getattr(ctx.args, "as_of", None) or datetime.now(_zone()).date()


def sender_and_mail() -> tuple[Any, Any]:
    from actdesk.services.mail.campaigns import Sender
    from actdesk.services.mail.config import MailConfigError, load_mail_settings

    settings = _settings()
    mail = load_mail_settings(settings)
    try:
        return Sender.from_settings(mail, settings.general), mail
    except MailConfigError as exc:
        raise UsageError(str(exc)) from None


def referrals_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.referrals import referral_stats

    as_of = _today(ctx)
    rows = referral_stats(ctx.book(), as_of)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "contact_id": r.contact_id,
                    "name": r.name,
                    "kind": r.kind,
                    "referred": r.referred,
                    "converted": r.converted,
                    "aum": r.aum,
                    "revenue": r.revenue,
                }
                for r in rows
            ]
        )
        return 0
    if not rows:
        print(_("No referrals recorded yet."))
        return 0
    print(f"{_('Referrer'):<28} {_('Referred'):>8} {_('Converted'):>9} {_('AUM'):>16} {_('Revenue'):>12}")
    for r in rows:
        print(
            f"{r.name[:28]:<28} {r.referred:>8} {r.converted:>9} "
            f"{format_money(r.aum, cents=False):>16} {format_money(r.revenue, cents=False):>12}"
        )
    return 0


def referrals_ask_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.referrals import ask_for_referrals, likely_referrers

    if ctx.args.top is not None and ctx.args.top < 1:
        raise UsageError(_("--top must be at least 1"))
    now = datetime.now(UTC)
    chosen = likely_referrers(ctx.book(), now.astimezone(_zone()).date(), _engagement(), top=ctx.args.top)
    asked: list[int] = []
    queued = 0
    skipped: dict[str, int] = {}
    if chosen and not ctx.args.dry_run:
        sender, mail = sender_and_mail()
        report = ask_for_referrals(ctx.book(), chosen, sender, language=mail.language, now=now, tz=_zone())
        asked, queued, skipped = report.households, report.queued, report.skipped
    if ctx.args.json:
        ctx.print_json(
            {
                "households": [
                    {
                        "household_id": c.household_id,
                        "name": c.name,
                        "segment": c.segment,
                        "score": c.score,
                        "reasons": list(c.reasons),
                        "asked": c.household_id in asked,
                    }
                    for c in chosen
                ],
                "queued": queued,
                "skipped": skipped,
            }
        )
        return 0
    if not chosen:
        print(
            _(
                "Nobody to ask right now: no A or B client without an open risk alert who was not asked lately."
            )
        )
    for c in chosen:
        print(f"{c.score:>4}  {c.name}  ({'; '.join(c.reasons)})")
    if not ctx.args.dry_run and chosen:
        print(_("{n} referral requests queued in the outbox.").format(n=queued))
    return 0


def referrals_add_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import engagement as repo
    from actdesk.storage.repositories import engagement_referrals as refs

    with ctx.book().session() as s:
        if repo.person(s, ctx.args.referrer) is None:
            raise UsageError(_("There is no contact {id}.").format(id=ctx.args.referrer))
        from actdesk.storage.errors import NotFoundError
        from actdesk.storage.repositories.households import get_household

        try:
            get_household(s, ctx.args.household)
        except NotFoundError:
            raise UsageError(_("There is no household {id}.").format(id=ctx.args.household)) from None
        rid = refs.add_referral(
            s, ctx.args.referrer, ctx.args.household, ctx.args.date or _today(ctx), "prospect", None
        )
    from actdesk.services.engagement.referrals import sync_outcomes

    sync_outcomes(ctx.book(), _today(ctx))
    print(_("Referral {id} recorded.").format(id=rid))
    return 0


def referrals_close_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.referrals import close_referral

    try:
        close_referral(ctx.book(), ctx.args.id, ctx.args.reason)
    except (LookupError, ValueError) as exc:
        raise UsageError(
            str(exc)
            if isinstance(exc, ValueError)
            else _("There is no referral {id}.").format(id=ctx.args.id)
        ) from None
    print(_("Referral {id} closed as not converted.").format(id=ctx.args.id))
    return 0


def life_events_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import engagement as repo

    with ctx.book().reader() as s:
        items = repo.list_life_events(s, since=ctx.args.since)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "id": e.id,
                    "household_id": e.household_id,
                    "household": e.household,
                    "contact_id": e.contact_id,
                    "contact": e.contact or None,
                    "kind": e.kind,
                    "date": e.date,
                    "notes": e.notes or None,
                    "source": e.source,
                    "followup_activity_id": e.activity_id,
                    "followup_done": e.activity_done,
                    "brochure": e.brochure_state,
                }
                for e in items
            ]
        )
        return 0
    if not items:
        print(_("No life events recorded since then."))
    for e in items:
        print(f"{format_date(e.date):<14} {e.household[:28]:<28} {e.kind:<12} {e.source:<13} {e.notes[:40]}")
    return 0


def life_events_add_command(ctx: CliContext) -> int:
    from actdesk.domain.enums import LifeEventKind
    from actdesk.domain.models import LifeEvent
    from actdesk.services.engagement.followups import file_life_event
    from actdesk.storage.repositories import engagement as repo

    cfg = _engagement()
    now = datetime.now(UTC)
    with ctx.book().session() as s:
        people = repo.household_people(s, ctx.args.household)
        if not people:
            raise UsageError(_("There is no household {id} with members.").format(id=ctx.args.household))
        if ctx.args.contact is not None and ctx.args.contact not in {p.contact_id for p in people}:
            raise UsageError(_("Contact {id} is not a member of this household.").format(id=ctx.args.contact))
        filed = file_life_event(
            s,
            LifeEvent(
                ctx.args.household,
                LifeEventKind(ctx.args.kind),
                ctx.args.date,
                ctx.args.contact,
                ctx.args.notes,
            ),
            now=now,
            today=now.astimezone(_zone()).date(),
            cfg=cfg,
            language=_settings().general.language,
        )
    if ctx.args.json:
        ctx.print_json(filed)
    else:
        print(
            _("Life event {id} recorded; a follow-up call was added to the schedule.").format(
                id=filed.life_event_id
            )
        )
    return 0


def questionnaire_read_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.replies import ReplyFileError, read_file

    if not ctx.args.file.is_file():
        raise UsageError(_("There is no file {path}.").format(path=ctx.args.file))
    lang = _settings().general.language
    try:
        results = read_file(
            ctx.book(),
            ctx.args.file,
            _engagement(),
            apply=ctx.args.apply,
            now=datetime.now(UTC),
            tz=_zone(),
            language=lang,
        )
    except ReplyFileError as exc:
        raise UsageError(str(exc)) from None
    if ctx.args.json:
        payload = [r.to_json() for r in results]
        ctx.print_json(payload[0] if len(payload) == 1 else payload)
        return 0
    for r in results:
        who = r.household or _("no household")
        print(
            _("From {sender}: {household} ({status})").format(sender=r.sender, household=who, status=r.status)
        )
        for a in r.parsed.answers:
            print(f"  {a.number:>2}. {a.kind:<12} {format_date(a.date)}  {a.notes}")
        for i in r.parsed.issues:
            print("  ! " + i.message())
        for note in r.notes:
            print("  ~ " + note)
        for p in r.problems:
            print("  ! " + p)
    return 0


def questionnaire_send_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.questionnaire import send_questionnaire

    sender, mail = sender_and_mail()
    try:
        report = send_questionnaire(
            ctx.book(), ctx.args.household, mail, _engagement(), sender, now=datetime.now(UTC), tz=_zone()
        )
    except LookupError as exc:
        raise UsageError(str(exc.args[0])) from None
    n = sum(report.queued.values())
    print(_("{n} questionnaire(s) queued in the outbox.").format(n=n))
    for reason, count in report.skipped.items():
        print("  " + _("skipped ({reason}): {n}").format(reason=reason, n=count))
    return 0


def questionnaire_run_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.questionnaire import run_questionnaire_automation

    sender, mail = sender_and_mail()
    report = run_questionnaire_automation(
        ctx.book(), mail, _engagement(), sender, now=datetime.now(UTC), tz=_zone()
    )
    if ctx.args.json:
        ctx.print_json(
            {
                "queued": sum(report.queued.values()),
                "already_queued": report.already,
                "skipped": dict(report.skipped),
            }
        )
    else:
        print(_("{n} questionnaire(s) queued in the outbox.").format(n=sum(report.queued.values())))
    return 0


def questionnaire_edit_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.questionnaire import export_default, load_questionnaire

    path = export_default(_engagement(), ctx.args.language)
    load_questionnaire(_engagement(), ctx.args.language)
    print(_("Edit the questionnaire here: {path}").format(path=path))
    return 0
