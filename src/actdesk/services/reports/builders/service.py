"""Service-level report: is each segment contacted as often as its cadence promises?"""

from __future__ import annotations

from statistics import mean

from actdesk.domain.schedule.service import ServiceLine
from actdesk.i18n import _
from actdesk.services.reports.base import ReportContext, as_of_subtitle
from actdesk.services.reports.builders.schedule_common import service_report
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading contacts and the schedule"))
    report = service_report(ctx)
    title = _("Service level")
    subtitle = as_of_subtitle(ctx.as_of)
    if not report.lines:
        return ReportData(
            "service-level",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No client households yet. Add clients and log their calls, meetings and reviews to measure the service level."
            ),
        )
    ctx.step(0.6, _("Comparing with the cadence"))
    groups: dict[str, list[ServiceLine]] = {}
    for line in report.lines:
        groups.setdefault(line.segment or "", []).append(line)
    order = sorted(groups, key=lambda s: (s == "", s))
    rows = []
    for seg in order:
        lines = groups[seg]
        on_time = sum(1 for ln in lines if not ln.overdue)
        known = [ln.days_since_contact for ln in lines if ln.days_since_contact is not None]
        rows.append(
            (
                _("Segment {name}").format(name=seg) if seg else _("No segment"),
                len(lines),
                lines[0].cadence_days,
                on_time,
                len(lines) - on_time,
                on_time / len(lines),
                round(mean(known)) if known else None,
                sum(1 for ln in lines if ln.next_scheduled is not None),
            )
        )
    n = len(report.lines)
    on_time_all = sum(int(r[3]) for r in rows)
    columns = (
        Column("segment", _("Segment"), "text"),
        Column("households", _("Households"), "number"),
        Column("cadence", _("Cadence (days)"), "number"),
        Column("on_schedule", _("On schedule"), "number"),
        Column("overdue", _("Overdue"), "number"),
        Column("service_level", _("Service level"), "percent"),
        Column("avg_days", _("Average days since contact"), "number"),
        Column("scheduled", _("Next contact scheduled"), "number"),
    )
    totals = (
        _("Total"),
        n,
        None,
        on_time_all,
        n - on_time_all,
        on_time_all / n,
        None,
        sum(int(r[7]) for r in rows),
    )
    note = (
        _("A household is on schedule while its last contact is more recent than its segment's cadence.")
        if report.segments_known
        else _("Segments could not be computed (no fees yet), so every household has the default cadence.")
    )
    sections = [
        Section(
            "by_segment",
            _("Service level by segment"),
            table=table(columns, rows, totals),
            chart=ChartSpec(
                "stacked_bar",
                _("On schedule and overdue by segment"),
                tuple(str(r[0]) for r in rows),
                (
                    Series(_("On schedule"), tuple(float(r[3]) for r in rows)),
                    Series(_("Overdue"), tuple(float(r[4]) for r in rows)),
                ),
                y_label=_("Client households"),
            ),
            note=note,
        )
    ]
    overdue = [ln for ln in report.lines if ln.overdue]
    if overdue:
        sections.append(
            Section(
                "overdue",
                _("Households past their cadence"),
                table=table(
                    (
                        Column("household", _("Household"), "text"),
                        Column("segment", _("Segment"), "text"),
                        Column("cadence", _("Cadence (days)"), "number"),
                        Column("last_contact", _("Last contact"), "date"),
                        Column("due", _("Contact due"), "date"),
                        Column("days_overdue", _("Days overdue"), "number"),
                        Column("next", _("Next scheduled"), "date"),
                    ),
                    [
                        (
                            ln.name,
                            ln.segment or "",
                            ln.cadence_days,
                            ln.last_contact,
                            ln.contact_due,
                            ln.days_overdue,
                            ln.next_scheduled,
                        )
                        for ln in overdue
                    ],
                ),
            )
        )
    metrics = [
        Metric(_("Client households"), n, "number"),
        Metric(_("Service level"), on_time_all / n, "percent"),
        Metric(_("Past their cadence"), n - on_time_all, "number"),
    ]
    ctx.step(1.0)
    return ReportData("service-level", title, subtitle, ctx.as_of, sections, metrics)
