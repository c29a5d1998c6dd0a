"""Leaderboard by owner: for a practice with an assistant or a junior advisor, who did what this year."""

from __future__ import annotations

from datetime import UTC, datetime, time

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.dates import shift_months
from actdesk.i18n import _
from actdesk.services.reports.base import ReportContext, as_of_subtitle
from actdesk.services.reports.builders.compensation import owner_label
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.services.team import scope_in
from actdesk.storage.repositories.reports import (
    completed_activities_by_owner,
    fees_by_owner,
    new_clients_by_owner,
)

CONTACT_KINDS = ("call", "meeting", "review")


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading activities, households and fees"))
    start_day = shift_months(ctx.as_of, -12)
    start = datetime.combine(start_day, time.max, tzinfo=ctx.zone()).astimezone(UTC)
    end = ctx.end_of_day()
    with ctx.book.reader() as s:
        activities = completed_activities_by_owner(s, start, end)
        new_clients = new_clients_by_owner(s, start_day, ctx.as_of)
        fees = fees_by_owner(s, start_day, ctx.as_of)
        scope = scope_in(s)  # team books: an advisor ranks their own line; the practice owner sees all
    title = _("Leaderboard by owner")
    subtitle = as_of_subtitle(ctx.as_of, _("last 12 months"))
    owners = set(activities) | set(new_clients) | set(fees)
    if scope is not None:
        owners = {o for o in owners if o in scope}
    if not owners:
        return ReportData(
            "leaderboard",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_("No completed activities, new clients or fees in the last 12 months."),
        )
    ctx.step(0.6, _("Ranking owners"))
    rows = []
    for owner in owners:
        kinds = activities.get(owner, {})
        recurring, one_off = fees.get(owner, (0, 0))
        rows.append(
            (
                owner_label(owner),
                sum(kinds.get(k, 0) for k in CONTACT_KINDS),
                sum(kinds.values()),
                new_clients.get(owner, 0),
                money(recurring + one_off),
            )
        )
    rows.sort(key=lambda r: (-r[4], -r[2], r[0]))
    columns = (
        Column("owner", _("Owner"), "text"),
        Column("contacts", _("Calls, meetings and reviews"), "number"),
        Column("activities", _("All completed activities"), "number"),
        Column("new_households", _("New client households"), "number"),
        Column("revenue", _("Revenue (12 months)"), "money"),
    )
    totals = (
        _("Total"),
        sum(r[1] for r in rows),
        sum(r[2] for r in rows),
        sum(r[3] for r in rows),
        sum((r[4] for r in rows), money(0)),
    )
    note = (
        _(
            "Everything is unassigned: set an owner on households and activities to compare the people of the practice."
        )
        if len(rows) == 1 and rows[0][0] == _("Unassigned")
        else _(
            "Activities count for whoever owns them; revenue and new households for the household's owner."
        )
    )
    sections = [
        Section(
            "owners",
            _("Activity and results by owner"),
            table=table(columns, rows, totals),
            chart=ChartSpec(
                "bar",
                _("Completed activities by owner"),
                tuple(r[0] for r in rows),
                (
                    Series(_("Calls, meetings and reviews"), tuple(float(r[1]) for r in rows)),
                    Series(_("All completed activities"), tuple(float(r[2]) for r in rows)),
                ),
                y_label=_("Completed activities (12 months)"),
            ),
            note=note,
        )
    ]
    metrics = [
        Metric(_("Owners"), len(rows), "number"),
        Metric(_("Completed activities"), totals[2], "number"),
        Metric(_("New client households"), totals[3], "number"),
    ]
    ctx.step(1.0)
    return ReportData("leaderboard", title, subtitle, ctx.as_of, sections, metrics)
