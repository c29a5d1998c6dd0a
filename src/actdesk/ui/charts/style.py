"""The one chart style: the window's palette and fonts (``theme.chart_rc``) and locale-aware tick labels."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_compact_currency, format_compact_decimal

from actdesk.i18n import current_currency, current_locale, format_money, format_percent
from actdesk.ui import theme


def rc() -> dict[str, Any]:
    """rcParams for ``matplotlib.rc_context``, read at every redraw so that a light/dark switch follows."""
    params = dict(theme.chart_rc())
    params["axes.prop_cycle"] = _cycler()
    params["figure.autolayout"] = False
    return params


def _cycler() -> Any:
    from cycler import cycler

    return cycler(color=list(theme.CHART_COLORS))


def compact_money(value: float) -> str:
    """Axis ticks: "$1.2M" in the user's locale and currency (full amounts go in tooltips)."""
    if abs(value) < 1000:
        return format_money(round(value), cents=False)
    return format_compact_currency(value, current_currency(), locale=current_locale(), fraction_digits=1)


def compact_number(value: float) -> str:
    return format_compact_decimal(value, locale=current_locale(), fraction_digits=1)


def money_axis(axis: Any) -> None:
    """Money tick labels on a matplotlib ``Axis`` (``ax.yaxis``)."""
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: compact_money(v)))


def percent_axis(axis: Any, digits: int = 0) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_percent(v, digits)))


def muted() -> str:
    return theme.colors().muted


def series_colors() -> tuple[str, ...]:
    return theme.CHART_COLORS


def positive_negative() -> tuple[str, str]:
    """Colours of gains and losses (flows in, flows out) readable on both palettes."""
    return ("#15803D" if not theme.is_dark() else "#4ADE80", theme.colors().danger)
