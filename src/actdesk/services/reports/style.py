"""The one matplotlib style of actdesk charts, free of Qt so that PDF exports and the window share it.

``actdesk.ui.theme`` takes its accent and chart constants from here (services cannot import the Qt theme),
so the window and the exports cannot drift apart. Use with ``matplotlib.rc_context(chart_rc())``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

ACCENT = "#2563EB"
CHART_COLORS: tuple[str, ...] = (
    ACCENT,
    "#0EA5A4",  # teal
    "#F59E0B",  # amber
    "#8B5CF6",  # violet
    "#EF4444",  # red
    "#10B981",  # green
    "#64748B",  # slate
    "#EC4899",  # pink
)
FONT_FAMILY = ["Inter", "Segoe UI", "Helvetica Neue", "DejaVu Sans", "Arial"]
FONT_SIZE = 9
TITLE_SIZE = 11
TICK_SIZE = 8
LINE_WIDTH = 1.8
GRID_ALPHA = 0.35


@dataclass(frozen=True)
class Palette:
    surface: str
    surface_alt: str
    border: str
    text: str
    muted: str
    accent: str


LIGHT = Palette("#FFFFFF", "#F8F9FB", "#DDE1E6", "#1F2937", "#6B7280", ACCENT)
DARK = Palette("#1F2226", "#25292E", "#363B42", "#E5E7EB", "#9CA3AF", "#60A5FA")


def palette(dark: bool = False) -> Palette:
    return DARK if dark else LIGHT


class ChartColors(Protocol):
    """The colours a chart takes from its surroundings: a Palette here, the window's theme in ui/."""

    @property
    def surface(self) -> str: ...
    @property
    def border(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def muted(self) -> str: ...


def chart_rc(dark: bool = False, colors: ChartColors | None = None) -> Any:
    """rcParams (a dict) for ``matplotlib.rc_context``: printed reports use the light palette; the window
    passes its own theme's ``colors``. Every other setting (bold titles on the left, no TeX) is the same."""
    c = colors if colors is not None else palette(dark)
    return {
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILY,
        "font.size": FONT_SIZE,
        "axes.titlesize": TITLE_SIZE,
        "axes.titleweight": "bold",
        "axes.titlelocation": "left",
        "axes.labelsize": FONT_SIZE,
        "xtick.labelsize": TICK_SIZE,
        "ytick.labelsize": TICK_SIZE,
        "axes.prop_cycle": f"cycler('color', {list(CHART_COLORS)!r})",
        "figure.facecolor": c.surface,
        "axes.facecolor": c.surface,
        "savefig.facecolor": c.surface,
        "axes.edgecolor": c.border,
        "axes.labelcolor": c.text,
        "axes.titlecolor": c.text,
        "text.color": c.text,
        "xtick.color": c.muted,
        "ytick.color": c.muted,
        "grid.color": c.border,
        "grid.alpha": GRID_ALPHA,
        "axes.grid": True,
        "axes.grid.axis": "y",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.spines.left": False,
        "lines.linewidth": LINE_WIDTH,
        "legend.frameon": False,
        "legend.fontsize": TICK_SIZE,
        "pdf.fonttype": 3,  # subset fonts (fast to write); text stays selectable and searchable
        "svg.fonttype": "none",
        "text.parse_math": False,  # "$250,000 to $500,000" is money, not TeX
    }
