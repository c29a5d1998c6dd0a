"""The two charts of one household's page (client dashboard and meeting view): assets by account type, and fees.

The assets chart never adds the accounts held elsewhere to the managed ones: the managed accounts are
stacked by type under a line that ends on the "Managed assets" tile, and those held elsewhere are dashed
lines of their own, named by account type like the allocation table beside the chart.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from actdesk.domain.enums import ACCOUNT_TYPE_LABELS, AccountType
from actdesk.i18n import _, format_money
from actdesk.services.dashboard.client import ClientDashboard, assets_by_type
from actdesk.services.dashboard.tiles import CLIENT as CLIENT_TILES
from actdesk.ui import theme
from actdesk.ui.charts import style
from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.dashboard.book_charts import LEGEND_ABOVE, month_label, month_ticks

MANAGED_TOTAL = "managed-total"  # gid of the line that ends on the "Managed assets" tile
HELD_AWAY = "held-away"  # gid of each line of an account type held elsewhere


def draw_assets(chart: ChartCanvas, data: ClientDashboard) -> None:
    """Managed accounts stacked by account type under a line that ends on the "Managed assets" tile; the
    accounts held elsewhere drawn apart, as dashed lines that are not added to them (the allocation table
    beside it names the same account types)."""
    if data.balances.empty:
        chart.set_empty(_("No balances yet"), _("Balances arrive with an import or a custodian feed."))
        return
    series = assets_by_type(data.balances)
    days = series.days
    x = np.arange(len(days))
    managed = [account_type_label(t) for t in series.managed]
    held = [
        _("{account_type}, held elsewhere").format(account_type=account_type_label(t))
        for t in series.held_away
    ]
    entries = len(managed) + len(held) + (1 if managed else 0)
    legend_rows = -(-entries // 2)  # two entries a row, above the chart (not over the data)
    colors = [theme.CHART_COLORS[i % len(theme.CHART_COLORS)] for i in range(len(managed) + len(held))]
    with chart.plotting((48, 16, 14 + 16 * legend_rows, 36)) as fig:
        ax = fig.subplots()
        handles: list[Any] = []
        if managed:
            stacks = ax.stackplot(
                x,
                list(series.managed.values()),
                labels=managed,
                colors=colors[: len(managed)],
                alpha=0.85,
            )
            totals = series.managed_total
            (line,) = ax.plot(
                x,
                totals,
                color=theme.colors().text,
                linewidth=1.2,
                label=CLIENT_TILES["managed"].caption(),
            )
            line.set_gid(MANAGED_TOTAL)
            chart.hover(
                line,
                lambda i: (
                    ""
                    if i is None
                    else _("{month}: {amount} managed").format(
                        month=month_label(days[i]), amount=format_money(totals[i])
                    )
                ),
            )
            for poly, name in zip(stacks, managed, strict=True):
                chart.hover(poly, name)
            handles += [line, *stacks]
        for (values, name), color in zip(
            zip(series.held_away.values(), held, strict=True), colors[len(managed) :], strict=True
        ):
            (away,) = ax.plot(x, values, color=color, linewidth=1.6, linestyle="--", label=name)
            away.set_gid(HELD_AWAY)
            chart.hover(away, _held_text(name, days, values))
            handles.append(away)
        style.money_axis(ax.yaxis)
        ax.set_ylim(bottom=0)
        ax.set_ylabel(_("Balance ({currency})").format(currency=_symbol()))
        ax.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            fontsize=theme.CHART_TICK_SIZE,
            ncols=2,
        )
        month_ticks(ax, days, every=6)


def draw_fees(chart: ChartCanvas, data: ClientDashboard, total: float) -> None:
    frame = data.revenue
    if frame.empty or total == 0:
        chart.set_empty(_("No fees yet"), _("Fees appear once they are billed or imported."))
        return
    days = list(frame["month"])
    x = np.arange(len(days))
    with chart.plotting(LEGEND_ABOVE) as fig:
        ax = fig.subplots()
        rec = ax.bar(x, frame["recurring"], 0.7, color=theme.CHART_COLORS[0], label=_("Recurring"))
        one = ax.bar(
            x,
            frame["one_off"],
            0.7,
            bottom=frame["recurring"],
            color=theme.CHART_COLORS[2],
            label=_("One-off"),
        )
        for i in range(len(days)):
            text = _("{month}: {amount}").format(
                month=month_label(days[i]),
                amount=format_money(frame["recurring"].iloc[i] + frame["one_off"].iloc[i]),
            )
            chart.hover(rec[i], text)
            chart.hover(one[i], text)
        style.money_axis(ax.yaxis)
        ax.set_ylabel(_("Fees a month ({currency})").format(currency=_symbol()))
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize=theme.CHART_TICK_SIZE, ncols=2)
        month_ticks(ax, days, every=6)


def account_type_label(kind: str) -> str:
    """An account type as the allocation table and the chart's legend name it ("IRA", "Fideicomiso")."""
    try:
        return _(ACCOUNT_TYPE_LABELS[AccountType(kind)])
    except (ValueError, KeyError):
        return _("Other")


def _held_text(name: str, days: list[Any], values: list[float]) -> Callable[[int | None], str]:
    return lambda i: (
        ""
        if i is None
        else _("{month}: {amount}").format(month=month_label(days[i]), amount=format_money(values[i]))
        + f" · {name}"
    )


def _symbol() -> str:
    from actdesk.ui.dashboard.book_charts import _currency_symbol

    return _currency_symbol()
