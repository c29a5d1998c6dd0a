"""The one chart style: the window's palette and fonts (``theme.chart_rc``) and locale-aware tick labels."""

from __future__ import annotations

from typing import Any

from actdesk.formats import format_money_compact
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
    """ "$1.2M" in the user's locale and currency (full amounts go in tooltips): ``actdesk.formats``."""
    return format_money_compact(value)


def money_axis(axis: Any) -> None:
    """Money tick labels on a matplotlib ``Axis`` (``ax.yaxis``): one unit and precision for every tick."""
    from actdesk.services.reports.charts import axis_formatter

    axis.set_major_formatter(axis_formatter("money"))


def number_axis(axis: Any) -> None:
    from actdesk.services.reports.charts import axis_formatter

    axis.set_major_formatter(axis_formatter("number"))


def percent_axis(axis: Any, digits: int = 0) -> None:
    from actdesk.services.reports.charts import axis_formatter

    axis.set_major_formatter(axis_formatter("percent"))


def muted() -> str:
    return theme.colors().muted


def positive_negative() -> tuple[str, str]:
    """Colours of gains and losses (flows in, flows out) readable on both palettes."""
    return ("#15803D" if not theme.is_dark() else "#4ADE80", theme.colors().danger)
