"""Investment report: where the assets sit (account type, custodian) and how much of them we manage."""

from __future__ import annotations

from collections import defaultdict

from actdesk.domain.analytics.aum import money
from actdesk.i18n import _
from actdesk.services.reports.base import ACCOUNT_TYPES, ReportContext, as_of_subtitle, in_currency, label
from actdesk.services.reports.model import ChartSpec, Column, Metric, ReportData, Section, Series, table
from actdesk.storage.repositories.reports import AccountBalance, account_balances


def _share(part: int, whole: int) -> float | None:
    return None if whole <= 0 else part / whole


def _grouped(
    balances: list[AccountBalance], key: str, names: dict[str, str] | None
) -> list[tuple[str, int, int, int]]:
    """(label, accounts, managed cents, held-away cents) per group, largest total first."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for b in balances:
        raw = getattr(b, key)
        name = label(names, raw) if names is not None else (raw or _("Unknown"))
        g = groups[name]
        g[0] += 1
        g[1 if b.managed else 2] += b.cents
    return sorted(((n, g[0], g[1], g[2]) for n, g in groups.items()), key=lambda r: (-(r[2] + r[3]), r[0]))


def _group_section(key: str, title: str, first: str, groups: list[tuple[str, int, int, int]]) -> Section:
    total = sum(g[2] + g[3] for g in groups)
    columns = (
        Column("group", first, "text"),
        Column("accounts", _("Accounts"), "number"),
        Column("managed", _("Managed"), "money"),
        Column("held_away", _("Held away"), "money"),
        Column("total", _("Total"), "money"),
        Column("share", _("Share of assets"), "percent"),
    )
    rows = [(n, a, money(m), money(h), money(m + h), _share(m + h, total)) for n, a, m, h in groups]
    totals = (
        _("Total"),
        sum(g[1] for g in groups),
        money(sum(g[2] for g in groups)),
        money(sum(g[3] for g in groups)),
        money(total),
        1.0 if total > 0 else None,
    )
    chart = ChartSpec(
        "barh",
        title,
        tuple(g[0] for g in groups),
        (
            Series(_("Managed"), tuple(g[2] / 100 for g in groups)),
            Series(_("Held away"), tuple(g[3] / 100 for g in groups)),
        ),
        unit="money",
        y_label=in_currency(_("Assets")),
    )
    return Section(key, title, table=table(columns, rows, totals), chart=chart)


def build(ctx: ReportContext) -> ReportData:
    ctx.step(0.1, _("Reading accounts and balances"))
    with ctx.book.reader() as s:
        balances = account_balances(s, ctx.as_of)
    title = _("Investment report")
    subtitle = as_of_subtitle(ctx.as_of)
    if not balances:
        return ReportData(
            "investment",
            title,
            subtitle,
            ctx.as_of,
            [],
            empty=_(
                "No accounts of client households yet. Import accounts with their custodian, type and "
                "balances (or open the demo book) to see where the assets sit."
            ),
        )
    ctx.step(0.5, _("Grouping assets"))
    managed = sum(b.cents for b in balances if b.managed)
    held = sum(b.cents for b in balances if not b.managed)
    households = {b.household_id for b in balances}
    split = ChartSpec(
        "donut",
        _("Managed vs held-away assets"),
        (_("Managed"), _("Held away")),
        (Series(_("Assets"), (managed / 100, held / 100)),),
        unit="money",
    )
    split_table = table(
        (
            Column("kind", _("Assets"), "text"),
            Column("amount", _("Amount"), "money"),
            Column("share", _("Share"), "percent"),
        ),
        [
            (_("Managed"), money(managed), _share(managed, managed + held)),
            (_("Held away"), money(held), _share(held, managed + held)),
        ],
        (_("Total"), money(managed + held), 1.0 if managed + held > 0 else None),
    )
    sections = [
        Section(
            "managed",
            _("Managed vs held-away assets"),
            table=split_table,
            chart=split,
            note=_(
                "Held-away assets are the households' accounts we know of but do not manage: the room to "
                "grow share of wallet."
            ),
        ),
        _group_section(
            "by_type",
            _("Assets by account type"),
            _("Account type"),
            _grouped(balances, "type", ACCOUNT_TYPES),
        ),
        _group_section(
            "by_custodian", _("Assets by custodian"), _("Custodian"), _grouped(balances, "custodian", None)
        ),
    ]
    ctx.step(0.8, _("Listing held-away opportunities"))
    by_household: dict[int, list[int | str]] = {}
    for b in balances:
        entry = by_household.setdefault(b.household_id, [b.household, 0, 0])
        entry[1 if b.managed else 2] = int(entry[1 if b.managed else 2]) + b.cents
    biggest = sorted(
        (e for e in by_household.values() if int(e[2]) > 0), key=lambda e: (-int(e[2]), str(e[0]))
    )[:15]
    if biggest:
        sections.append(
            Section(
                "held_away_households",
                _("Largest held-away assets"),
                table=table(
                    (
                        Column("household", _("Household"), "text"),
                        Column("managed", _("Managed"), "money"),
                        Column("held_away", _("Held away"), "money"),
                        # managed / (managed + held away): not share of wallet (of net worth)
                        Column("sow", _("Share of investable assets"), "percent"),
                    ),
                    [
                        (
                            str(e[0]),
                            money(int(e[1])),
                            money(int(e[2])),
                            _share(int(e[1]), int(e[1]) + int(e[2])),
                        )
                        for e in biggest
                    ],
                ),
            )
        )
    metrics = [
        Metric(_("Client households with accounts"), len(households), "number"),
        Metric(_("Managed assets"), money(managed), "money"),
        Metric(_("Held-away assets"), money(held), "money"),
        Metric(_("Managed share"), _share(managed, managed + held), "percent"),
    ]
    ctx.step(1.0)
    return ReportData("investment", title, subtitle, ctx.as_of, sections, metrics)
