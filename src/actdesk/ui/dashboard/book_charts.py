"""The book dashboard's charts, drawn from ``BookDashboard`` data (all numbers from the analytics engine).

Each function draws one chart into a ``ChartTarget`` (``ChartCanvas.draw_later`` runs it on the compute
worker; nothing here may touch Qt): months on the x axis as positions labelled in the user's locale,
money ticks compact ("$1.2M") with full amounts in the hover text, and an empty state when the book has no
data for that chart yet.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from actdesk.domain.alerts.model import RULE_TITLES, RuleKey
from actdesk.i18n import _, format_date, format_money, format_number, format_percent, ngettext
from actdesk.services.dashboard.book import BookDashboard, alert_counts
from actdesk.ui import theme
from actdesk.ui.charts import style
from actdesk.ui.charts.plot import ChartTarget

SEGMENT_COLORS = {"A": theme.CHART_COLORS[0], "B": theme.CHART_COLORS[1], "C": theme.CHART_COLORS[2]}


def month_label(day: Any) -> str:
    return format_date(pd.Timestamp(day).date(), "MMM yy")


LEGEND_ABOVE = (48, 16, 30, 36)  # margins (px) with room for a legend above the axes, off the data


def month_ticks(ax: Any, days: Sequence[Any], every: int = 3) -> None:
    """Month positions labelled in the locale, one label every ``every`` months ending on the last."""
    n = len(days)
    ticks = list(range(n - 1, -1, -every))[::-1]
    ax.set_xticks(ticks)
    ax.set_xticklabels([month_label(days[i]) for i in ticks])
    ax.set_xlim(-0.6, n - 0.4)


def _money_text(label: str, day: Any, value: float) -> str:
    return _("{label}, {month}: {amount}").format(
        label=label, month=month_label(day), amount=format_money(value)
    )


def draw_aum(canvas: ChartTarget, data: BookDashboard) -> None:
    frame = data.aum
    if frame.empty or frame["aum"].fillna(0).eq(0).all():
        canvas.set_empty(
            _("No assets yet"),
            _("Monthly AUM appears once accounts have balances (import them or connect a custodian feed)."),
        )
        return
    days = list(frame["date"])
    x = np.arange(len(days))
    gain, loss = style.positive_negative()
    with canvas.plotting(LEGEND_ABOVE) as fig:
        top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2, 1]})
        aum = frame["aum"].to_numpy(dtype=float)
        (line,) = top.plot(x, aum, marker="o", markersize=3, color=theme.CHART_COLORS[0])
        top.fill_between(x, aum, aum.min() * 0.95, alpha=0.08, color=theme.CHART_COLORS[0])
        top.set_ylabel(_("AUM ({currency})").format(currency=_currency_symbol()))
        style.money_axis(top.yaxis)
        canvas.hover(line, lambda i: "" if i is None else _money_text(_("AUM"), days[i], aum[i]))
        flows = frame["net_flows"].fillna(0).to_numpy(dtype=float)
        market = frame["market"].fillna(0).to_numpy(dtype=float)
        width = 0.38
        flow_bars = bottom.bar(
            x - width / 2, flows, width, color=[gain if v >= 0 else loss for v in flows], label=_("Net flows")
        )
        market_bars = bottom.bar(x + width / 2, market, width, color=theme.CHART_COLORS[6], label=_("Market"))
        for bars, label, values in ((flow_bars, _("Net flows"), flows), (market_bars, _("Market"), market)):
            for i, bar in enumerate(bars):
                canvas.hover(bar, _money_text(label, days[i], values[i]))
        bottom.axhline(0, color=theme.colors().border, linewidth=0.8)
        bottom.set_ylabel(_("Change ({currency})").format(currency=_currency_symbol()))
        style.money_axis(bottom.yaxis)
        # above the charts: inside the small flows chart the legend covered its bars
        top.legend(
            handles=[flow_bars, market_bars],
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncols=2,
            fontsize=theme.CHART_TICK_SIZE,
        )
        month_ticks(bottom, days)


def draw_revenue(canvas: ChartTarget, data: BookDashboard) -> None:
    frame = data.revenue
    if frame.empty or frame["total"].fillna(0).eq(0).all():
        canvas.set_empty(_("No fees yet"), _("Fee revenue appears once fees are recorded or imported."))
        return
    days = list(frame["date"])
    x = np.arange(len(days))
    recurring = frame["recurring"].to_numpy(dtype=float)
    one_off = frame["one_off"].to_numpy(dtype=float)
    with canvas.plotting(LEGEND_ABOVE) as fig:
        ax = fig.subplots()
        rec = ax.bar(x, recurring, 0.7, label=_("Recurring"), color=theme.CHART_COLORS[0])
        one = ax.bar(x, one_off, 0.7, bottom=recurring, label=_("One-off"), color=theme.CHART_COLORS[2])
        for i in range(len(days)):
            text = _("{month}: {total} ({recurring} recurring, {one_off} one-off)").format(
                month=month_label(days[i]),
                total=format_money(recurring[i] + one_off[i]),
                recurring=format_money(recurring[i]),
                one_off=format_money(one_off[i]),
            )
            canvas.hover(rec[i], text)
            canvas.hover(one[i], text)
        ax.set_ylabel(_("Fees a month ({currency})").format(currency=_currency_symbol()))
        style.money_axis(ax.yaxis)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=theme.CHART_TICK_SIZE)
        month_ticks(ax, days)


def draw_retention(canvas: ChartTarget, data: BookDashboard) -> None:
    frame = data.retention
    frame = frame[frame["clients_at_start"] > 0] if not frame.empty else frame
    if frame.empty:
        canvas.set_empty(
            _("No retention history yet"),
            _("Retention is measured over 12 months: it appears once the book has clients a year old."),
        )
        return
    x = np.arange(len(frame))
    clients = frame["client_rate"].astype(float).to_numpy()
    # the headline asset retention, as on the tile and in `kpis`: assets kept from departures
    assets = frame["assets_kept_rate"].astype(float).to_numpy()
    with canvas.plotting(LEGEND_ABOVE) as fig:
        ax = fig.subplots()
        bars = ax.bar(x, clients, 0.55, color=theme.CHART_COLORS[0], label=_("Clients kept"))
        (line,) = ax.plot(
            x, assets, marker="o", color=theme.CHART_COLORS[2], label=_("Assets kept from departures")
        )
        for i, (_idx, row) in enumerate(frame.iterrows()):
            canvas.hover(
                bars[i],
                _("12 months to {end}: {rate} of clients kept ({retained} of {start})").format(
                    end=format_date(row["end"]),
                    rate=format_percent(row["client_rate"]),
                    retained=int(row["retained"]),
                    start=int(row["clients_at_start"]),
                ),
            )
        canvas.hover(
            line,
            lambda i: (
                ""
                if i is None
                else _("12 months to {end}: {rate} of assets kept from departures").format(
                    end=format_date(frame.iloc[i]["end"]), rate=format_percent(assets[i])
                )
            ),
        )
        low = np.nanmin(np.concatenate([clients, assets]))
        ax.set_ylim(max(0.0, math.floor(low * 20) / 20 - 0.05), 1.0)
        ax.set_ylabel(_("Kept over 12 months (%)"))
        style.percent_axis(ax.yaxis)
        ax.set_xticks(x)
        ax.set_xticklabels([_("to {end}").format(end=format_date(d, "MMM yyyy")) for d in frame["end"]])
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2, fontsize=theme.CHART_TICK_SIZE)


def draw_wallet(canvas: ChartTarget, data: BookDashboard) -> None:
    frame = data.wallet.dropna(subset=["share_of_wallet"]) if not data.wallet.empty else data.wallet
    if frame.empty:
        canvas.set_empty(
            _("Share of wallet unknown"),
            _("Record the net worth of your clients' primary contacts to see how much of it you manage."),
        )
        return
    days = list(frame["date"])
    values = frame["share_of_wallet"].astype(float).to_numpy()
    x = np.arange(len(days))
    with canvas.plotting() as fig:
        ax = fig.subplots()
        (line,) = ax.plot(
            x,
            values,
            marker="o",
            markersize=3,
            color=theme.CHART_COLORS[1],
            label=_("Share of wallet (managed / net worth)"),
        )
        investable = (data.kpis.get("share_of_wallet") or {}).get("investable_book")
        if investable is not None:  # beside it and labelled apart: the share that moves on consolidation
            ax.axhline(
                float(investable),
                color=theme.CHART_COLORS[2],
                linestyle="--",
                label=_("Share of investable assets today (managed / managed + held away): {share}").format(
                    share=format_percent(float(investable))
                ),
            )
        limits = values if investable is None else np.append(values, float(investable))
        canvas.hover(
            line,
            lambda i: (
                ""
                if i is None
                else _("{month}: you manage {share} of your clients' net worth").format(
                    month=month_label(days[i]), share=format_percent(values[i])
                )
            ),
        )
        span = max(limits.max() - limits.min(), 0.05)
        ax.set_ylim(max(0.0, limits.min() - span), min(1.0, limits.max() + span))
        ax.set_ylabel(_("Share of assets (%)"))
        style.percent_axis(ax.yaxis)
        month_ticks(ax, days)
        ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=1, fontsize=theme.CHART_TICK_SIZE)


def draw_segments(canvas: ChartTarget, data: BookDashboard) -> None:
    """Households per segment a year ago and now; the bars of today drill down to their households."""
    mix = data.kpis.get("segment_mix") or {}
    now = data.kpis.get("segments") or {}
    if not now or sum(f["revenue"] for f in now.values()) <= 0:
        canvas.set_empty(
            _("No client segments yet"),
            _("A, B and C segments rank clients by the fees of the last 12 months: record fees to see them."),
        )
        return
    before = mix.get("at_start") or {}
    change = mix.get("value_change") or {}
    names = ["A", "B", "C"]
    x = np.arange(len(names))
    then_counts = [int(before.get(s, {}).get("households", 0)) for s in names]
    now_counts = [int(now[s]["households"]) for s in names]
    with canvas.plotting() as fig:
        ax = fig.subplots()
        old = ax.bar(x - 0.2, then_counts, 0.38, color=theme.colors().border, label=_("A year ago"))
        new = ax.bar(x + 0.2, now_counts, 0.38, color=[SEGMENT_COLORS[s] for s in names], label=_("Today"))
        top = max(now_counts + then_counts + [1])
        for i, s in enumerate(names):
            canvas.hover(
                old[i],
                ngettext(
                    "Segment {s} a year ago: {n} household",
                    "Segment {s} a year ago: {n} households",
                    then_counts[i],
                ).format(s=s, n=then_counts[i]),
            )
            canvas.hover(
                new[i],
                ngettext(
                    "Segment {s} today: {n} household, {revenue} fees, {aum} AUM. Click to list it.",
                    "Segment {s} today: {n} households, {revenue} fees, {aum} AUM. Click to list them.",
                    now_counts[i],
                ).format(
                    s=s,
                    n=now_counts[i],
                    revenue=format_money(now[s]["revenue"], cents=False),
                    aum=format_money(now[s]["aum"], cents=False),
                ),
            )
            canvas.clickable(new[i], ("segment", s))
            delta = change.get(s)
            if delta is not None:
                sign = "+" if delta >= 0 else ""
                ax.annotate(
                    _("{sign}{value} value").format(sign=sign, value=style.compact_money(float(delta))),
                    (x[i], max(now_counts[i], then_counts[i])),
                    xytext=(0, 4),
                    textcoords="offset points",
                    ha="center",
                    fontsize=theme.CHART_TICK_SIZE,
                    color=style.positive_negative()[0 if delta >= 0 else 1],
                )
        ax.set_ylim(0, top * 1.22)
        ax.set_xticks(x)
        ax.set_xticklabels([_("Segment {s}").format(s=s) for s in names])
        ax.set_ylabel(_("Households"))
        ax.legend(loc="upper left", ncols=2, fontsize=theme.CHART_TICK_SIZE)
        canvas.keep("segment_axes", ax)


def draw_households(canvas: ChartTarget, data: BookDashboard) -> None:
    """Each client household as a point (AUM against fees); a click opens its card."""
    table = data.households
    table = table[(table["aum"] > 0) | (table["revenue_t12m"] > 0)] if not table.empty else table
    if table.empty:
        canvas.set_empty(
            _("No client households yet"),
            _("Each client appears here by assets and fees once balances and fees are recorded."),
        )
        return
    ids = [int(h) for h in table.index]
    aum = table["aum"].clip(lower=1).to_numpy(dtype=float)
    revenue = table["revenue_t12m"].to_numpy(dtype=float)
    colors = [SEGMENT_COLORS.get(str(s), theme.CHART_COLORS[6]) for s in table["segment"]]
    with canvas.plotting((48, 16, 14, 50)) as fig:
        ax = fig.subplots()
        points = ax.scatter(aum, revenue, s=22, c=colors, alpha=0.85, linewidths=0, picker=True)
        ax.set_xscale("log")
        style.money_axis(ax.xaxis)
        style.money_axis(ax.yaxis)
        ax.set_xlabel(_("Managed assets ({currency}, log scale)").format(currency=_currency_symbol()))
        ax.set_ylabel(_("Fees, last 12 months ({currency})").format(currency=_currency_symbol()))
        ax.grid(True, axis="both")
        names = data.names

        def text(i: int | None) -> str:
            if i is None:
                return ""
            return _("{name} ({segment}): {aum} AUM, {fees} fees. Click to open.").format(
                name=names.get(ids[i], ""),
                segment=table.iloc[i]["segment"],
                aum=format_money(aum[i], cents=False),
                fees=format_money(revenue[i], cents=False),
            )

        canvas.hover(points, text)
        from matplotlib.lines import Line2D

        handles = [
            Line2D(
                [], [], marker="o", linestyle="", color=SEGMENT_COLORS[s], label=_("Segment {s}").format(s=s)
            )
            for s in ("A", "B", "C")
        ]
        ax.legend(handles=handles, loc="upper left", fontsize=theme.CHART_TICK_SIZE)
        canvas.clickable(points, lambda i: ("household", ids[i] if i is not None else None))
        canvas.keep("household_points", (ax, ids, aum, revenue))


def draw_alerts(canvas: ChartTarget, data: BookDashboard) -> None:
    counts = alert_counts(data)
    if not counts:
        canvas.set_empty(
            _("No open alerts"),
            _("The alert rules found nothing that needs you today. New alerts appear here by rule."),
        )
        return
    counts = counts[::-1]
    margins = (48, 24, 10, 40)
    labels = [
        _(RULE_TITLES.get(RuleKey(rule), rule)) if rule in RuleKey.__members__.values() else rule
        for rule, _n in counts
    ]
    values = [n for _rule, n in counts]
    with canvas.plotting(margins) as fig:
        ax = fig.subplots()
        bars = ax.barh(np.arange(len(values)), values, 0.6, color=theme.CHART_COLORS[4])
        for i, (rule, n) in enumerate(counts):
            canvas.hover(
                bars[i],
                ngettext(
                    "{rule}: {n} household. Click to list.", "{rule}: {n} households. Click to list.", n
                ).format(rule=labels[i], n=n),
            )
            canvas.clickable(bars[i], ("alert", rule))
            ax.annotate(
                format_number(n),
                (n, i),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=theme.CHART_TICK_SIZE,
            )
        ax.set_yticks(np.arange(len(values)))
        ax.set_yticklabels(labels)
        ax.set_xlabel(_("Open alerts (households)"))
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        ax.set_xlim(0, max(values) * 1.15 + 0.5)


def _currency_symbol() -> str:
    from babel.numbers import get_currency_symbol

    from actdesk.i18n import current_currency, current_locale

    return str(get_currency_symbol(current_currency(), locale=current_locale()))
