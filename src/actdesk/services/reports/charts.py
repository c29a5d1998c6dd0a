"""Draw a ``ChartSpec`` on a matplotlib ``Figure`` (never pyplot): one drawing for PDF, PNG/SVG and the window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from actdesk.formats import axis_labels, format_percent, value_label
from actdesk.services.reports.model import ChartSpec, Unit
from actdesk.services.reports.style import CHART_COLORS, chart_rc, palette

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

MAX_LABEL = 28


def compact(value: float, unit: Unit) -> str:
    """One value drawn on a chart in the user's locale: $1.2M, $350K, 45%, 1.2K (``actdesk.formats``)."""
    return value_label(value, unit)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _value_axis(ax: Axes, unit: Unit, axis: str = "y") -> None:
    from matplotlib.ticker import MaxNLocator

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(axis_formatter(unit))
    target.set_major_locator(MaxNLocator(nbins=5, integer=unit == "number"))


def axis_formatter(unit: Unit) -> Any:
    """Tick labels that share one unit and one precision per axis ("$100K, $150K", never "$106K" beside
    "$147.9K"): matplotlib hands the formatter every tick of the axis at once."""
    from matplotlib.ticker import Formatter

    class AxisFormatter(Formatter):
        def format_ticks(self, values: Any) -> list[str]:
            return axis_labels([float(v) for v in values], unit)

        def __call__(self, x: float, pos: int | None = None) -> str:
            return value_label(x, unit)

    return AxisFormatter()


def _legend(ax: Axes, count: int) -> None:
    """A legend above the plot, right-aligned (the title sits on the left), whenever there is more than one
    series: inside the figure, so no fixed margin or export cuts it off."""
    if count > 1:
        ax.legend(
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=min(count, 3),
            frameon=False,
            borderaxespad=0.2,
            fontsize=8,
        )


