"""What a chart's drawing function draws into, on any thread: a figure, its hover and click targets, its
margins, or the sentence of its empty state. No Qt here.

A drawing function (``book_charts.draw_*``) takes a target with ``plotting()``, ``hover()``, ``clickable()``,
``set_empty()`` and ``keep()``. On the window, ``ChartCanvas.draw_later`` runs it on the compute worker with
a ``Plot`` as the target, renders the figure there too, and hands the ``Plot`` back to the canvas, which
adopts the figure and its targets on the GUI thread; the GUI thread never plots or lays out a chart
(issue 21: each chart's plotting held the window's event loop 20-60 ms at start).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from matplotlib.figure import Figure

HoverText = str | Callable[[int | None], str]
Margins = tuple[int, int, int, int]
DEFAULT_MARGINS: Margins = (48, 16, 14, 36)  # left (a minimum), right, top, bottom (px)
CHAR_PX = 6.0  # width of a tick-label character at the chart font size, for the left margin


@dataclass
class Plot:
    """One drawing of a chart: built on the compute worker, adopted by the canvas on the GUI thread."""

    figure: Figure
    facecolor: str
    margins: Margins = DEFAULT_MARGINS
    hovers: list[tuple[Any, HoverText]] = field(default_factory=list)
    clicks: list[tuple[Any, object]] = field(default_factory=list)
    empty: tuple[str, str] | None = None  # (title, text) when there is nothing to draw
    kept: dict[str, Any] = field(default_factory=dict)  # named artists for tests and keyboard access

    @contextmanager
    def plotting(self, margins: Margins | None = None) -> Iterator[Figure]:
        self.margins = margins or DEFAULT_MARGINS
        self.figure.set_facecolor(self.facecolor)
        yield self.figure
        apply_margins(self.figure, self.margins)

    def hover(self, artist: Any, text: HoverText) -> None:
        self.hovers.append((artist, text))

    def clickable(self, artist: Any, payload: object) -> None:
        self.clicks.append((artist, payload))

    def set_empty(self, title: str, text: str) -> None:
        self.empty = (title, text)

    def keep(self, name: str, value: Any) -> None:
        self.kept[name] = value


def apply_margins(figure: Figure, margins: Margins) -> None:
    """Fixed margins in pixels instead of a layout engine (which measures every label on every draw), the
    left one widened for the longest y tick label."""
    width, height = figure.get_size_inches() * figure.dpi
    if width < 50 or height < 50:
        return
    left, right, top, bottom = margins
    left = max(left, label_room(figure))
    figure.subplots_adjust(
        left=left / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        hspace=0.12,
    )


def label_room(figure: Figure) -> int:
    """Pixels the y tick labels and the axis label need, estimated from the labels' text (no text layout:
    measuring every label is what makes layout engines slow), so that long labels ("250 mil US$", a rule
    name) are never cut off in any language."""
    room = 0
    for ax in figure.axes:
        low, high = sorted(ax.get_ylim())
        ticks = [t for t in ax.get_yticks() if low <= t <= high]
        try:
            labels = ax.yaxis.get_major_formatter().format_ticks(ticks)
        except Exception:  # a formatter that needs a drawn axis
            labels = []
        longest = max((len(str(label)) for label in labels), default=0)
        room = max(room, int(longest * CHAR_PX) + (22 if ax.get_ylabel() else 0) + 14)
    return room


class ChartTarget(Protocol):
    """What a drawing function draws into: a ``Plot`` on the worker, or the ``ChartCanvas`` itself."""

    def plotting(self, margins: Margins | None = None) -> AbstractContextManager[Figure]: ...

    def hover(self, artist: Any, text: HoverText) -> None: ...

    def clickable(self, artist: Any, payload: object) -> None: ...

    def set_empty(self, title: str, text: str) -> None: ...

    def keep(self, name: str, value: Any) -> None: ...
