"""``actdesk kpis`` and ``actdesk probabilities``: the book's KPIs and retention probabilities as of a date."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from actdesk.cli.context import CliContext, json_text
from actdesk.cli.validation import parse_day
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.i18n import _, format_date, format_money, format_number, format_percent, ngettext

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("kpis", "probabilities")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    kpis = subparsers.add_parser(
        "kpis",
        help=_("the book's KPIs: AUM, retention, revenue, share of wallet, segments, book value"),
        description=_("KPIs of the book as of a date, over the 12 months ending on it."),
    )
    _common(kpis)
    kpis.set_defaults(handler=run_kpis)
    probs = subparsers.add_parser(
        "probabilities",
        help=_("each client household's probability of still being a client in 12 months"),
        description=_("Retention probability of every client household, with its main factors."),
    )
    _common(probs)
    probs.add_argument(
        "--backtest",
        action="store_true",
        help=_(
            "the out-of-time record instead: AUC, Brier score and calibration at yearly past dates, "
            "against the simple baselines"
        ),
    )
    probs.set_defaults(handler=run_probabilities)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        metavar="YYYY-MM-DD",
        help=_("date of the figures (default: the last month-end)"),
    )
    parser.add_argument("--json", action="store_true", help=_("print JSON instead of a summary"))


def parse_as_of(text: str | None, today: date | None = None) -> date:
    from actdesk.domain.analytics.dates import last_month_end

    if text is None:
        return last_month_end(today or date.today())
    return parse_day(text, "--as-of")


def run_kpis(ctx: CliContext) -> int:
    as_of = parse_as_of(ctx.args.as_of)
    if ctx.args.json:
        return _print_answer(ctx, "kpis", as_of, _kpis_json)
    from actdesk.services.analytics import kpis_for

    print(render_kpis(kpis_for(ctx.book(), as_of, ctx.settings.section(AnalyticsConfig))))
    return 0


def _kpis_json(ctx: CliContext, as_of: date, config: AnalyticsConfig) -> Any:
    from actdesk.services.analytics import kpis_for

    return kpis_for(ctx.book(), as_of, config)


def _print_answer(
    ctx: CliContext, command: str, as_of: date, compute: Callable[[CliContext, date, AnalyticsConfig], Any]
) -> int:
    """Print the command's JSON: the answer kept in the book when nothing it was computed from has
    changed since (services/answers.py), else computed now and kept for the next run."""
    from actdesk.services import answers

    config = ctx.settings.section(AnalyticsConfig)
    book = ctx.book()
    text, slot = answers.find(book, command, as_of, config)
    if text is None:
        text = json_text(compute(ctx, as_of, config))
        answers.keep(book, slot, text)
    sys.stdout.write(text + "\n")
    return 0


def _probabilities_json(ctx: CliContext, as_of: date, config: AnalyticsConfig) -> Any:
    from actdesk.services.analytics import assessment_for

    assessment = assessment_for(ctx.book(), as_of, config)
    return [
        {
            "household_id": p.household_id,
            "probability": p.probability,
            "factors": p.factors,
            "model": p.model,
            "low": p.low,
            "high": p.high,
            "departures": p.departures,
        }
        for p in _lowest_first(assessment)
    ]


def _lowest_first(assessment: Any) -> list[Any]:
    return sorted(assessment.probabilities.values(), key=lambda p: (p.probability, p.household_id))


def run_probabilities(ctx: CliContext) -> int:
    as_of = parse_as_of(ctx.args.as_of)
    backtest = getattr(ctx.args, "backtest", False)
    if ctx.args.json and not backtest:
        return _print_answer(ctx, "probabilities", as_of, _probabilities_json)
    from actdesk.domain.analytics.track_record import probability_note, track_record_line
    from actdesk.services.analytics import assessment_for

    book = ctx.book()
    assessment = assessment_for(book, as_of, ctx.settings.section(AnalyticsConfig))
    if backtest:
        return _print_backtest(ctx, assessment)
    probabilities = _lowest_first(assessment)
    if not probabilities:
        print(_("No client households on {day}.").format(day=format_date(as_of)))
        return 0
    names = _names(book, [p.household_id for p in probabilities])
    print(
        _("Retention probabilities on {day} ({model}), lowest first").format(
            day=format_date(as_of), model=_method_label(assessment.method)
        )
    )
    print("  " + track_record_line(assessment))
    for p in probabilities:
        factors = "; ".join(p.factors)
        name = names.get(p.household_id, str(p.household_id))
        print(
            f"  {format_percent(p.probability, 1):>7}  {name:<32}  {probability_note(p)}  {factors}".rstrip()
        )
    return 0


def _method_label(method: str) -> str:
    return {
        "landmark": _("retention model"),
        "signal": _("risk from the strongest simple signal"),
    }.get(method, _("book base rate"))


def _print_backtest(ctx: CliContext, assessment: Any) -> int:
    from actdesk.domain.analytics.track_record import BASELINE_LABELS, backtest_dict

    data = backtest_dict(assessment)
    if ctx.args.json:
        ctx.print_json(data)
        return 0
    print(
        _("Out-of-time backtest before {day}: {n} yearly origins, {d} departures").format(
            day=format_date(assessment.as_of), n=len(data["origins"]), d=data["departures"]
        )
    )
    print("  " + data["track_record"])
    if data["model"] is None or not data["observations"]:
        return 0
    print(
        "  "
        + _("Scored at {m} month-ends: {rows} rows of {h} households, {r} of them before a departure").format(
            m=data["landmarks"],
            rows=format_number(data["observations"]),
            h=format_number(data["households_scored"]),
            r=format_number(data["departing_rows"]),
        )
    )
    print(f"  {'':<26}{_('AUC'):>8}{_('Brier'):>9}{_('predicted'):>11}{_('observed'):>10}")
    for name, score in (("landmark", data["model"]), *data["baselines"].items()):
        auc = _("n/a") if score["auc"] is None else format_number(score["auc"], 3)
        print(
            f"  {_(BASELINE_LABELS[name]):<26}{auc:>8}{format_number(score['brier'], 4):>9}"
            f"{format_percent(score['mean_predicted_retention'], 1):>11}{format_percent(score['observed_retention'], 1):>10}"
        )
    print("  " + _("Calibration of the model by tenth of predicted risk (predicted vs observed retention):"))
    for d in data["model"]["calibration"]:
        print(
            f"    {format_percent(d['predicted_retention'], 1):>7}  {format_percent(d['observed_retention'], 1):>7}"
            f"  ({d['households']})"
        )
    return 0


def _names(book: Any, ids: list[int]) -> dict[int, str]:
    from actdesk.storage.repositories.households import household_names

    with book.reader() as s:
        return household_names(s, ids)


def _rate(value: float | None) -> str:
    return _("n/a") if value is None else format_percent(value, 1)


def _money(value: Decimal | None) -> str:
    return _("n/a") if value is None else format_money(value, cents=False)


def render_kpis(k: dict[str, Any]) -> str:
    """The KPIs as an advisor reads them: a short summary, one figure per line."""
    from actdesk.domain.analytics.referrals import referrer_label

    aum, ret, rev, bv = k["aum"], k["retention"], k["revenue"], k["book_value"]
    lines = [
        _("Book as of {day} (12 months from {start})").format(
            day=format_date(k["as_of"]), start=format_date(k["period_start"])
        ),
        "",
        _("Client households: {n}").format(n=format_number(k["clients"])),
        _("AUM: {total} (a year ago {start}; net flows {flows}, market {market})").format(
            total=_money(aum["total"]),
            start=_money(aum["start"]),
            flows=_money(aum["net_flows"]),
            market=_money(aum["market"]),
        ),
        _(
            "Client retention: {client}; asset retention (assets kept from departures): {asset}; "
            "net outflow rate: {outflow}"
        ).format(
            client=_rate(ret["client_rate"]),
            asset=_rate(ret.get("assets_kept_rate")),
            outflow=_rate(ret.get("net_outflow_rate")),
        ),
        _("Fee revenue, trailing 12 months: {total} (recurring {recurring})").format(
            total=_money(rev["t12m"]), recurring=_money(rev["recurring_t12m"])
        ),
        _("Share of wallet (AUM / net worth): {share}").format(share=_rate(k["share_of_wallet"]["book"])),
        _("Share of investable assets (AUM / (AUM + held-away assets)): {share}").format(
            share=_rate(k["share_of_wallet"].get("investable_book"))
        ),
        _(
            "Book value: {multiple} at {x}x current clients' recurring revenue; {basis} {npv} (retention {r}, growth {g}, discount {d}, {n} years)"
        ).format(
            multiple=_money(bv["multiple"]),
            x=format_number(bv["recurring_multiple"], 1),
            basis=_("NPV of cash flow")
            if bv.get("npv_basis") == "discounted_cash_flow"
            else _("NPV of revenue (not of profit)"),
            npv=_money(bv["npv"]),
            r=_rate(bv["retention_used"]),
            g=_rate(bv["growth_rate"]),
            d=_rate(bv["discount_rate"]),
            n=bv["horizon_years"],
        ),
    ]
    if bv["npv_households"] is not None:
        lines.append(
            _("NPV from each household's own retention probability: {npv}").format(
                npv=_money(bv["npv_households"])
            )
        )
    if bv["what_if_retention_plus_1"] is not None:
        lines.append(
            _("Retention +1 point adds {value} of book value").format(
                value=_money(bv["what_if_retention_plus_1"])
            )
        )
    lines += ["", _("Segments (by trailing-12-month revenue):")]
    for name, seg in k["segments"].items():
        lines.append(
            "  "
            + ngettext(
                "{segment}: {n} household, revenue {revenue}, AUM {aum}",
                "{segment}: {n} households, revenue {revenue}, AUM {aum}",
                seg["households"],
            ).format(
                segment=name, n=seg["households"], revenue=_money(seg["revenue"]), aum=_money(seg["aum"])
            )
        )
    sources = k["referral_sources"][:5]
    if sources:
        lines += ["", _("Best referral sources:")]
        for r in sources:
            lines.append(
                "  "
                + _("{name} ({kind}): {referred} referred, {converted} converted, AUM {aum}").format(
                    name=r["name"] or r["contact_id"],
                    kind=referrer_label(r["kind"], r.get("center_of_influence", False)),
                    referred=r["referred"],
                    converted=r["converted"],
                    aum=_money(r["aum"]),
                )
            )
    departures = ret["departures"]
    if departures:
        lines += ["", _("Departures in the period:")]
        for d in departures[:10]:
            lines.append(f"  {format_date(d['left_on'])}  {d['name']}  {d['reason'] or ''}".rstrip())
        if len(departures) > 10:
            lines.append("  " + _("and {n} more").format(n=format_number(len(departures) - 10)))
    return "\n".join(lines)
