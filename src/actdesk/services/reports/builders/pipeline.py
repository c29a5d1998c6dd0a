"""Pipeline and prospecting: open opportunities by stage with their weighted value, where prospects come
from and how the year's opportunities ended. Read straight from the core ``opportunities`` table."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, time
from decimal import Decimal

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.pipeline.config import stage_label
from actdesk.i18n import _
from actdesk.services.reports.base import (
    OPPORTUNITY_KINDS,
    ReportContext,
    as_of_subtitle,
    label,
)
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.storage.repositories.reports import Opportunity, opportunities


def weighted(o: Opportunity) -> Decimal:
    """Expected revenue times the probability of closing (0 when either is unknown)."""
    if o.expected_revenue_cents is None or o.probability is None:
        return Decimal("0.00")
    return money(round(o.expected_revenue_cents * o.probability))


def _cents(value: int | None) -> Decimal:
    return money(value or 0)


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading opportunities"))
    end = datetime.combine(ctx.as_of, time.max, tzinfo=UTC)
    with ctx.book.reader() as s:
        opps = opportunities(s, end)
    title = _("Pipeline and prospecting")
    subtitle = as_of_subtitle(ctx.as_of)
    if not opps:
        return ReportData(
            "pipeline",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No opportunities yet. Record prospects and opportunities (new households, rollovers, "
                "consolidations) in the Pipeline to see the funnel here."
            ),
        )
    ctx.step(0.4, _("Summing stages"))
    config = ctx.pipeline_config()
    open_stages = config.open_stages  # configurable: the advisor's stages, not a copied list
    open_opps = [o for o in opps if o.stage in open_stages]
    stage_rows = []
    for stage in open_stages:
        in_stage = [o for o in open_opps if o.stage == stage]
        stage_rows.append(
            (
                stage_label(stage),
                len(in_stage),
                sum((_cents(o.expected_aum_cents) for o in in_stage), Decimal("0.00")),
                sum((_cents(o.expected_revenue_cents) for o in in_stage), Decimal("0.00")),
                sum((weighted(o) for o in in_stage), Decimal("0.00")),
            )
        )
    stage_cols = (
        Column("stage", _("Stage"), "text"),
        Column("count", _("Opportunities"), "number"),
        Column("aum", _("Expected AUM"), "money"),
        Column("revenue", _("Expected revenue"), "money"),
        Column("weighted", _("Weighted revenue"), "money"),
    )
    stage_totals = (
        _("Total"),
        len(open_opps),
        sum((r[2] for r in stage_rows), Decimal("0.00")),
        sum((r[3] for r in stage_rows), Decimal("0.00")),
        sum((r[4] for r in stage_rows), Decimal("0.00")),
    )
    sections = [
        Section(
            "funnel",
            _("Open pipeline by stage"),
            table=table(stage_cols, stage_rows, stage_totals),
            chart=ChartSpec(
                "bar",
                _("Open opportunities by stage"),
                tuple(r[0] for r in stage_rows),
                (Series(_("Opportunities"), tuple(float(r[1]) for r in stage_rows)),),
                unit="number",
                y_label=_("Open opportunities"),
                x_label=_("Stage"),
            ),
            note=_("Weighted revenue: expected revenue times the probability of closing."),
        )
    ]
    ctx.step(0.6, _("Grouping sources"))
    start = datetime.combine(shift_months(ctx.as_of, -12), time.max, tzinfo=UTC)
    by_source: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for o in opps:
        g = by_source[(o.source or "").strip() or _("Unknown")]
        g[0] += 1
        g[1] += o.stage in open_stages
        g[2] += o.stage == config.won_stage
        g[3] += o.stage == config.lost_stage
    source_rows = [
        (name, n, open_n, won, lost, None if won + lost == 0 else won / (won + lost))
        for name, (n, open_n, won, lost) in sorted(
            by_source.items(), key=lambda kv: (-kv[1][2], -kv[1][0], kv[0])
        )
    ]
    sections.append(
        Section(
            "sources",
            _("Prospecting by source"),
            table=table(
                (
                    Column("source", _("Source"), "text"),
                    Column("count", _("Opportunities"), "number"),
                    Column("open", _("Open"), "number"),
                    Column("won", _("Won"), "number"),
                    Column("lost", _("Lost"), "number"),
                    Column("win_rate", _("Win rate"), "percent"),
                ),
                source_rows,
            ),
        )
    )
    closed_stages = (config.won_stage, config.lost_stage)
    closed = [o for o in opps if o.stage in closed_stages and start < _aware(o.stage_changed_at) <= end]
    won_year = [o for o in closed if o.stage == config.won_stage]
    if open_opps:
        soonest = sorted(open_opps, key=lambda o: (o.expected_close or ctx.as_of.replace(year=9999), o.id))[
            :25
        ]
        sections.append(
            Section(
                "open",
                _("Open opportunities"),
                table=table(
                    (
                        Column("household", _("Household"), "text"),
                        Column("kind", _("Kind"), "text"),
                        Column("stage", _("Stage"), "text"),
                        Column("close", _("Expected close"), "date"),
                        Column("aum", _("Expected AUM"), "money"),
                        Column("revenue", _("Expected revenue"), "money"),
                        Column("probability", _("Probability"), "percent"),
                    ),
                    [
                        (
                            o.household,
                            label(OPPORTUNITY_KINDS, o.kind),
                            stage_label(o.stage),
                            o.expected_close,
                            _cents(o.expected_aum_cents),
                            _cents(o.expected_revenue_cents),
                            o.probability,
                        )
                        for o in soonest
                    ],
                ),
                note=_("The 25 closing soonest."),
            )
        )
    metrics = [
        Metric(_("Open opportunities"), len(open_opps), "number"),
        Metric(_("Expected revenue, weighted by probability"), stage_totals[4], "money"),
        Metric(_("Won in 12 months"), len(won_year), "number"),
        Metric(_("Win rate (12 months)"), None if not closed else len(won_year) / len(closed), "percent"),
    ]
    ctx.step(1.0)
    return ReportData("pipeline", title, subtitle, ctx.as_of, sections, metrics)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
