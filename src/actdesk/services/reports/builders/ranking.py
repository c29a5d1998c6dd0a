"""Stack ranking and trends: who brings the revenue and the assets, who is growing, where the book goes."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from actdesk.domain.analytics.aum import aum_change, money
from actdesk.domain.analytics.revenue import pareto_share, revenue_summary, stack_ranking
from actdesk.domain.analytics.segments import assign_segments
from actdesk.domain.analytics.trends import aum_trend_of, revenue_trend_of
from actdesk.i18n import _, format_date, format_percent
from actdesk.services.reports.base import ReportContext, as_of_subtitle, in_currency
from actdesk.services.reports.model import (
    ChartSpec,
    Column,
    Metric,
    ReportData,
    Section,
    Series,
    table,
)

TOP_CHART = 15
TREND_MONTHS = 25


def ranking_rows(ctx: ReportContext, months: int = 0) -> pd.DataFrame:
    """The analytics engine's stack ranking (``revenue.stack_ranking``) as the report's table, index
    household_id: name, revenue, recurring, aum, aum_12m (cents), aum_growth (NaN when it had nothing a
    year ago), revenue_rank and segment. ``months``: the monthly series loaded with the frames, when the
    report also shows them."""
    records = ctx.frames(months).records
    segments = assign_segments(records, ctx.as_of, ctx.analytics_config())
    rows = stack_ranking(records)
    return pd.DataFrame(
        {
            "name": [r.name for r in rows],
            "revenue": pd.Series([r.revenue for r in rows], dtype="int64"),
            "recurring": pd.Series([r.recurring for r in rows], dtype="int64"),
            "aum": pd.Series([r.aum for r in rows], dtype="int64"),
            "aum_12m": pd.Series([r.aum_12m for r in rows], dtype="int64"),
            "aum_growth": pd.Series([r.aum_growth for r in rows], dtype="float64"),
            "revenue_rank": range(1, len(rows) + 1),
            "segment": [segments.get(r.household_id, "") for r in rows],
        },
    ).set_axis(pd.Index([r.household_id for r in rows], dtype="int64", name="household_id"))


def _growth(value: float) -> float | None:
    return None if pd.isna(value) else float(value)


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.05, _("Reading the book"))
    frames = ctx.frames(TREND_MONTHS)  # one load for the ranking and the trends
    ranking = ranking_rows(ctx, TREND_MONTHS)
    title = _("Stack ranking and trends")
    if ranking.empty:
        return ReportData(
            "stack-ranking",
            title,
            as_of_subtitle(ctx.as_of),
            ctx.as_of,
            [],
            empty=_(
                "No client households on this date. Import households with their accounts, balances and "
                "fees (or open the demo book) to rank them."
            ),
        )
    ctx.step(0.3, _("Ranking households"))
    summary = revenue_summary(frames.records)
    change = aum_change(frames.records)
    total_revenue = int(ranking["revenue"].sum())
    cumulative = ranking["revenue"].cumsum()
    rows = []
    for (hid, row), cum in zip(ranking.iterrows(), cumulative, strict=True):
        rows.append(
            (
                int(row["revenue_rank"]),
                str(row["name"]),
                row["segment"],
                money(int(row["revenue"])),
                money(int(row["recurring"])),
                money(int(row["aum"])),
                _growth(row["aum_growth"]),
                None if total_revenue <= 0 else float(cum) / total_revenue,
            )
        )
        del hid
    columns = (
        Column("rank", _("Rank"), "number"),
        Column("household", _("Household"), "text"),
        Column("segment", _("Segment"), "text"),
        Column("revenue", _("Revenue (12 months)"), "money"),
        Column("recurring", _("Recurring"), "money"),
        Column("aum", _("AUM"), "money"),
        Column("aum_growth", _("AUM growth (12 months)"), "percent"),
        Column("cumulative_share", _("Cumulative share of revenue"), "percent"),
    )
    totals = (
        None,
        _("Total"),
        None,
        money(total_revenue),
        money(int(ranking["recurring"].sum())),
        money(int(ranking["aum"].sum())),
        None,
        None,
    )
    top = ranking.head(TOP_CHART)
    ranking_chart = ChartSpec(
        "barh",
        _("Top {n} households by revenue (12 months)").format(n=len(top)),
        tuple(str(n) for n in top["name"]),
        (Series(_("Revenue"), tuple(float(v) / 100 for v in top["revenue"])),),
        unit="money",
        y_label=in_currency(_("Revenue (12 months)")),
    )
    sections = [
        Section(
            "ranking",
            _("Households by revenue"),
            table=table(columns, rows, totals),
            chart=ranking_chart,
            note=_("Cumulative share: what the households down to this row bring of the book's revenue."),
        )
    ]
    ctx.step(0.5, _("Finding the fastest growers"))
    growers = ranking.dropna(subset=["aum_growth"]).sort_values("aum_growth", ascending=False).head(10)
    if not growers.empty:
        grow_cols = (
            Column("household", _("Household"), "text"),
            Column("aum_12m", _("AUM a year ago"), "money"),
            Column("aum", _("AUM"), "money"),
            Column("aum_growth", _("Growth"), "percent"),
        )
        grow_rows = [
            (str(r["name"]), money(int(r["aum_12m"])), money(int(r["aum"])), _growth(r["aum_growth"]))
            for _h, r in growers.iterrows()
        ]
        sections.append(Section("growth", _("Fastest-growing households"), table=table(grow_cols, grow_rows)))
    ctx.step(0.65, _("Reading the trends"))
    sections.extend(_trend_sections(ctx))
    metrics = [
        Metric(_("Client households"), len(ranking), "number"),
        Metric(_("Assets under management"), change.end, "money"),
        Metric(_("Revenue (12 months)"), summary.t12m, "money"),
        Metric(_("Revenue growth"), summary.growth, "percent"),
        Metric(
            _("Revenue from the top {share}").format(
                share=format_percent(ctx.analytics_config().pareto_share, 0)
            ),
            pareto_share(ranking["revenue"].tolist(), ctx.analytics_config().pareto_share),
            "percent",
        ),
    ]
    ctx.step(1.0)
    return ReportData("stack-ranking", title, as_of_subtitle(ctx.as_of), ctx.as_of, sections, metrics)


def _trend_sections(ctx: ReportContext) -> list[Section]:
    frames = ctx.frames(TREND_MONTHS)
    aum = aum_trend_of(frames)
    revenue = revenue_trend_of(frames)
    if aum.empty or float(aum["aum"].abs().sum()) == 0:
        return [
            Section(
                "trend",
                _("AUM and revenue trend"),
                empty=_("The trend needs account balances over at least two month-ends."),
            )
        ]
    months = tuple(format_date(pd.Timestamp(d).date(), "MMM yy") for d in aum["date"])
    cols = (
        Column("month", _("Month end"), "date"),
        Column("clients", _("Clients"), "number"),
        Column("aum", _("AUM"), "money"),
        Column("net_flows", _("Net flows"), "money"),
        Column("market", _("Market"), "money"),
        Column("revenue", _("Revenue"), "money"),
    )
    rev_by_date = {pd.Timestamp(d): t for d, t in zip(revenue["date"], revenue["total"], strict=True)}
    rows = []
    for r in aum.itertuples(index=False):
        stamp = pd.Timestamp(r.date)
        rows.append(
            (
                stamp.date(),
                int(r.clients),
                _dollars(r.aum),
                _dollars(r.net_flows),
                None if pd.isna(r.market) else _dollars(r.market),
                _dollars(rev_by_date.get(stamp, 0.0)),
            )
        )
    aum_chart = ChartSpec(
        "line",
        _("Assets under management"),
        months,
        (Series(_("AUM"), tuple(float(v) for v in aum["aum"])),),
        unit="money",
        y_label=in_currency(_("Assets under management")),
    )
    # Fees are often billed quarterly: the trailing-12-month sum at each month end is the honest trend.
    totals = revenue["total"].iloc[1:].reset_index(drop=True)
    rolling = totals.rolling(12).sum()
    ends = revenue["date"].iloc[1:].reset_index(drop=True)
    points = [
        (pd.Timestamp(d).date(), float(v)) for d, v in zip(ends, rolling, strict=True) if not pd.isna(v)
    ]
    rev_chart = ChartSpec(
        "line",
        _("Revenue over the trailing 12 months, at each month end"),
        tuple(format_date(d, "MMM yy") for d, _v in points),
        (Series(_("Revenue (12 months)"), tuple(v for _d, v in points)),),
        unit="money",
        y_label=in_currency(_("Revenue (12 months)")),
    )
    return [
        Section("aum_trend", _("AUM trend"), table=table(cols, rows), chart=aum_chart),
        Section(
            "revenue_trend",
            _("Revenue trend"),
            chart=rev_chart,
            table=table(
                (
                    Column("month", _("Month end"), "date"),
                    Column("revenue", _("Revenue (12 months)"), "money"),
                ),
                [(d, _dollars(v)) for d, v in points],
            ),
        )
        if points
        else Section(
            "revenue_trend", _("Revenue trend"), empty=_("The revenue trend needs 12 months of fees.")
        ),
    ]


def _dollars(value: float) -> Decimal:
    """Chart-series dollars (floats built from exact cents) back to exact money for the table."""
    return Decimal(round(float(value) * 100)) / 100
