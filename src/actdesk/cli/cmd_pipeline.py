"""``actdesk pipeline``, ``prospects``, ``profile``, ``suggestions``, ``acquisition``, ``opportunity`` and
``spend``: the acquisition-and-growth feature (issue 9) on the command line, over ``services.pipeline``."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import parse_day
from actdesk.domain.pipeline.config import kind_label, stage_label
from actdesk.i18n import _, format_money, format_percent

Sub = argparse._SubParsersAction


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("pipeline", "prospects", "profile", "suggestions", "acquisition")


def register(subparsers: Sub) -> None:
    p = subparsers.add_parser("pipeline", help=_("opportunities by stage with their weighted value"))
    p.add_argument("--stage", help=_("only this stage"))
    p.add_argument("--open", action="store_true", help=_("only open opportunities (not won or lost)"))
    add_json_flag(p)
    p.set_defaults(handler=run_pipeline)

    p = subparsers.add_parser("prospects", help=_("prospects sorted by fit with your best (A) clients"))
    _as_of(p)
    add_json_flag(p)
    p.set_defaults(handler=run_prospects)

    p = subparsers.add_parser("profile", help=_("the ideal-client profile drawn from your A clients"))
    _as_of(p)
    add_json_flag(p)
    p.set_defaults(handler=run_profile)

    p = subparsers.add_parser(
        "suggestions", help=_("growth ideas: what similar households hold and this one does not")
    )
    p.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    _as_of(p)
    add_json_flag(p)
    p.set_defaults(handler=run_suggestions)

    p = subparsers.add_parser(
        "acquisition", help=_("cost and wins per source; cost to serve versus revenue per segment")
    )
    _as_of(p)
    p.add_argument("--since", metavar="YYYY-MM-DD", help=_("only spend and opportunities from this date"))
    add_json_flag(p)
    p.set_defaults(handler=run_acquisition)


def add_json_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a summary"))


def _as_of(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help=_("date of the figures (default: the last month-end)")
    )


def parse_date(text: str | None, option: str | None = None) -> date | None:
    return None if text is None else parse_day(text, option)


def required_date(text: str, option: str | None = None) -> date:
    return parse_day(text, option)


def parse_amount(text: str | None) -> Decimal | None:
    if text is None:
        return None
    from actdesk.domain.money import parse_money

    try:
        return parse_money(text)
    except ValueError:
        raise UsageError(
            _("not an amount: {text!r} (use digits and a dot, e.g. 1234.56)").format(text=text)
        ) from None


def default_day() -> date:
    from actdesk.services.pipeline import default_as_of

    return default_as_of(date.today())


def _as_of_day(ctx: CliContext) -> date:
    from actdesk.services.pipeline import default_as_of

    return parse_date(ctx.args.as_of, "--as-of") or default_as_of(date.today())


def utc_now() -> datetime:
    return datetime.now(UTC)


def _money(value: Decimal | None) -> str:
    return _("n/a") if value is None else format_money(value, cents=False)


def load_config() -> Any:
    """The user's pipeline settings."""
    from actdesk.domain.pipeline.config import PipelineConfig
    from actdesk.settings import load_settings

    return load_settings().section(PipelineConfig)


def load_analytics() -> Any:
    """The user's analytics settings (segments)."""
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.settings import load_settings

    return load_settings().section(AnalyticsConfig)


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

    config = load_config()
    if ctx.args.stage and ctx.args.stage not in config.stages:
        raise UsageError(
            _("unknown stage {stage!r}; the stages are: {stages}").format(
                stage=ctx.args.stage, stages=", ".join(config.stages)
            )
        )
    b = board(ctx.book(), utc_now(), config, recent_only=False)
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
    result = prospecting(ctx.book(), as_of, load_config(), load_analytics())
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

    result = prospecting(ctx.book(), _as_of_day(ctx), load_config(), load_analytics())
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


def suggestions_for(ctx: CliContext, household_id: int, as_of: date) -> list[Any]:
    from actdesk.services.pipeline import household_suggestions

    return household_suggestions(ctx.book(), household_id, as_of, load_config())


def run_suggestions(ctx: CliContext) -> int:
    as_of = _as_of_day(ctx)
    found = suggestions_for(ctx, ctx.args.household_id, as_of)
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

    result = acquisition(
        ctx.book(),
        _as_of_day(ctx),
        load_config(),
        parse_date(ctx.args.since, "--since"),
        analytics=load_analytics(),
    )
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