def _thin_labels(ax: Axes, labels: tuple[str, ...]) -> None:
    """At most about 13 category labels on the x axis, so they never collide."""
    step = max(1, -(-len(labels) // 13))
    ax.set_xticks(range(0, len(labels), step))
    ax.set_xticklabels([_short(labels[i]) for i in range(0, len(labels), step)])


def draw(spec: ChartSpec, fig: Figure, dark: bool = False) -> None:
    """Draw ``spec`` filling ``fig`` (cleared first)."""
    import matplotlib

    with matplotlib.rc_context(chart_rc(dark)):
        fig.clear()
        fig.set_facecolor(palette(dark).surface)
        ax = fig.add_subplot(1, 1, 1)
        draw_on(ax, spec, dark)
        fig.tight_layout()


def draw_on(ax: Axes, spec: ChartSpec, dark: bool = False, title: bool = True) -> None:
    """Draw ``spec`` on an existing axes (call inside ``rc_context(chart_rc(dark))``)."""
    ax.set_facecolor(palette(dark).surface)
    if not spec.series or not spec.labels:
        ax.set_axis_off()
        return
    ax.set_axisbelow(True)
    ax.tick_params(length=0)
    _DRAWERS[spec.kind](ax, spec, dark)
    if title:
        ax.set_title(spec.title, loc="left", pad=22 if len(spec.series) > 1 and spec.kind != "donut" else 10)
    value_label_text, category_label = spec.y_label, spec.x_label
    if spec.kind == "barh":
        ax.set_xlabel(value_label_text)
        ax.set_ylabel(category_label)
    elif spec.kind != "donut":
        ax.set_ylabel(value_label_text)
        ax.set_xlabel(category_label)


def _bar(ax: Axes, spec: ChartSpec, dark: bool) -> None:
    n = len(spec.series)
    width = 0.8 / max(n, 1)
    xs = range(len(spec.labels))
    for i, series in enumerate(spec.series):
        offset = (i - (n - 1) / 2) * width
        ax.bar(
            [x + offset for x in xs],
            series.values,
            width * 0.92,
            label=series.name,
            color=CHART_COLORS[i % 8],
        )
    _thin_labels(ax, spec.labels)
    _narrow(ax, len(spec.labels))
    _value_axis(ax, spec.unit)
    _legend(ax, n)


def _narrow(ax: Axes, categories: int) -> None:
    """One or two categories: keep the bars a sensible width instead of filling the whole axes."""
    if categories <= 2:
        ax.set_xlim(-1.2, categories - 1 + 1.2)


def _stacked(ax: Axes, spec: ChartSpec, dark: bool) -> None:
    bottoms = [0.0] * len(spec.labels)
    for i, series in enumerate(spec.series):
        ax.bar(
            range(len(spec.labels)),
            series.values,
            0.7,
            bottom=bottoms,
            label=series.name,
            color=CHART_COLORS[i % 8],
        )
        bottoms = [b + v for b, v in zip(bottoms, series.values, strict=True)]
    _thin_labels(ax, spec.labels)
    _narrow(ax, len(spec.labels))
    ax.tick_params(axis="x", length=0)
    _value_axis(ax, spec.unit)
    _legend(ax, len(spec.series))


def _barh(ax: Axes, spec: ChartSpec, dark: bool) -> None:
    ys = list(range(len(spec.labels)))
    lefts = [0.0] * len(ys)
    for i, series in enumerate(spec.series):
        ax.barh(ys, series.values, 0.68, left=lefts, label=series.name, color=CHART_COLORS[i % 8])
        lefts = [left + v for left, v in zip(lefts, series.values, strict=True)]
    ax.set_yticks(ys)
    ax.set_yticklabels([_short(x) for x in spec.labels])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", visible=True)
    ax.tick_params(axis="y", length=0)
    ax.spines["bottom"].set_visible(False)
    _value_axis(ax, spec.unit, "x")
    top = max(lefts, default=0.0) or 1.0
    ax.set_xlim(0, top * 1.16)
    ends = axis_labels(lefts, spec.unit)  # one unit and precision for every bar's figure
    for y, total, text in zip(ys, lefts, ends, strict=True):
        ax.text(
            total + top * 0.01,
            y,
            text,
            va="center",
            fontsize=7.5,
            color=palette(dark).muted,
        )
    _legend(ax, len(spec.series))


def _line(ax: Axes, spec: ChartSpec, dark: bool) -> None:
    xs = list(range(len(spec.labels)))
    for i, series in enumerate(spec.series):
        color = CHART_COLORS[i % 8]
        ax.plot(xs, series.values, label=series.name, color=color)
        if i == 0 and len(spec.series) == 1:
            low = min(series.values, default=0.0)
            ax.fill_between(xs, series.values, low, color=color, alpha=0.08)
        if series.values:
            ax.annotate(
                compact(series.values[-1], spec.unit),
                (xs[-1], series.values[-1]),
                textcoords="offset points",
                xytext=(4, 4),
                fontsize=8,
                color=color,
            )
    _thin_labels(ax, spec.labels)
    ax.margins(x=0.02)
    _value_axis(ax, spec.unit)
    _legend(ax, len(spec.series))


def _donut(ax: Axes, spec: ChartSpec, dark: bool) -> None:
    values = spec.series[0].values if spec.series else ()
    total = sum(values) or 1.0
    wedges, _texts = ax.pie(
        values,
        colors=[CHART_COLORS[i % 8] for i in range(len(values))],
        startangle=90,
        counterclock=False,
        wedgeprops={"width": 0.38, "edgecolor": palette(dark).surface, "linewidth": 2},
    )
    centre = compact(sum(values), spec.unit)
    ax.text(0, 0, centre, ha="center", va="center", fontsize=_centre_size(ax, centre), fontweight="bold")
    ax.legend(
        wedges,
        [
            f"{_short(lbl)}  {format_percent(v / total, 0)}"
            for lbl, v in zip(spec.labels, values, strict=True)
        ],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
    )
    ax.set_aspect("equal")
    ax.grid(False)


def _centre_size(ax: Axes, text: str, largest: float = 12.0) -> float:
    """The font size at which ``text`` fits inside the donut's hole ("188,6 M US$" is twice "$189M")."""
    from matplotlib.figure import Figure

    fig = ax.get_figure(root=True)
    if not isinstance(fig, Figure):
        return largest
    box = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    width_pt = box.width * fig_w * 72
    height_pt = box.height * fig_h * 72
    hole_pt = 2 * 0.62 * min(width_pt, height_pt) / 2.2  # inner diameter: radius 1 - ring width 0.38
    fitting = 0.8 * hole_pt / (0.62 * max(len(text), 1))  # a bold digit is about 0.62 em wide
    return float(max(6.0, min(largest, fitting)))


_DRAWERS = {"bar": _bar, "stacked_bar": _stacked, "barh": _barh, "line": _line, "donut": _donut}


def figure_for(
    spec: ChartSpec, width_in: float = 7.0, height_in: float | None = None, dark: bool = False
) -> Figure:
    """A new Figure (no pyplot, no global state) with ``spec`` drawn; horizontal bars grow with their rows."""
    from matplotlib.figure import Figure

    if height_in is None:
        height_in = max(2.4, 0.26 * len(spec.labels) + 1.0) if spec.kind == "barh" else 2.8
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    draw(spec, fig, dark)
    return fig


def save_chart(spec: ChartSpec, path: str, fmt: str, dpi: int = 200) -> None:
    """PNG or SVG of one chart."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    fig = figure_for(spec)
    if fmt == "svg":
        FigureCanvasSVG(fig)
    else:
        FigureCanvasAgg(fig)
    with matplotlib.rc_context(chart_rc()):
        fig.savefig(path, format=fmt, dpi=dpi)
