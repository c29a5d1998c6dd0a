"""Referrals and life events: who sends us clients, and what happened in the clients' lives this year."""

from __future__ import annotations

from collections import Counter

from actdesk.domain.analytics.dates import shift_months
from actdesk.domain.analytics.referrals import referral_sources, referrer_label
from actdesk.domain.enums import life_event_label
from actdesk.i18n import _
from actdesk.services.reports.base import (
    ReportContext,
    as_of_subtitle,
    in_currency,
)
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.storage.repositories.reports import life_events


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading referrals"))
    sources = referral_sources(ctx.frames().records, ctx.as_of)
    ctx.step(0.5, _("Reading life events"))
    with ctx.book.reader() as s:
        events = life_events(s, shift_months(ctx.as_of, -12), ctx.as_of)
    title = _("Referrals and life events")
    subtitle = as_of_subtitle(ctx.as_of)
    sections: list[Section] = []
    if sources:
        rows = [
            (
                r.name,
                referrer_label(r.kind, r.center_of_influence),  # a center of influence says so
                r.referred,
                r.converted,
                None if not r.referred else r.converted / r.referred,
                r.aum,
                r.revenue,
            )
            for r in sources
        ]
        top = sorted(sources, key=lambda r: r.aum, reverse=True)[:10]  # "top" by what the chart shows
        sections.append(
            Section(
                "sources",
                _("Referral sources"),
                table=table(
                    (
                        Column("referrer", _("Referrer"), "text"),
                        Column("kind", _("Relationship"), "text"),
                        Column("referred", _("Referred"), "number"),
                        Column("converted", _("Became clients"), "number"),
                        Column("conversion", _("Conversion"), "percent"),
                        Column("aum", _("AUM brought"), "money"),
                        Column("revenue", _("Revenue (12 months)"), "money"),
                    ),
                    rows,
                ),
                chart=ChartSpec(
                    "barh",
                    _("Top referrers by assets brought"),
                    tuple(r.name for r in top),
                    (Series(_("AUM brought"), tuple(float(r.aum) for r in top)),),
                    unit="money",
                    y_label=in_currency(_("AUM brought")),
                ),
                note=_("AUM and revenue of the referred households that are clients on the as-of date."),
            )
        )
    else:
        sections.append(
            Section(
                "sources",
                _("Referral sources"),
                empty=_(
                    "No referrals recorded. Note who referred each new household to rank your best sources."
                ),
            )
        )
    if events:
        counts = Counter(e.kind for e in events)
        kinds = sorted(counts, key=lambda k: (-counts[k], life_event_label(k)))
        sections.append(
            Section(
                "life_events_by_kind",
                _("Life events of the last 12 months"),
                table=table(
                    (Column("kind", _("Event"), "text"), Column("count", _("Households"), "number")),
                    [(life_event_label(k), counts[k]) for k in kinds],
                    (_("Total"), len(events)),
                ),
                chart=ChartSpec(
                    "bar",
                    _("Life events by kind"),
                    tuple(life_event_label(k) for k in kinds),
                    (Series(_("Events"), tuple(float(counts[k]) for k in kinds)),),
                    y_label=_("Life events (12 months)"),
                ),
            )
        )
        sections.append(
            Section(
                "life_events",
                _("Life events"),
                table=table(
                    (
                        Column("date", _("Date"), "date"),
                        Column("household", _("Household"), "text"),
                        Column("kind", _("Event"), "text"),
                        Column("notes", _("Notes"), "text"),
                    ),
                    [(e.day, e.household, life_event_label(e.kind), (e.notes or "").strip()) for e in events],
                ),
            )
        )
    else:
        sections.append(
            Section(
                "life_events",
                _("Life events of the last 12 months"),
                empty=_(
                    "No life events in the last 12 months. Record births, retirements, moves and the like on the household card."
                ),
            )
        )
    metrics = [
        Metric(_("Referrers"), len(sources), "number"),
        Metric(_("Households referred"), sum(r.referred for r in sources), "number"),
        Metric(_("Became clients"), sum(r.converted for r in sources), "number"),
        Metric(_("Life events (12 months)"), len(events), "number"),
    ]
    ctx.step(1.0)
    empty = (
        ""
        if sources or events
        else _(
            "No referrals or life events yet: record who referred each household and the events in their lives."
        )
    )
    return ReportData("referrals", title, subtitle, ctx.as_of, sections, metrics, empty=empty)
