"""The PDF of a report: matplotlib ``Figure`` pages written with ``backend_pdf.PdfPages`` (no pyplot).

Each page has the practice's name and the report's title in a header band, the print date and
"Page n of N" in the footer; tables are drawn as text on the page (so they stay selectable and break
between rows), charts are real vector axes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from actdesk.i18n import _, format_date
from actdesk.services.reports.model import NO_PROGRESS, Metric, ProgressSink, ReportData, Table
from actdesk.services.reports.render import PageSetup
from actdesk.services.reports.render.cells import display, is_numeric
from actdesk.services.reports.render.pdf_layout import (
    MARGIN_X,
    NOTE_CHARS,
    NOTE_LINE_H,
    PAPERS,
    ROW_H,
    Block,
    Page,
    header_lines,
    paginate,
    table_header_height,
    wrap_title,
)
from actdesk.services.reports.style import ACCENT, chart_rc, palette

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from actdesk.services.reports.render.pdf_text import FontStyle

CHAR_W = 0.058  # inches per character of 7.5 pt DejaVu Sans, for column widths
BODY = 7.5
C = palette(False)
ZEBRA = "#F3F5F8"


@dataclass(frozen=True)
class Shown:
    """A table's cells as printed, each formatted once (for the column widths and for the page)."""

    rows: list[list[str]]
    totals: list[str] | None

    @classmethod
    def of(cls, table: Table) -> Shown:
        kinds = [c.kind for c in table.columns]
        rows = [[display(v, k) for v, k in zip(row, kinds, strict=True)] for row in table.rows]
        totals = None
        if table.totals is not None:
            totals = [display(v, k) for v, k in zip(table.totals, kinds, strict=True)]
        return cls(rows, totals)


@dataclass(frozen=True)
class TableLayout:
    shown: Shown
    widths: list[float]  # inches per column
    fit: list[int]  # characters per column before a cell is clipped
    head_h: float  # the header band's height in inches


