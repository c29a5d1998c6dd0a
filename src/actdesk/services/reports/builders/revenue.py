"""Fee revenue: by month (recurring vs one-off), by segment and by household, over the trailing 12 months."""

from __future__ import annotations

import pandas as pd

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.revenue import revenue_summary
from actdesk.domain.analytics.segments import SEGMENTS, segment_figures
from actdesk.domain.analytics.trends import revenue_trend_of
from actdesk.i18n import _, format_date
from actdesk.services.reports.base import ReportContext, as_of_subtitle, in_currency
from actdesk.services.reports.builders.ranking import _dollars, ranking_rows
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table

MONTHS = 13  # the as-of month-end and the 12 before it: the 12 monthly intervals of the trailing year


def _ratio(part: object, whole: object) -> float | None:
    return None if not whole else float(part) / float(whole)  # type: ignore[arg-type]


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.05, _("Reading fees"))
    frames = ctx.frames(MONTHS)  # one load for the summary, the months and the households
    summary = revenue_summary(frames.records)
    title = _("Fee revenue")
    subtitle = as_of_subtitle(ctx.as_of, _("trailing 12 months"))
    if summary.t12m == 0 and summary.prior_t12m == 0:
        return ReportData(
            "fee-revenue",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No fees in the last two years. Import fee records (or open the demo book) to see revenue."
            ),
        )
    ctx.step(0.3, _("Monthly revenue"))
    monthly = revenue_trend_of(frames).iloc[1:]  # the first point closes the year before
    months = tuple(format_date(pd.Timestamp(d).date(), "MMM yy") for d in monthly["date"])
    month_rows = [
        (pd.Timestamp(r.date).date(), _dollars(r.recurring), _dollars(r.one_off), _dollars(r.total))
        for r in monthly.itertuples(index=False)
    ]
    money_cols = (
        Column("recurring", _("Recurring"), "money"),
        Column("one_off", _("One-off"), "money"),
        Column("total", _("Total"), "money"),
    )
    sections = [
        Section(
            "by_month",
            _("Revenue by month"),
            table=table(
                (Column("month", _("Month end"), "date"), *money_cols),
                month_rows,
                (_("Total"), summary.recurring_t12m, summary.one_off_t12m, summary.t12m),
            ),
            chart=ChartSpec(
                "stacked_bar",
                _("Revenue by month"),
                months,
                (
                    Series(_("Recurring"), tuple(float(v) for v in monthly["recurring"])),
                    Series(_("One-off"), tuple(float(v) for v in monthly["one_off"])),
                ),
                unit="money",
                y_label=in_currency(_("Revenue")),
            ),
        )
    ]
    ctx.step(0.55, _("Revenue by segment"))
    figures = segment_figures(ctx.frames(MONTHS).records, ctx.as_of, ctx.analytics_config())
    seg_total = sum((f.revenue for f in figures.values()), money(0))
    seg_rows = [
        (
            _("Segment {name}").format(name=s),
            figures[s].households,
            figures[s].recurring,
            figures[s].revenue - figures[s].recurring,
            figures[s].revenue,
            _ratio(figures[s].revenue, seg_total),
        )
        for s in SEGMENTS
    ]
    sections.append(
        Section(
            "by_segment",
            _("Revenue by segment"),
            table=table(
                (
                    Column("segment", _("Segment"), "text"),
                    Column("households", _("Households"), "number"),
                    *money_cols,
                    Column("share", _("Share"), "percent"),
                ),
                seg_rows,
                (
                    _("Total"),
                    sum(f.households for f in figures.values()),
                    sum((f.recurring for f in figures.values()), money(0)),
                    seg_total - sum((f.recurring for f in figures.values()), money(0)),
                    seg_total,
                    1.0 if seg_total else None,
                ),
            ),
            chart=ChartSpec(
                "bar",
                _("Revenue by segment"),
                tuple(r[0] for r in seg_rows),
                (
                    Series(_("Recurring"), tuple(float(figures[s].recurring) for s in SEGMENTS)),
                    Series(
                        _("One-off"),
                        tuple(float(figures[s].revenue - figures[s].recurring) for s in SEGMENTS),
                    ),
                ),
                unit="money",
                y_label=in_currency(_("Revenue (12 months)")),
            ),
            note=_(
                "Segments rank client households by trailing-12-month revenue: A the top 20%, B the next 30%."
            ),
        )
    )
    ctx.step(0.75, _("Revenue by household"))
    ranking = ranking_rows(ctx, MONTHS)
    paying = ranking[ranking["revenue"] != 0]
    hh_rows = [
        (
            str(r["name"]),
            r["segment"],
            money(int(r["recurring"])),
            money(int(r["revenue"]) - int(r["recurring"])),
            money(int(r["revenue"])),
        )
        for _h, r in paying.iterrows()
    ]
    sections.append(
        Section(
            "by_household",
            _("Revenue by household"),
            table=table(
                (
                    Column("household", _("Household"), "text"),
                    Column("segment", _("Segment"), "text"),
                    *money_cols,
                ),
                hh_rows,
            ),
            note=_(
                "Client households on the as-of date; fees of former clients count in the book total only."
            ),
        )
        if hh_rows
        else Section(
            "by_household",
            _("Revenue by household"),
            empty=_("No client household paid a fee in the period."),
        )
    )
    metrics = [
        Metric(_("Revenue (12 months)"), summary.t12m, "money"),
        Metric(_("Recurring share"), _ratio(summary.recurring_t12m, summary.t12m), "percent"),
        Metric(_("Prior 12 months"), summary.prior_t12m, "money"),
        Metric(_("Growth"), summary.growth, "percent"),
    ]
    ctx.step(1.0)
    return ReportData("fee-revenue", title, subtitle, ctx.as_of, sections, metrics)
