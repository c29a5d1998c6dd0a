"""The ``outbox`` sub-commands: list the outbox, send what is due, retry or cancel a message."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Any

from actdesk.cli.cmd_mail import _fail, _mail_settings, _zone
from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _, format_datetime
from actdesk.storage.errors import BookLockedError


def _entry_json(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "message_id": e.message_id,
        "to": e.to,
        "subject": e.subject,
        "state": e.state,
        "scheduled_for": e.scheduled_for,
        "attempts": e.attempts,
        "next_attempt_at": e.next_attempt_at,
        "smtp_reply": e.smtp_reply,
        "sent_at": e.sent_at,
        "campaign_id": e.campaign_id,
        "household_id": e.household_id,
    }


def outbox_list_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import mail as repo

    states = ctx.args.state
    if states and set(states) - set(repo.STATES):
        raise UsageError(_("--state must be one of: {states}").format(states=", ".join(repo.STATES)))
    with ctx.book().reader() as s:
        entries = repo.list_messages(s, states=states)
    if ctx.args.json:
        ctx.print_json([_entry_json(e) for e in entries])
        return 0
    if not entries:
        print(_("The outbox is empty."))
    for e in entries:
        when = format_datetime(e.scheduled_for.astimezone(_zone()), "short")
        print(f"{e.id:>6}  {e.state:<10} {when:<20} {e.to:<32} {e.subject}")
    return 0


def outbox_send_command(ctx: CliContext) -> int:
    from actdesk.services.mail.config import MailConfigError
    from actdesk.services.mail.outbox import send_due

    cfg = _mail_settings()
    try:
        from actdesk.services.mail.transports import open_transport

        session = open_transport(cfg)
    except MailConfigError as exc:
        raise _fail(exc) from None
    try:
        book = ctx.book()
    except BookLockedError:
        handed = _hand_to_window(ctx)
        if handed is None:
            raise
        return handed
    report = send_due(book, cfg, smtp=session)
    if ctx.args.json:
        ctx.print_json(
            {
                "handed_to_window": False,
                "request": None,
                "sent": report.sent,
                "failed": report.failed,
                "retrying": report.retrying,
                "uncertain": report.uncertain,
                "recovered_uncertain": report.recovered,
                "stopped": report.stopped,
            }
        )
    else:
        print(
            _("Sent {sent}, failed {failed}, will retry {retrying}, uncertain {uncertain}.").format(
                **vars(report)
            )
        )
        if report.recovered:
            print(
                _(
                    "{n} message(s) were interrupted while sending and are now 'uncertain': check them with "
                    "'actdesk outbox --state uncertain' and retry only if they did not arrive."
                ).format(n=len(report.recovered))
            )
        if report.stopped:
            print(report.stopped, file=sys.stderr)
    return 1 if report.stopped and report.sent == 0 and report.handled == 0 else 0


def _hand_to_window(ctx: CliContext) -> int | None:
    """The window holds the book: leave it a request to send what is due (services/mail/send_request.py).
    None when the holder is not a window (another command, an older version): the lock error stands."""
    from pathlib import Path

    from actdesk.services.mail.send_request import leave_request, window_holder

    database = Path(ctx.database).expanduser()
    if "://" in ctx.database or window_holder(database) is None:
        return None
    path = leave_request(database)
    if ctx.args.json:
        ctx.print_json(
            {
                "handed_to_window": True,
                "request": str(path),
                "sent": 0,
                "failed": 0,
                "retrying": 0,
                "uncertain": 0,
                "recovered_uncertain": [],
                "stopped": None,
            }
        )
    else:
        print(_("The window has the book open; it will send the due messages now."))
    return 0


def outbox_retry_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import mail as repo

    with ctx.book().session() as s:
        before = repo.get_message(s, ctx.args.id)
        repo.requeue(s, ctx.args.id, datetime.now(UTC))
    print(_("Message {id} queued again.").format(id=ctx.args.id))
    if before.state == "uncertain":
        print(_("It may already have arrived once; the recipient could receive it twice."))
    return 0


def outbox_cancel_command(ctx: CliContext) -> int:
    from actdesk.storage.repositories import mail as repo

    with ctx.book().session() as s:
        repo.cancel(s, ctx.args.id)
    print(_("Message {id} cancelled.").format(id=ctx.args.id))
    return 0
