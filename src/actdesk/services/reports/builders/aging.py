"""Aging report: how long since each client household last heard from us, and how overdue the open tasks
are, in the buckets 0-30, 31-60, 61-90 and over 90 days."""

from __future__ import annotations

from collections import Counter

from actdesk.domain.schedule.service import BUCKETS, bucket
from actdesk.i18n import N_, _
from actdesk.services.reports.base import ReportContext, as_of_subtitle, label
from actdesk.services.reports.builders.schedule_common import service_report
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table

NEVER = N_("Never")
KINDS = {
    "call": N_("Call"),
    "meeting": N_("Meeting"),
    "review": N_("Review"),
    "task": N_("Task"),
    "email": N_("E-mail"),
    "event": N_("Event"),
}


def contact_bucket(days: int | None) -> str:
    """The aging bucket of "days since the last contact" (0 counts in 0-30); None = never contacted."""
    if days is None:
        return NEVER
    return bucket(max(days, 1))


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading contacts and tasks"))
    report = service_report(ctx)
    title = _("Aging report")
    subtitle = as_of_subtitle(ctx.as_of)
    if not report.lines and not report.overdue:
        return ReportData(
            "aging",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No client households yet. Add clients and log calls and meetings to see how long since each was contacted."
            ),
        )
    ctx.step(0.6, _("Bucketing"))
    names = [*BUCKETS, NEVER]
    contact_counts = Counter(contact_bucket(line.days_since_contact) for line in report.lines)
    n = len(report.lines)
    contact_rows = [
        (
            _(b) if b == NEVER else b,
            contact_counts.get(b, 0),
            None if n == 0 else contact_counts.get(b, 0) / n,
        )
        for b in names
    ]
    days_cols = (
        Column("bucket", _("Days"), "text"),
        Column("households", _("Households"), "number"),
        Column("share", _("Share"), "percent"),
    )
    sections = [
        Section(
            "since_contact",
            _("Days since last contact"),
            table=table(days_cols, contact_rows, (_("Total"), n, 1.0 if n else None)),
            chart=ChartSpec(
                "bar",
                _("Client households by days since last contact"),
                tuple(str(r[0]) for r in contact_rows),
                (Series(_("Households"), tuple(float(r[1]) for r in contact_rows)),),
                y_label=_("Client households"),
                x_label=_("Days since last contact"),
            ),
        )
    ]
    overdue_total = sum(report.buckets.values())
    sections.append(
        Section(
            "overdue_buckets",
            _("Overdue tasks by age"),
            table=table(
                (Column("bucket", _("Days overdue"), "text"), Column("items", _("Items"), "number")),
                [(b, report.buckets.get(b, 0)) for b in BUCKETS],
                (_("Total"), overdue_total),
            ),
            chart=ChartSpec(
                "bar",
                _("Overdue tasks by days overdue"),
                BUCKETS,
                (Series(_("Items"), tuple(float(report.buckets.get(b, 0)) for b in BUCKETS)),),
                y_label=_("Overdue items"),
                x_label=_("Days overdue"),
            ),
        )
        if overdue_total
        else Section(
            "overdue_buckets",
            _("Overdue tasks by age"),
            empty=_("Nothing is overdue: every open task is on time."),
        )
    )
    longest = sorted(
        report.lines, key=lambda ln: (ln.last_contact is not None, ln.last_contact or ctx.as_of, ln.name)
    )[:25]
    sections.append(
        Section(
            "longest",
            _("Longest without contact"),
            table=table(
                (
                    Column("household", _("Household"), "text"),
                    Column("segment", _("Segment"), "text"),
                    Column("last_contact", _("Last contact"), "date"),
                    Column("days", _("Days since"), "number"),
                    Column("next", _("Next scheduled"), "date"),
                ),
                [
                    (ln.name, ln.segment or "", ln.last_contact, ln.days_since_contact, ln.next_scheduled)
                    for ln in longest
                ],
            ),
        )
    )
    if report.overdue:
        items = sorted(report.overdue, key=lambda i: (-i.days_overdue, i.household))
        sections.append(
            Section(
                "overdue_items",
                _("Overdue items"),
                table=table(
                    (
                        Column("household", _("Household"), "text"),
                        Column("kind", _("Kind"), "text"),
                        Column("subject", _("Subject"), "text"),
                        Column("days", _("Days overdue"), "number"),
                        Column("bucket", _("Bucket"), "text"),
                    ),
                    [
                        (
                            i.household,
                            label(KINDS, i.occurrence.kind),
                            i.occurrence.subject,
                            i.days_overdue,
                            i.bucket,
                        )
                        for i in items
                    ],
                ),
            )
        )
    metrics = [
        Metric(_("Client households"), n, "number"),
        Metric(
            _("Not contacted in 90+ days"),
            contact_counts.get("90+", 0) + contact_counts.get(NEVER, 0),
            "number",
        ),
        Metric(_("Overdue items"), overdue_total, "number"),
    ]
    ctx.step(1.0)
    return ReportData("aging", title, subtitle, ctx.as_of, sections, metrics)
