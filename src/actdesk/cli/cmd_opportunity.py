"""``actdesk opportunity create|move`` and ``actdesk spend add|list``: the pipeline's write commands
(issue 9); the read commands and the shared helpers are in ``cmd_pipeline``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from actdesk.cli.cmd_pipeline import (
    Sub,
    add_json_flag,
    default_day,
    load_config,
    parse_amount,
    parse_date,
    required_date,
    row_json,
    suggestions_for,
    utc_now,
)
from actdesk.cli.context import CliContext, UsageError
from actdesk.domain.pipeline.config import stage_label
from actdesk.i18n import _, format_money

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("opportunity", "spend")


def register(subparsers: Sub) -> None:
    opp = subparsers.add_parser("opportunity", help=_("create an opportunity or move it to another stage"))
    osub = opp.add_subparsers(dest="opportunity_command", required=True)
    c = osub.add_parser("create", help=_("create an opportunity for a household"))
    c.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    c.add_argument("--kind", help=_("new_household, rollover, consolidation, insurance or planning"))
    c.add_argument("--suggestion", metavar="HOLDING", help=_("fill kind and expected AUM from a growth idea"))
    c.add_argument("--stage", help=_("first stage (default: the first configured stage)"))
    c.add_argument("--expected-aum", metavar="AMOUNT")
    c.add_argument("--expected-revenue", metavar="AMOUNT")
    c.add_argument("--close", metavar="YYYY-MM-DD", help=_("expected close date"))
    c.add_argument("--source", help=_("where it came from, e.g. Referral, Seminar"))
    c.add_argument("--reason", help=_("why it was lost (required when the stage is lost)"))
    add_json_flag(c)
    c.set_defaults(handler=run_create)
    m = osub.add_parser("move", help=_("move an opportunity to another stage"))
    m.add_argument("opportunity_id", type=int, metavar="ID")
    m.add_argument("stage", metavar="STAGE")
    m.add_argument("--reason", help=_("why it was lost (required when the stage is lost)"))
    add_json_flag(m)
    m.set_defaults(handler=run_move)

    spend = subparsers.add_parser("spend", help=_("record or list what prospecting cost per source"))
    ssub = spend.add_subparsers(dest="spend_command", required=True)
    a = ssub.add_parser("add", help=_("record money and hours spent on a source"))
    a.add_argument("--source", required=True, help=_("e.g. Seminar, Advertising, Referrals"))
    a.add_argument("--amount", required=True, metavar="AMOUNT")
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--hours", type=float, default=0.0)
    a.add_argument("--note")
    add_json_flag(a)
    a.set_defaults(handler=run_spend_add)
    ls = ssub.add_parser("list", help=_("list recorded spend"))
    add_json_flag(ls)
    ls.set_defaults(handler=run_spend_list)


def _refused(exc: Exception) -> UsageError:
    return UsageError(str(exc))


def run_create(ctx: CliContext) -> int:
    from actdesk.domain.pipeline.board import PipelineError
    from actdesk.services.pipeline import create

    a = ctx.args
    kind, aum = a.kind, parse_amount(a.expected_aum)
    if a.suggestion:
        match = next(
            (s for s in suggestions_for(ctx, a.household_id, default_day()) if s.holding == a.suggestion),
            None,
        )
        if match is None:
            raise UsageError(
                _(
                    "{holding!r} is not among this household's growth ideas (see: actdesk suggestions {id})"
                ).format(holding=a.suggestion, id=a.household_id)
            )
        kind = kind or match.opportunity_kind
        aum = aum if aum is not None else match.typical_amount
    if not kind:
        raise UsageError(_("say which kind of opportunity: --kind (or --suggestion HOLDING)"))
    try:
        item = create(
            ctx.book(),
            a.household_id,
            kind,
            utc_now(),
            load_config(),
            stage=a.stage,
            expected_aum=aum,
            expected_revenue=parse_amount(a.expected_revenue),
            expected_close=parse_date(a.close, "--close"),
            source=a.source,
            reason=a.reason,
        )
    except PipelineError as exc:
        raise _refused(exc) from None
    return _print_item(ctx, item)


def _print_item(ctx: CliContext, item: Any) -> int:
    from actdesk.services.pipeline import board_row

    if ctx.args.json:
        ctx.print_json(row_json(board_row(item, utc_now(), load_config())))
    else:
        print(
            _("Opportunity {id} ({household}) is now in stage {stage}.").format(
                id=item.id, household=item.household, stage=stage_label(item.stage)
            )
        )
    return 0


def run_move(ctx: CliContext) -> int:
    from actdesk.domain.pipeline.board import PipelineError
    from actdesk.services.pipeline import move

    try:
        item = move(
            ctx.book(), ctx.args.opportunity_id, ctx.args.stage, ctx.args.reason, utc_now(), load_config()
        )
    except PipelineError as exc:
        raise _refused(exc) from None
    return _print_item(ctx, item)


def run_spend_add(ctx: CliContext) -> int:
    from actdesk.domain.pipeline.board import PipelineError
    from actdesk.services.pipeline import add_spend

    a = ctx.args
    try:
        spend = add_spend(
            ctx.book(),
            a.source,
            required_date(a.date, "--date"),
            parse_amount(a.amount) or Decimal(0),
            a.hours,
            a.note,
        )
    except PipelineError as exc:
        raise _refused(exc) from None
    if ctx.args.json:
        ctx.print_json(spend)
    else:
        print(
            _("Recorded {amount} and {hours} hours on {source}.").format(
                amount=format_money(spend.amount), hours=spend.hours, source=spend.source
            )
        )
    return 0


def run_spend_list(ctx: CliContext) -> int:
    from actdesk.services.pipeline import list_spend

    spend = list_spend(ctx.book())
    if ctx.args.json:
        ctx.print_json(spend)
        return 0
    if not spend:
        print(_("No spend recorded yet: actdesk spend add --source Seminar --amount 1200 --date 2026-03-01"))
    for s in spend:
        print(f"  {s.day.isoformat()}  {s.source:<24} {format_money(s.amount):>14}  {s.hours:g} h")
    return 0
