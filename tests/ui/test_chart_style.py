"""One matplotlib style for the window and the printed reports (services/reports/style.py); the window only
swaps in its theme's colours. The window's copy had lost the bold titles and ``text.parse_math: False``."""

from __future__ import annotations

from actdesk.services.reports import style
from actdesk.ui import theme

COLOURS = {"figure.facecolor", "axes.facecolor", "savefig.facecolor", "axes.edgecolor", "axes.labelcolor"}
COLOURS |= {"axes.titlecolor", "text.color", "xtick.color", "ytick.color", "grid.color"}


def test_the_window_and_the_reports_share_every_setting_but_colours() -> None:
    window, printed = theme.chart_rc(dark=False), style.chart_rc()
    assert window.keys() == printed.keys()
    assert {k: v for k, v in window.items() if k not in COLOURS} == {
        k: v for k, v in printed.items() if k not in COLOURS
    }
    assert window["axes.titleweight"] == "bold" and window["text.parse_math"] is False


def test_the_window_takes_its_theme_colours() -> None:
    dark = theme.chart_rc(dark=True)
    assert dark["axes.facecolor"] == theme.DARK.surface and dark["text.color"] == theme.DARK.text
    assert style.chart_rc(dark=True)["axes.facecolor"] == style.DARK.surface
