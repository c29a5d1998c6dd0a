"""E-marketing campaign report: per campaign, what was sent, what failed or is uncertain, who opted out."""

from __future__ import annotations

from datetime import UTC, datetime, time

from actdesk.i18n import _
from actdesk.services.reports.base import ReportContext, as_of_subtitle
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.storage.repositories.mail import campaign_summaries

COUNTED = ("sent", "failed", "uncertain", "queued", "cancelled")


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading campaigns"))
    end = datetime.combine(ctx.as_of, time.max, tzinfo=UTC)
    with ctx.book.reader() as s:
        summaries = [c for c in campaign_summaries(s) if _aware(c.created_at) <= end]
    title = _("E-marketing campaigns")
    subtitle = as_of_subtitle(ctx.as_of)
    if not summaries:
        return ReportData(
            "campaigns",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_("No campaigns yet. Send a campaign from the Campaigns panel to see its results here."),
        )
    ctx.step(0.6, _("Counting messages"))
    summaries.sort(key=lambda c: (_aware(c.created_at), c.id))
    rows = []
    counts: list[tuple[int, int, int, int, int, int, int]] = []
    for c in summaries:
        queued = c.counts.get("queued", 0) + c.counts.get("sending", 0)
        sent = c.counts.get("sent", 0)
        failed = c.counts.get("failed", 0)
        uncertain = c.counts.get("uncertain", 0)
        attempted = sent + failed + uncertain
        numbers = (
            sent,
            failed,
            uncertain,
            queued,
            c.counts.get("cancelled", 0),
            sum(c.skipped.values()),
            c.opted_out,
        )
        counts.append(numbers)
        rows.append(
            (
                _aware(c.created_at).date(),
                c.name,
                c.template_name,
                *numbers,
                None if attempted == 0 else sent / attempted,
                None if sent == 0 else c.opted_out / sent,
            )
        )
    columns = (
        Column("date", _("Created"), "date"),
        Column("campaign", _("Campaign"), "text"),
        Column("template", _("Template"), "text"),
        Column("sent", _("Sent"), "number"),
        Column("failed", _("Failed"), "number"),
        Column("uncertain", _("Uncertain"), "number"),
        Column("queued", _("Queued"), "number"),
        Column("cancelled", _("Cancelled"), "number"),
        Column("skipped", _("Skipped"), "number"),
        Column("opt_outs", _("Opt-outs"), "number"),
        Column("delivery", _("Delivered"), "percent"),
        Column("opt_out_rate", _("Opt-out rate"), "percent"),
    )
    sums = [sum(n[i] for n in counts) for i in range(7)]
    totals = (None, _("Total"), None, *sums, None, None)
    shown = list(zip([str(r[1]) for r in rows], counts, strict=True))[-12:]
    chart = ChartSpec(
        "stacked_bar",
        _("Messages per campaign"),
        tuple(name for name, _n in shown),
        (
            Series(_("Sent"), tuple(float(n[0]) for _name, n in shown)),
            Series(_("Failed"), tuple(float(n[1]) for _name, n in shown)),
            Series(_("Uncertain"), tuple(float(n[2]) for _name, n in shown)),
        ),
        y_label=_("Messages"),
    )
    sections = [
        Section(
            "campaigns",
            _("Campaign results"),
            table=table(columns, rows, totals),
            chart=chart,
            note=_(
                "Uncertain: the mail server's answer was lost, so the message may have gone out. Skipped: "
                "recipients left out (no address, opted out, duplicate). Opt-outs: recipients who opted out "
                "after the campaign was created."
            ),
        )
    ]
    metrics = [
        Metric(_("Campaigns"), len(rows), "number"),
        Metric(_("Messages sent"), sums[0], "number"),
        Metric(_("Failed or uncertain"), sums[1] + sums[2], "number"),
        Metric(_("Opt-outs"), sums[6], "number"),
    ]
    ctx.step(1.0)
    return ReportData("campaigns", title, subtitle, ctx.as_of, sections, metrics)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
