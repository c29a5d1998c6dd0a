"""Incentive compensation: trailing-12-month production per owner, paid out at the configured grid.

The catalogue marks this report ``requires="view_compensation"``: what an assistant may not see once the
team server enforces roles."""

from __future__ import annotations

from decimal import Decimal

from actdesk.domain.analytics.aum import money
from actdesk.domain.analytics.dates import shift_months
from actdesk.i18n import _, format_money, format_percent
from actdesk.services.reports.base import ReportContext, as_of_subtitle, in_currency
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.services.reports.payout import grid_payout, total_payout
from actdesk.storage.repositories.reports import fees_by_owner


def owner_label(owner: str | None) -> str:
    return owner.strip() if owner and owner.strip() else _("Unassigned")


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading production"))
    start = shift_months(ctx.as_of, -12)
    with ctx.book.reader() as s:
        production = fees_by_owner(s, start, ctx.as_of)
    title = _("Incentive compensation")
    subtitle = as_of_subtitle(ctx.as_of, _("trailing 12 months"))
    tiers = ctx.settings.tiers()
    if not production:
        return ReportData(
            "compensation",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No fees in the last 12 months. Import fee records to compute compensation at the payout grid."
            ),
        )
    ctx.step(0.5, _("Applying the payout grid"))
    owners = sorted(production.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), owner_label(kv[0])))
    rows = []
    for owner, (recurring, one_off) in owners:
        total = money(recurring + one_off)
        pay = total_payout(total, tiers)
        rows.append(
            (
                owner_label(owner),
                money(recurring),
                money(one_off),
                total,
                pay,
                None if total <= 0 else float(pay / total),
            )
        )
    book_total = sum((r[3] for r in rows), Decimal("0.00"))
    book_pay = sum((r[4] for r in rows), Decimal("0.00"))
    columns = (
        Column("owner", _("Owner"), "text"),
        Column("recurring", _("Recurring"), "money"),
        Column("one_off", _("One-off"), "money"),
        Column("production", _("Production"), "money"),
        Column("payout", _("Payout"), "money"),
        Column("rate", _("Effective rate"), "percent"),
    )
    sections = [
        Section(
            "by_owner",
            _("Production and payout by owner"),
            table=table(
                columns,
                rows,
                (
                    _("Total"),
                    sum((r[1] for r in rows), Decimal("0.00")),
                    sum((r[2] for r in rows), Decimal("0.00")),
                    book_total,
                    book_pay,
                    None,
                ),
            ),
            chart=ChartSpec(
                "bar",
                _("Production and payout by owner"),
                tuple(r[0] for r in rows),
                (
                    Series(_("Production"), tuple(float(r[3]) for r in rows)),
                    Series(_("Payout"), tuple(float(r[4]) for r in rows)),
                ),
                unit="money",
                y_label=in_currency(_("12 months")),
            ),
            note=_(
                "Production is the fees of each owner's households dated in the 12 months to the as-of date."
            ),
        )
    ]
    grid_rows = []
    for t in grid_payout(book_total, tiers):
        band = (
            _("{floor} and over").format(floor=format_money(t.floor, cents=False))
            if t.ceiling is None
            else _("{floor} to {ceiling}").format(
                floor=format_money(t.floor, cents=False), ceiling=format_money(t.ceiling, cents=False)
            )
        )
        grid_rows.append((band, float(t.rate), t.production, t.payout))
    sections.append(
        Section(
            "grid",
            _("The practice's production through the grid"),
            table=table(
                (
                    Column("tier", _("Production tier"), "text"),
                    Column("rate", _("Payout rate"), "percent"),
                    Column("production", _("Production in tier"), "money"),
                    Column("payout", _("Payout"), "money"),
                ),
                grid_rows,
                (_("Total"), None, book_total, sum((r[3] for r in grid_rows), Decimal("0.00"))),
            ),
            note=_(
                "Each rate applies to the production between its floor and the next (settings: reports, "
                "payout_grid); the top rate is {rate}."
            ).format(rate=format_percent(float(tiers[-1][1]), 0)),
        )
    )
    metrics = [
        Metric(_("Production (12 months)"), book_total, "money"),
        Metric(_("Payout"), book_pay, "money"),
        Metric(_("Effective rate"), None if book_total <= 0 else float(book_pay / book_total), "percent"),
    ]
    ctx.step(1.0)
    return ReportData("compensation", title, subtitle, ctx.as_of, sections, metrics)
