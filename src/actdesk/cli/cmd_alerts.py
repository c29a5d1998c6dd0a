"""``actdesk alerts``: evaluate the retention and growth rules, and act on alerts (seen, snooze, dismiss)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import parse_day
from actdesk.domain.alerts.model import RULE_TITLES, STATE_TITLES, Alert, AlertState, RuleKey, Severity
from actdesk.i18n import _, format_date

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("alerts",)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "alerts",
        help=_("evaluate retention and growth alerts, or act on one"),
        description=_(
            "Without an action: evaluate every alert rule as of a date, record the result, and list the alerts "
            "whose condition holds (any state but resolved)."
        ),
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=_("evaluate as of this date (default: today)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.add_argument("--dry-run", action="store_true", help=_("evaluate without recording anything"))
    p.add_argument("--rule", action="append", choices=[r.value for r in RuleKey], help=_("only this rule"))
    p.add_argument("--severity", choices=[s.value for s in Severity], help=_("only this severity"))
    p.add_argument(
        "--state", action="append", choices=[s.value for s in AlertState], help=_("only this state")
    )
    p.set_defaults(handler=run_evaluate)
    actions = p.add_subparsers(dest="alerts_action", metavar="ACTION")

    listing = actions.add_parser("list", help=_("list stored alerts without evaluating"))
    listing.add_argument("--json", action="store_true", help=_("print JSON"))
    listing.add_argument("--all", action="store_true", help=_("include resolved alerts"))
    listing.set_defaults(handler=run_list)

    seen = actions.add_parser("seen", help=_("mark an alert as seen"))
    seen.add_argument("id", type=int, help=_("alert id"))
    seen.add_argument("--json", action="store_true", help=_("print JSON"))
    seen.set_defaults(handler=run_seen)

    snooze = actions.add_parser("snooze", help=_("hide an alert until a date"))
    snooze.add_argument("id", type=int, help=_("alert id"))
    snooze.add_argument("--until", required=True, metavar="YYYY-MM-DD", help=_("the date it comes back"))
    snooze.add_argument("--json", action="store_true", help=_("print JSON"))
    snooze.set_defaults(handler=run_snooze)

    dismiss = actions.add_parser("dismiss", help=_("dismiss an alert, saying why"))
    dismiss.add_argument("id", type=int, help=_("alert id"))
    dismiss.add_argument("--reason", required=True, help=_("why it needs no action"))
    dismiss.add_argument("--json", action="store_true", help=_("print JSON"))
    dismiss.set_defaults(handler=run_dismiss)


def _date(text: str | None, option: str) -> date:
    if text is None:
        return datetime.now().astimezone().date()
    return parse_day(text, option)


def alert_json(alert: Alert) -> dict[str, Any]:
    return {
        "id": alert.id,
        "household_id": alert.household_id,
        "household": alert.household_name,
        "rule": alert.rule.value,
        "severity": alert.severity.value,
        "state": alert.state.value,
        "explanation": alert.explanation,
        "magnitude": round(alert.magnitude, 6),
        "created_at": alert.created_at,
        "updated_at": alert.updated_at,
        "snoozed_until": alert.snoozed_until,
        "dismissed_reason": alert.dismissed_reason,
        "resolved_at": alert.resolved_at,
    }


def _print(ctx: CliContext, alerts: list[Alert]) -> None:
    if ctx.args.json:
        ctx.print_json([alert_json(a) for a in alerts])
        return
    if not alerts:
        print(_("No alerts: every rule is quiet for this book."))
        return
    for a in alerts:
        state = _(STATE_TITLES[a.state])
        if a.state is AlertState.SNOOZED and a.snoozed_until:
            state = _("snoozed until {date}").format(date=format_date(a.snoozed_until))
        print(
            f"#{a.id or '-':<5} {a.severity.value.upper():<7} {_(RULE_TITLES[a.rule]):<20} {a.household_name}  [{state}]"
        )
        print(f"       {a.explanation}")


def run_evaluate(ctx: CliContext) -> int:
    from actdesk.domain.alerts.settings import AlertSettings
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.services.alerts.evaluation import evaluate_book
    from actdesk.settings import load_settings

    as_of = _date(ctx.args.as_of, "--as-of")
    stored = load_settings()
    settings = stored.section(AlertSettings)
    problems = settings.problems()
    if problems:
        raise UsageError(_("alert settings are invalid: {problems}").format(problems="; ".join(problems)))
    outcome = evaluate_book(
        ctx.book(),
        as_of,
        datetime.now(UTC),
        settings,
        persist=not ctx.args.dry_run,
        config=stored.section(AnalyticsConfig),
    )
    alerts = outcome.alerts
    if ctx.args.rule:
        alerts = [a for a in alerts if a.rule.value in ctx.args.rule]
    if ctx.args.severity:
        alerts = [a for a in alerts if a.severity.value == ctx.args.severity]
    if ctx.args.state:
        alerts = [a for a in alerts if a.state.value in ctx.args.state]
    _print(ctx, alerts)
    return 0


def run_list(ctx: CliContext) -> int:
    from actdesk.storage.repositories import alerts as repo

    with ctx.book().reader() as s:
        alerts = repo.list_alerts(s, states=list(AlertState) if ctx.args.all else None)
    _print(ctx, alerts)
    return 0


def _act(ctx: CliContext, fn: Any, *args: Any) -> int:
    from actdesk.domain.alerts.lifecycle import ActionError

    try:
        alert = fn(ctx.book(), ctx.args.id, *args)
    except ActionError as exc:
        raise UsageError(str(exc)) from None
    _print(ctx, [alert])
    return 0


def run_seen(ctx: CliContext) -> int:
    from actdesk.services.alerts.actions import mark_seen

    return _act(ctx, mark_seen, datetime.now(UTC))


def run_snooze(ctx: CliContext) -> int:
    from actdesk.services.alerts.actions import snooze_alert

    until = _date(ctx.args.until, "--until")
    return _act(ctx, snooze_alert, until, datetime.now(UTC), datetime.now().astimezone().date())


def run_dismiss(ctx: CliContext) -> int:
    from actdesk.services.alerts.actions import dismiss_alert

    return _act(ctx, dismiss_alert, ctx.args.reason, datetime.now(UTC))
