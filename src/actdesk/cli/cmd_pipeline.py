"""``actdesk pipeline``, ``prospects``, ``profile``, ``suggestions``, ``acquisition``, ``opportunity`` and
``spend``: the acquisition-and-growth feature (issue 9) on the command line, over ``services.pipeline``."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.domain.pipeline.config import kind_label, stage_label
from actdesk.i18n import _, format_money, format_percent

Sub = argparse._SubParsersAction


def register(subparsers: Sub) -> None:
    p = subparsers.add_parser("pipeline", help=_("opportunities by stage with their weighted value"))
    p.add_argument("--stage", help=_("only this stage"))
    p.add_argument("--open", action="store_true", help=_("only open opportunities (not won or lost)"))
    _json(p)
    p.set_defaults(handler=run_pipeline)

    p = subparsers.add_parser("prospects", help=_("prospects sorted by fit with your best (A) clients"))
    _as_of(p)
    _json(p)
    p.set_defaults(handler=run_prospects)

    p = subparsers.add_parser("profile", help=_("the ideal-client profile drawn from your A clients"))
    _as_of(p)
    _json(p)
    p.set_defaults(handler=run_profile)

    p = subparsers.add_parser(
        "suggestions", help=_("growth ideas: what similar households hold and this one does not")
    )
    p.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    _as_of(p)
    _json(p)
    p.set_defaults(handler=run_suggestions)

    p = subparsers.add_parser(
        "acquisition", help=_("cost and wins per source; cost to serve versus revenue per segment")
    )
    _as_of(p)
    p.add_argument("--since", metavar="YYYY-MM-DD", help=_("only spend and opportunities from this date"))
    _json(p)
    p.set_defaults(handler=run_acquisition)

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
    _json(c)
    c.set_defaults(handler=run_create)
    m = osub.add_parser("move", help=_("move an opportunity to another stage"))
    m.add_argument("opportunity_id", type=int, metavar="ID")
    m.add_argument("stage", metavar="STAGE")
    m.add_argument("--reason", help=_("why it was lost (required when the stage is lost)"))
    _json(m)
    m.set_defaults(handler=run_move)

    spend = subparsers.add_parser("spend", help=_("record or list what prospecting cost per source"))
    ssub = spend.add_subparsers(dest="spend_command", required=True)
    a = ssub.add_parser("add", help=_("record money and hours spent on a source"))
    a.add_argument("--source", required=True, help=_("e.g. Seminar, Advertising, Referrals"))
    a.add_argument("--amount", required=True, metavar="AMOUNT")
    a.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--hours", type=float, default=0.0)
    a.add_argument("--note")
    _json(a)
    a.set_defaults(handler=run_spend_add)
    ls = ssub.add_parser("list", help=_("list recorded spend"))
    _json(ls)
    ls.set_defaults(handler=run_spend_list)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a summary"))


def _as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help=_("date of the figures (default: the last month-end)")
    )


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            _("not a date: {text!r} (use YYYY-MM-DD, e.g. 2026-03-31)").format(text=text)
        ) from None


def _required_date(text: str) -> date:
    day = _date(text)
    assert day is not None  # argparse requires it
    return day


def _amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    from actdesk.domain.money import parse_money

    try:
        return parse_money(text)
    except ValueError:
        raise UsageError(
            _("not an amount: {text!r} (use digits and a dot, e.g. 1234.56)").format(text=text)
        ) from None


def _as_of_day(ctx: CliContext) -> date:
    from actdesk.services.pipeline import default_as_of

    return _date(ctx.args.as_of) or default_as_of(date.today())


def _now() -> datetime:
    return datetime.now(UTC)


def _money(value: Decimal | None) -> str:
    return _("n/a") if value is None else format_money(value, cents=False)


def _config() -> Any:
    from actdesk.services.pipeline import pipeline_config

    return pipeline_config()


def row_json(row: Any) -> dict[str, Any]:
    i = row.item
    return {
        "id": i.id,
        "household_id": i.household_id,
        "household": i.household,
        "kind": i.kind,
        "stage": i.stage,
        "expected_aum": i.expected_aum,
        "expected_revenue": i.expected_revenue,
        "probability": row.probability,
        "weighted_value": row.weighted_value,
        "weighted_revenue": row.weighted_revenue,
        "expected_close": i.expected_close,
        "source": i.source,
        "days_in_stage": row.days_in_stage,
        "lost_reason": i.lost_reason,
        "created_at": i.created_at,
    }


def run_pipeline(ctx: CliContext) -> int:
    from actdesk.services.pipeline import board

    config = _config()
    if ctx.args.stage and ctx.args.stage not in config.stages:
        raise UsageError(
            _("unknown stage {stage!r}; the stages are: {stages}").format(
                stage=ctx.args.stage, stages=", ".join(config.stages)
            )
        )
    b = board(ctx.book(), _now(), config, recent_only=False)
    rows = [
        r
        for r in b.rows
        if (not ctx.args.stage or r.item.stage == ctx.args.stage)
        and (not ctx.args.open or not config.is_closed(r.item.stage))
    ]
    if ctx.args.json:
        ctx.print_json([row_json(r) for r in rows])
        return 0
    if not rows:
        print(
            _(
                "No opportunities yet. Create one with: actdesk opportunity create HOUSEHOLD_ID --kind new_household"
            )
        )
        return 0
    for t in b.totals:
        print(
            _("{stage}: {n} opportunities, expected AUM {aum}, weighted {weighted}").format(
                stage=stage_label(t.stage),
                n=t.count,
                aum=_money(t.expected_aum),
                weighted=_money(t.weighted_value),
            )
        )
    print(_("Weighted pipeline value (open stages): {value}").format(value=_money(b.weighted_open)))
    print()
    for r in rows:
        i = r.item
        print(
            f"  {i.id:>5}  {stage_label(i.stage):<10} {i.household[:30]:<30} {kind_label(i.kind):<24} "
            f"{_money(i.expected_aum):>14} {format_percent(r.probability, 0):>5} {_money(r.weighted_value):>14} "
            + _("{days} d in stage").format(days=r.days_in_stage)
        )
    return 0


def _traits_json(t: Any, as_of: date) -> dict[str, Any]:
    return {
        "age": t.age(as_of),
        "income": t.income,
        "net_worth": t.net_worth,
        "occupation": t.occupation,
        "location": t.location,
        "risk_tolerance": t.risk_tolerance,
        "source": t.source,
    }


def run_prospects(ctx: CliContext) -> int:
    from actdesk.services.pipeline import prospecting

    as_of = _as_of_day(ctx)
    result = prospecting(ctx.book(), as_of, _config())
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "household_id": p.traits.household_id,
                    "household": p.traits.name,
                    "fit_score": p.fit.score,
                    "reasons": [r.text for r in p.fit.reasons],
                    "reason_details": [
                        {
                            "attribute": r.attribute,
                            "similarity": round(r.similarity, 4),
                            "weight": r.weight,
                            "points": round(r.points, 2),
                            "text": r.text,
                        }
                        for r in p.fit.reasons
                    ],
                    "open_opportunities": p.open_opportunities,
                    **_traits_json(p.traits, as_of),
                }
                for p in result.prospects
            ]
        )
        return 0
    if not result.profile.households:
        print(_("No A clients yet: the fit score compares prospects with your top clients by revenue."))
        return 0
    if not result.prospects:
        print(_("No prospects in the book."))
        return 0
    for p in result.prospects:
        print(f"{p.fit.score:>4}  {p.traits.name}")
        for r in p.fit.reasons:
            print(f"        {r.points:5.1f}  {r.text}")
    return 0


def run_profile(ctx: CliContext) -> int:
    from actdesk.services.pipeline import prospecting

    result = prospecting(ctx.book(), _as_of_day(ctx), _config())
    profile = result.profile
    if ctx.args.json:
        ctx.print_json(
            {
                "as_of": profile.as_of,
                "households": profile.households,
                "numeric": profile.numeric,
                "categorical": profile.categorical,
                "description": result.profile_lines,
            }
        )
        return 0
    if not profile.households:
        print(_("No A clients yet: the profile is drawn from your top clients by revenue."))
        return 0
    print(_("Your ideal client, from your {n} A clients:").format(n=profile.households))
    for line in result.profile_lines:
        print("  " + line)
    return 0


def _suggestions(ctx: CliContext, household_id: int, as_of: date) -> list[Any]:
    from actdesk.services.pipeline import household_suggestions

    return household_suggestions(ctx.book(), household_id, as_of, _config())


def run_suggestions(ctx: CliContext) -> int:
    as_of = _as_of_day(ctx)
    found = _suggestions(ctx, ctx.args.household_id, as_of)
    if ctx.args.json:
        ctx.print_json(
            [
                {
                    "household_id": s.household_id,
                    "holding": s.holding,
                    "support": s.support,
                    "neighbours": s.neighbours,
                    "opportunity_kind": s.opportunity_kind,
                    "typical_amount": s.typical_amount,
                    "text": s.text,
                    "in_pipeline": s.in_pipeline,
                }
                for s in found
            ]
        )
        return 0
    if not found:
        print(_("No growth ideas: this household already holds what its most similar clients hold."))
        return 0
    for s in found:
        print(f"  {s.support:>2}/{s.neighbours}  {s.text}")
    print(
        _("Turn one into an opportunity: actdesk opportunity create {id} --suggestion HOLDING").format(
            id=ctx.args.household_id
        )
    )
    return 0


def run_acquisition(ctx: CliContext) -> int:
    from actdesk.services.pipeline import acquisition

    result = acquisition(ctx.book(), _as_of_day(ctx), _config(), _date(ctx.args.since))
    if ctx.args.json:
        ctx.print_json(
            {
                "as_of": result.as_of,
                "sources": result.sources,
                "segments": result.segments,
                "unprofitable": [
                    {
                        "household_id": c.household_id,
                        "household": c.name,
                        "segment": c.segment,
                        "minutes": c.minutes,
                        "cost": c.cost,
                        "revenue": c.revenue,
                    }
                    for c in result.costs
                    if c.unprofitable
                ],
            }
        )
        return 0
    for s in result.sources:
        print(
            _("{source}: {won} won of {n}, win rate {rate}, spent {spent}, per household {per}").format(
                source=s.source or _("Unknown"),
                won=s.won,
                n=s.opportunities,
                rate=_("n/a") if s.win_rate is None else format_percent(s.win_rate, 0),
                spent=_money(s.total_cost),
                per=_money(s.cost_per_household),
            )
        )
    for seg in result.segments:
        print(
            _("Segment {name}: revenue {revenue}, cost to serve {cost}, {n} cost more than they pay").format(
                name=seg.segment, revenue=_money(seg.revenue), cost=_money(seg.cost), n=seg.unprofitable
            )
        )
    return 0


def _refused(exc: Exception) -> UsageError:
    return UsageError(str(exc))


def run_create(ctx: CliContext) -> int:
    from actdesk.domain.pipeline.board import PipelineError
    from actdesk.services.pipeline import create

    a = ctx.args
    kind, aum = a.kind, _amount(a.expected_aum)
    if a.suggestion:
        match = next(
            (s for s in _suggestions(ctx, a.household_id, _as_of_day_default()) if s.holding == a.suggestion),
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
            _now(),
            _config(),
            stage=a.stage,
            expected_aum=aum,
            expected_revenue=_amount(a.expected_revenue),
            expected_close=_date(a.close),
            source=a.source,
            reason=a.reason,
        )
    except PipelineError as exc:
        raise _refused(exc) from None
    return _print_item(ctx, item)


def _as_of_day_default() -> date:
    from actdesk.services.pipeline import default_as_of

    return default_as_of(date.today())


def _print_item(ctx: CliContext, item: Any) -> int:
    from actdesk.services.pipeline import board_row

    if ctx.args.json:
        ctx.print_json(row_json(board_row(item, _now(), _config())))
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
        item = move(ctx.book(), ctx.args.opportunity_id, ctx.args.stage, ctx.args.reason, _now(), _config())
    except PipelineError as exc:
        raise _refused(exc) from None
    return _print_item(ctx, item)


def run_spend_add(ctx: CliContext) -> int:
    from actdesk.domain.pipeline.board import PipelineError
    from actdesk.services.pipeline import add_spend

    a = ctx.args
    try:
        spend = add_spend(
            ctx.book(), a.source, _required_date(a.date), _amount(a.amount) or Decimal(0), a.hours, a.note
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
