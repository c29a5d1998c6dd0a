"""``actdesk mail|campaign|outbox|automations``: the mail account, campaigns, the outbox and automations."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import echo
from actdesk.i18n import _, format_datetime

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("mail", "campaign", "outbox", "automations")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mail = sub.add_parser("mail", help=_("set up and test the e-mail account"))
    msub = mail.add_subparsers(dest="mail_command", metavar="ACTION", required=True)
    p = msub.add_parser(
        "configure", help=_("set the SMTP account (password read from stdin into the keyring)")
    )
    p.add_argument("--host", required=True, help=_("SMTP server, e.g. smtp.office365.com"))
    p.add_argument("--port", type=int, required=True, help=_("587 for STARTTLS, 465 for SSL"))
    p.add_argument("--user", required=True, help=_("login name, usually the e-mail address"))
    p.add_argument(
        "--security", choices=["starttls", "ssl"], required=True, help=_("how the connection is encrypted")
    )
    p.add_argument(
        "--cafile", help=_("trust this certificate file (a server with a self-signed certificate)")
    )
    p.add_argument("--from", dest="from_addr", help=_("sender address (default: the login name)"))
    p.add_argument("--from-name", help=_("sender name shown to clients"))
    p.add_argument("--rate", type=int, help=_("messages per minute the provider allows (default 30)"))
    p.add_argument(
        "--allow-insecure-keyring",
        action="store_true",
        help=_("accept a keyring that stores passwords in a plain file"),
    )
    p.set_defaults(handler=configure_command)
    p = msub.add_parser("test", help=_("send a test message now"))
    p.add_argument("--to", required=True, help=_("recipient address"))
    p.set_defaults(handler=test_command)
    p = msub.add_parser("opt-out", help=_("record that an address asked to receive no more marketing e-mail"))
    p.add_argument("address", help=_("the e-mail address"))
    p.set_defaults(handler=opt_out_command)
    p = msub.add_parser("retention", help=_("how long sent mail is kept in the archive"))
    p.add_argument(
        "--years", type=int, required=True, help=_("years to keep sent mail (SEC rule 204-2: five)")
    )
    p.add_argument(
        "--confirm-short-retention", action="store_true", help=_("accept a period shorter than five years")
    )
    p.set_defaults(handler=retention_command)
    p = msub.add_parser("preview", help=_("show a template rendered for one contact"))
    p.add_argument("--template", required=True, help=_("template file or starter template name"))
    p.add_argument("--contact", type=int, required=True, help=_("contact id"))
    p.set_defaults(handler=preview_command)
    from actdesk.cli.mail_account import register_account

    register_account(msub)

    camp = sub.add_parser("campaign", help=_("queue a template for an audience, and report on campaigns"))
    csub = camp.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    p = csub.add_parser("create", help=_("queue a campaign"))
    p.add_argument(
        "--template",
        required=True,
        help=_("template file ('Subject: ...', blank line, body) or starter name"),
    )
    p.add_argument(
        "--audience", default="", help=_("filter, e.g. status=client,segment=A,tag=golf,age=60-70")
    )
    p.add_argument(
        "--at", metavar="YYYY-MM-DDTHH:MM", help=_("send time YYYY-MM-DDTHH:MM, local time (default: now)")
    )
    p.add_argument("--name", help=_("campaign name (default: the template name)"))
    p.add_argument(
        "--event", type=int, help=_("the event activity this invitation is for (event.* merge fields)")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=campaign_create_command)
    p = csub.add_parser("report", help=_("sent, failed, uncertain and opt-outs per campaign"))
    p.add_argument("id", nargs="?", type=int, help=_("campaign id (default: all)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=campaign_report_command)

    from actdesk.cli.mail_outbox import (
        outbox_cancel_command,
        outbox_list_command,
        outbox_retry_command,
        outbox_send_command,
    )

    out = sub.add_parser("outbox", help=_("list the outbox; send, retry or cancel messages"))
    out.add_argument("--json", action="store_true", help=_("print JSON"))
    out.add_argument("--state", action="append", help=_("only messages in this state (repeatable)"))
    out.set_defaults(handler=outbox_list_command)
    osub = out.add_subparsers(dest="outbox_command", metavar="ACTION")
    p = osub.add_parser("send", help=_("send everything due now, then exit"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=outbox_send_command)
    for name, helptext in (
        ("retry", _("queue a failed or uncertain message again")),
        ("cancel", _("cancel a message")),
    ):
        p = osub.add_parser(name, help=helptext)
        p.add_argument("id", type=int, help=_("message number (the 'id' in 'actdesk outbox --json')"))
        p.set_defaults(handler=outbox_retry_command if name == "retry" else outbox_cancel_command)

    auto = sub.add_parser("automations", help=_("birthday, review, anniversary and event mail"))
    asub = auto.add_subparsers(dest="automations_command", metavar="ACTION", required=True)
    p = asub.add_parser("run", help=_("queue what the automation rules say is due"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=automations_run_command)


def _settings() -> Any:
    from actdesk.settings import load_settings

    return load_settings()


def _zone() -> tzinfo:
    """The advisor's zone (the schedule's), DST-aware for any date."""
    from actdesk.services.schedule_zone import advisor_zone

    return advisor_zone(_settings())


def _mail_settings() -> Any:
    from actdesk.services.mail.config import load_mail_settings

    return load_mail_settings(_settings())


def _fail(exc: Exception) -> UsageError:
    return UsageError(str(exc))


def configure_command(ctx: CliContext) -> int:
    from actdesk.domain.validation import EMAIL_RE
    from actdesk.services.mail.config import (
        KeyringUnavailableError,
        MailConfigError,
        load_mail_settings,
        save_mail_settings,
        store_password,
    )

    a = ctx.args
    # Every option is checked before anything is written: the keyring's password is replaced last but one,
    # the settings last, so a refused option leaves the working account as it was.
    if a.cafile and not Path(a.cafile).expanduser().is_file():
        raise UsageError(_("{path} is not a certificate file").format(path=a.cafile))
    if not 0 < a.port < 65536:
        raise UsageError(_("--port must be between 1 and 65535"))
    if a.rate is not None and a.rate < 1:
        raise UsageError(_("--rate must be at least 1"))
    settings = _settings()
    cfg = load_mail_settings(settings)
    sender = a.from_addr or cfg.from_addr or a.user
    if not EMAIL_RE.match(sender or ""):
        raise UsageError(
            _("the sender address {address} is not an e-mail address; give it with --from").format(
                address=echo(sender)
            )
        )
    if sys.stdin.isatty():
        password = getpass.getpass(_("Password for {user}: ").format(user=a.user))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError(_("no password given on stdin"))
    allow = bool(a.allow_insecure_keyring or cfg.allow_insecure_keyring)
    try:
        store_password(a.user, password, allow_insecure=allow)
    except KeyringUnavailableError:
        raise  # the computer has no password store: exit 1, not a refusal of what was typed
    except MailConfigError as exc:
        raise _fail(exc) from None
    cfg.host, cfg.port, cfg.user, cfg.security = a.host, a.port, a.user, a.security
    cfg.cafile = str(Path(a.cafile).expanduser().resolve()) if a.cafile else None
    cfg.from_addr = sender
    cfg.from_name = a.from_name or cfg.from_name
    cfg.allow_insecure_keyring = allow
    if a.rate is not None:
        cfg.rate_per_minute = a.rate
    save_mail_settings(settings, cfg)
    print(
        _("Mail account saved: {user} on {host}:{port} ({security}); password in the system keyring.").format(
            user=cfg.user, host=cfg.host, port=cfg.port, security=cfg.security
        )
    )
    return 0


def test_command(ctx: CliContext) -> int:
    from actdesk.services.mail.account import send_test_message
    from actdesk.services.mail.config import MailConfigError
    from actdesk.services.mail.smtp import SmtpError

    settings = _settings()
    try:
        reply = send_test_message(settings, ctx.args.to, datetime.now(UTC))
    except (MailConfigError, SmtpError, ValueError) as exc:
        print(f"actdesk: {exc}", file=sys.stderr)
        return 1
    print(_("Test message accepted by the server: {reply}").format(reply=reply))
    return 0


def opt_out_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import mail as repo

    with ctx.book().session() as s:
        ids = repo.record_opt_out(
            s, ctx.args.address, datetime.now(UTC), _("cancelled: the recipient opted out")
        )
    if not ids:
        raise UsageError(_("no contact has the address {address}").format(address=ctx.args.address))
    print(
        _("Opt-out recorded for {n} contact(s) with {address}.").format(n=len(ids), address=ctx.args.address)
    )
    return 0


def retention_command(ctx: CliContext) -> int:
    from actdesk.services.mail.archive import set_retention
    from actdesk.services.mail.config import MailConfigError, load_mail_settings, save_mail_settings

    settings = _settings()
    try:
        cfg = set_retention(
            load_mail_settings(settings), ctx.args.years, confirmed=ctx.args.confirm_short_retention
        )
    except MailConfigError as exc:
        raise _fail(exc) from None
    save_mail_settings(settings, cfg)
    print(_("Sent mail is kept for {years} years.").format(years=cfg.retention_years))
    return 0


def _template(name: str, language: str, book: Any) -> Any:
    from actdesk.services.mail.library import load_template, template_names
    from actdesk.services.mail.templates import load_template_file

    path = Path(name).expanduser()
    if path.is_file():
        return load_template_file(path, language)
    if name in template_names(book, language):
        return load_template(book, name, language)
    raise UsageError(
        _("{name} is neither a template file nor a template name ({names})").format(
            name=name, names=", ".join(template_names(book, language))
        )
    )


def preview_command(ctx: CliContext) -> int:
    from actdesk.services.mail.preview import preview_for_contact
    from actdesk.services.mail.templates import TemplateProblem

    settings = _settings()
    cfg = _mail_settings()
    try:
        template = _template(ctx.args.template, cfg.language, ctx.book())
        shown = preview_for_contact(
            ctx.book(), settings, template, ctx.args.contact, datetime.now(UTC), _zone()
        )
    except (TemplateProblem, LookupError) as exc:
        raise _fail(exc) from None
    print(_("Subject: {subject}").format(subject=shown.subject))
    print()
    print(shown.text)
    return 0


def _parse_at(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        when = datetime.strptime(text, "%Y-%m-%dT%H:%M")
    except ValueError:
        raise UsageError(
            _("--at must look like 2026-05-01T09:30 (local time), not {value!r}").format(value=text)
        ) from None
    return when.replace(tzinfo=_zone()).astimezone(UTC)


def campaign_create_command(ctx: CliContext) -> int:
    from actdesk.services.mail.campaigns import AudienceError, Sender, analytics_segments, create_campaign
    from actdesk.services.mail.config import MailConfigError
    from actdesk.services.mail.merge import activity_fields
    from actdesk.services.mail.templates import TemplateProblem
    from actdesk.storage.repositories.mail_audience import get_activity

    settings = _settings()
    cfg = _mail_settings()
    now = datetime.now(UTC)
    at = _parse_at(ctx.args.at)
    book = ctx.book()
    extra: dict[str, Any] = {}
    if ctx.args.event is not None:
        with book.reader() as s:
            event = get_activity(s, ctx.args.event)
        if event is None:
            raise UsageError(_("there is no scheduled activity {id}").format(id=ctx.args.event))
        extra["event"] = activity_fields(event.subject, event.start, event.location, cfg.language, _zone())
    try:
        template = _template(ctx.args.template, cfg.language, book)
        result = create_campaign(
            book,
            template,
            ctx.args.audience,
            Sender.from_settings(cfg, settings.general),
            now=now,
            tz=_zone(),
            scheduled_for=at,
            name=ctx.args.name,
            segments=analytics_segments(book, now),
            extra=extra or None,
            activity_id=ctx.args.event,
        )
    except (AudienceError, TemplateProblem, MailConfigError) as exc:
        raise _fail(exc) from None
    if ctx.args.json:
        ctx.print_json(
            {
                "campaign_id": result.campaign_id,
                "queued": result.queued,
                "skipped": result.skipped,
                "scheduled_for": result.scheduled_for,
            }
        )
        return 0
    from actdesk.services.mail.campaigns import SKIP_REASONS

    print(
        _("Campaign {id}: {n} messages queued for {when}.").format(
            id=result.campaign_id,
            n=result.queued,
            when=format_datetime(result.scheduled_for.astimezone(_zone())),
        )
    )
    for reason, n in result.skipped.items():
        print("  " + _("skipped {n}: {reason}").format(n=n, reason=_(SKIP_REASONS.get(reason, reason))))
    return 0


def campaign_report_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import mail as repo

    with ctx.book().reader() as s:
        rows = repo.campaign_summaries(s, ctx.args.id)
    data = [
        {
            "id": r.id,
            "name": r.name,
            "template": r.template_name,
            "audience": r.audience,
            "scheduled_for": r.scheduled_for,
            "created_at": r.created_at,
            **r.counts,
            "opted_out": r.opted_out,
            "skipped": r.skipped,
        }
        for r in rows
    ]
    if ctx.args.json:
        ctx.print_json(data[0] if ctx.args.id is not None else data)
        return 0
    if not data:
        print(_("No campaigns yet. Create one with 'actdesk campaign create'."))
    for d in data:
        print(
            _(
                "{id}  {name}: {sent} sent, {failed} failed, {uncertain} uncertain, {queued} queued, {opted_out} opted out"
            ).format(**d)
        )
    return 0


def automations_run_command(ctx: CliContext) -> int:
    from actdesk.services.mail.automations import run_automations
    from actdesk.services.mail.campaigns import Sender
    from actdesk.services.mail.config import MailConfigError
    from actdesk.services.mail.templates import TemplateProblem

    settings = _settings()
    cfg = _mail_settings()
    try:
        report = run_automations(
            ctx.book(), cfg, Sender.from_settings(cfg, settings.general), now=datetime.now(UTC), tz=_zone()
        )
        # The life-events questionnaire is one more automation rule.
        from actdesk.services.engagement.questionnaire import questionnaire_step

        sender = Sender.from_settings(cfg, settings.general)
        report = questionnaire_step(
            ctx.book(), cfg, settings, sender, now=datetime.now(UTC), tz=_zone(), report=report
        )
    except (MailConfigError, TemplateProblem) as exc:
        raise _fail(exc) from None
    from actdesk.services.mail.archive import purge_expired

    purged = purge_expired(ctx.book(), cfg, datetime.now(UTC))
    if ctx.args.json:
        ctx.print_json(
            {
                "queued": dict(report.queued),
                "already_queued": report.already,
                "skipped": dict(report.skipped),
                "purged_from_archive": purged,
            }
        )
    else:
        total = sum(report.queued.values())
        print(
            _("{n} automation message(s) queued; {already} were already queued.").format(
                n=total, already=report.already
            )
        )
        for rule, n in sorted(report.queued.items()):
            print(f"  {rule}: {n}")
    return 0