def column_chars(table: Table, shown: Shown | None = None) -> list[int]:
    """Characters each column needs: its widest cell (capped) or its longest header word."""
    shown = shown or Shown.of(table)
    out = []
    for i, col in enumerate(table.columns):
        cells = [r[i] for r in shown.rows[:400]]
        if shown.totals is not None:
            cells.append(shown.totals[i])
        widest = max((len(c) for c in cells), default=0)
        words = max((len(w) for w in col.title.split()), default=0)
        half = -(-len(col.title) // 2) if col.kind != "text" else 0
        out.append(max(min(widest, 42), words, half, 4))
    return out


def widths_in(table: Table, content_w: float, shown: Shown | None = None) -> tuple[list[float], list[int]]:
    """Numbers keep their natural width; text columns share what is left (clipped with an ellipsis)."""
    chars = column_chars(table, shown)
    natural = [c * CHAR_W + 0.16 for c in chars]
    text_cols = [i for i, c in enumerate(table.columns) if c.kind == "text"] or list(range(len(natural)))
    fixed = sum(w for i, w in enumerate(natural) if i not in text_cols)
    flexible = sum(natural[i] for i in text_cols)
    room = content_w - fixed
    widths = list(natural)
    if room >= flexible:
        extra = (room - flexible) / len(text_cols)
        for i in text_cols:
            widths[i] += extra
    else:
        floor = 8 * CHAR_W + 0.16
        scale = max(room, 0.0) / flexible if flexible else 1.0
        for i in text_cols:
            widths[i] = max(natural[i] * scale, min(floor, natural[i]))
        total = sum(widths)
        if total > content_w:  # still too wide: shrink everything alike
            widths = [w * content_w / total for w in widths]
    fit_chars = [max(3, int((w - 0.16) / CHAR_W + 1e-6)) for w in widths]
    return widths, fit_chars


def _clip(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[: max(chars - 1, 1)] + "…"


class _Page:
    def __init__(self, fig: Figure, width: float, height: float) -> None:
        from actdesk.services.reports.render.pdf_text import CellText

        self.fig, self.w, self.h = fig, width, height
        self.cells = CellText()  # the tables
        self.texts = CellText()  # the rest: header, footer, titles, figures, headings, notes
        fig.add_artist(self.cells)
        fig.add_artist(self.texts)

    def cell(self, x: float, top: float, s: str, size: float, weight: str, color: str, right: bool) -> None:
        """One line of table text on its baseline (``pdf_text.py``): left-aligned at ``x``, or ending there."""
        self.cells.add(self.x(x), self.y(top), s, size, weight, color, right)

    def x(self, inches: float) -> float:
        return inches / self.w

    def y(self, inches_from_top: float) -> float:
        return 1 - inches_from_top / self.h

    def text(
        self,
        x: float,
        top: float,
        s: str,
        size: float,
        color: str,
        weight: str = "normal",
        right: bool = False,
        style: FontStyle = "normal",
    ) -> None:
        """One line of the page's own text on its baseline, as ``cell``."""
        self.texts.add(self.x(x), self.y(top), s, size, weight, color, right, style)

    def rect(self, x: float, top: float, w: float, h: float, color: str) -> None:
        from matplotlib.patches import Rectangle

        self.fig.add_artist(
            Rectangle(
                (self.x(x), self.y(top + h)),
                w / self.w,
                h / self.h,
                transform=self.fig.transFigure,
                facecolor=color,
                edgecolor="none",
                zorder=0,
            )
        )

    def hline(self, x: float, top: float, w: float, color: str, lw: float = 0.6) -> None:
        from matplotlib.lines import Line2D

        self.fig.add_artist(
            Line2D(
                [self.x(x), self.x(x + w)],
                [self.y(top)] * 2,
                transform=self.fig.transFigure,
                color=color,
                linewidth=lw,
            )
        )


def plan(report: ReportData, paper: str) -> tuple[list[Page], dict[int, TableLayout]]:
    """The report's pages (which blocks, which rows of each table) and each table's layout, by ``id``."""
    width, _height = PAPERS.get(paper, PAPERS["letter"])
    content_w = width - 2 * MARGIN_X
    geometry: dict[int, TableLayout] = {}
    for section in report.sections:
        if section.table is not None:
            shown = Shown.of(section.table)
            widths, fit = widths_in(section.table, content_w, shown)
            head_h = table_header_height(header_lines(section.table, fit))
            geometry[id(section.table)] = TableLayout(shown, widths, fit, head_h)
    return paginate(report, paper, {k: v.head_h for k, v in geometry.items()}), geometry


def load_pdf_writer() -> None:
    """Import what ``write_pdf`` imports when it runs: matplotlib's figure and PDF backend, the page's lines
    of text and the charts."""
    from actdesk.services.reports.render.pdf_imports import import_pdf_backend

    import_pdf_backend()
    import matplotlib.lines
    import matplotlib.patches  # noqa: F401

    import actdesk.services.reports.charts
    import actdesk.services.reports.render.pdf_text  # noqa: F401


def write_pdf(
    report: ReportData,
    path: Path,
    setup: PageSetup,
    progress: ProgressSink = NO_PROGRESS,
    printed: date | None = None,
) -> None:
    from actdesk.services.reports.render.pdf_imports import import_pdf_backend

    import_pdf_backend()
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    width, height = PAPERS.get(setup.paper, PAPERS["letter"])
    content_w = width - 2 * MARGIN_X
    pages, geometry = plan(report, setup.paper)
    printed = printed or date.today()
    with matplotlib.rc_context(chart_rc(False)), PdfPages(path) as pdf:
        info = pdf.infodict()
        info["Title"] = report.title
        info["Author"] = setup.practice_name
        info["Subject"] = report.subtitle
        info["Creator"] = "actdesk"
        for n, page in enumerate(pages, start=1):
            progress.check()
            progress.progress(n / (len(pages) + 1), _("Page {n} of {total}").format(n=n, total=len(pages)))
            fig = Figure(figsize=(width, height))
            p = _Page(fig, width, height)
            _chrome(p, report, setup, n, len(pages), printed, content_w)
            for top, block in page.blocks:
                _draw_block(p, top, block, report, content_w, geometry)
            pdf.savefig(fig)
    progress.progress(1.0)


def _chrome(
    p: _Page, report: ReportData, setup: PageSetup, n: int, total: int, printed: date, content_w: float
) -> None:
    p.text(MARGIN_X, 0.42, setup.practice_name, 9, C.text, "bold")
    p.text(MARGIN_X + content_w, 0.42, report.title, 8, C.muted, right=True)
    p.hline(MARGIN_X, 0.52, content_w, C.border)
    bottom = p.h - 0.42
    p.hline(MARGIN_X, bottom - 0.17, content_w, C.border)
    p.text(
        MARGIN_X,
        bottom,
        _("Printed {date} · {subtitle}").format(date=format_date(printed), subtitle=report.subtitle),
        7,
        C.muted,
    )
    p.text(
        MARGIN_X + content_w,
        bottom,
        _("Page {n} of {total}").format(n=n, total=total),
        7,
        C.muted,
        right=True,
    )


def _draw_block(
    p: _Page,
    top: float,
    block: Block,
    report: ReportData,
    content_w: float,
    geometry: dict[int, TableLayout],
) -> None:
    if block.kind == "title":
        p.rect(MARGIN_X, top + 0.05, 0.06, 0.62, ACCENT)
        p.text(MARGIN_X + 0.2, top + 0.36, report.title, 19, C.text, "bold")
        p.text(MARGIN_X + 0.2, top + 0.64, report.subtitle, 10, C.muted)
    elif block.kind == "metrics":
        _metrics(p, top, report.metrics, content_w)
    elif block.kind == "heading":
        p.text(MARGIN_X, top + 0.28, block.text, 12, C.text, "bold")
        p.hline(MARGIN_X, top + 0.36, content_w, ACCENT, 1.0)
    elif block.kind in ("note", "empty"):
        color = C.muted if block.kind == "note" else C.text
        style: FontStyle = "italic" if block.kind == "note" else "normal"
        for i, line in enumerate(textwrap.wrap(block.text, 100 if block.kind == "empty" else NOTE_CHARS)):
            size = 7.5 if block.kind == "note" else 9
            p.text(MARGIN_X, top + 0.16 + i * NOTE_LINE_H, line, size, color, style=style)
    elif block.kind == "chart" and block.chart is not None:
        from actdesk.services.reports.charts import draw_on

        pad_left = 1.75 if block.chart.kind == "barh" else 0.75
        pad_right = 2.2 if block.chart.kind == "donut" else 0.2
        bottom_pad = (
            0.55
            if block.chart.kind == "stacked_bar"
            or (len(block.chart.series) > 1 and block.chart.kind == "bar")
            else 0.35
        )
        ax = p.fig.add_axes(
            (
                p.x(MARGIN_X + pad_left),
                p.y(top + block.height - bottom_pad),
                (content_w - pad_left - pad_right) / p.w,
                (block.height - bottom_pad - 0.4) / p.h,
            )
        )
        draw_on(ax, block.chart, title=True)
    elif block.kind == "table" and block.table is not None:
        _table(p, top, block, content_w, geometry[id(block.table)])


def _metrics(p: _Page, top: float, metrics: list[Metric], content_w: float) -> None:
    n = max(len(metrics), 1)
    gap = 0.12
    w = (content_w - gap * (n - 1)) / n
    for i, m in enumerate(metrics):
        x = MARGIN_X + i * (w + gap)
        p.rect(x, top, w, 0.68, C.surface_alt)
        p.rect(x, top, 0.03, 0.68, ACCENT)
        p.text(x + 0.12, top + 0.24, _clip(m.label, int(w / 0.052)), 7, C.muted)
        value = display(m.value, m.kind) or "—"
        p.text(x + 0.12, top + 0.52, value, 13 if len(value) < 12 else 11, C.text, "bold")


def _table(p: _Page, top: float, block: Block, content_w: float, layout: TableLayout) -> None:
    table = block.table
    assert table is not None
    widths, fit, head_h = layout.widths, layout.fit, layout.head_h
    lines = [wrap_title(c.title, f) for c, f in zip(table.columns, fit, strict=True)]
    p.rect(MARGIN_X, top, content_w, head_h, C.surface_alt)
    x = MARGIN_X
    for col, w, title_lines in zip(table.columns, widths, lines, strict=True):
        right = is_numeric(col.kind)
        for k, line in enumerate(title_lines):
            offset = head_h - 0.1 - (len(title_lines) - 1 - k) * 0.16
            p.cell(x + w - 0.08 if right else x + 0.08, top + offset, line, 7, "bold", C.muted, right)
        x += w
    p.hline(MARGIN_X, top + head_h, content_w, C.border, 0.8)
    y = top + head_h
    rights = [is_numeric(c.kind) for c in table.columns]
    for i in range(block.start, block.end):
        if i % 2 == 1:
            p.rect(MARGIN_X, y, content_w, ROW_H, ZEBRA)
        _row(p, y, layout.shown.rows[i], rights, widths, fit, bold=False)
        y += ROW_H
    if block.totals and layout.shown.totals is not None:
        y += 0.04
        p.hline(MARGIN_X, y, content_w, C.text, 0.8)
        _row(p, y, layout.shown.totals, rights, widths, fit, bold=True)


def _row(
    p: _Page, y: float, row: list[str], rights: list[bool], widths: list[float], fit: list[int], bold: bool
) -> None:
    x = MARGIN_X
    weight = "bold" if bold else "normal"
    for text, right, w, chars in zip(row, rights, widths, fit, strict=True):
        p.cell(
            x + w - 0.08 if right else x + 0.08,
            y + ROW_H - 0.065,
            _clip(text, chars),
            BODY,
            weight,
            C.text,
            right,
        )
        x += w
