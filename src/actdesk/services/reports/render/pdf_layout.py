"""Paging a report for print: blocks (title, headings, notes, charts, table slices) placed on pages.

Pure arithmetic in inches, so paging is tested without drawing anything. Tables break across pages
between rows, repeating their header; a heading never sits alone at the foot of a page.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from actdesk.services.reports.model import ChartSpec, ReportData, Section, Table

PAPERS = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
MARGIN_X = 0.6
TOP = 0.85  # content starts below the header band
BOTTOM = 0.75  # content ends above the footer band
ROW_H = 0.215
HEADER_LINE_H = 0.16
HEADING_H = 0.42
NOTE_LINE_H = 0.165
NOTE_CHARS = 110
METRICS_H = 0.85
TITLE_H = 0.95
MIN_TABLE_ROWS = 3


@dataclass
class Block:
    kind: str  # title, metrics, heading, note, chart, table, empty
    height: float
    text: str = ""
    chart: ChartSpec | None = None
    table: Table | None = None
    start: int = 0
    end: int = 0
    totals: bool = False
    continued: bool = False


@dataclass
class Page:
    blocks: list[tuple[float, Block]] = field(default_factory=list)  # (top in inches, block)


def wrap_title(title: str, chars: int) -> list[str]:
    """A column title on at most three lines, never breaking a word."""
    return textwrap.wrap(title, max(chars, 4), break_long_words=False)[:3] or [""]


def header_lines(table: Table, widths_chars: list[int]) -> int:
    return max(
        (len(wrap_title(c.title, w)) for c, w in zip(table.columns, widths_chars, strict=True)), default=1
    )


def table_header_height(lines: int) -> float:
    return 0.12 + HEADER_LINE_H * min(lines, 3)


def chart_height(spec: ChartSpec) -> float:
    if spec.kind == "barh":
        return min(4.4, max(2.2, 0.24 * len(spec.labels) + 0.9))
    if spec.kind == "donut":
        return 2.5
    return 2.9


def note_height(text: str) -> float:
    return 0.08 + NOTE_LINE_H * len(textwrap.wrap(text, NOTE_CHARS))


def paginate(report: ReportData, paper: str, header_h: dict[int, float]) -> list[Page]:
    """``header_h`` gives each table's (by ``id``) header height, measured by the drawer."""
    _w, height = PAPERS.get(paper, PAPERS["letter"])
    usable = height - TOP - BOTTOM
    pages = [Page()]
    y = 0.0

    def room() -> float:
        return usable - y

    def place(block: Block) -> None:
        nonlocal y
        pages[-1].blocks.append((TOP + y, block))
        y += block.height

    def new_page() -> None:
        nonlocal y
        pages.append(Page())
        y = 0.0

    place(Block("title", TITLE_H, text=report.title))
    if report.metrics:
        place(Block("metrics", METRICS_H))
    if report.empty:
        place(Block("empty", note_height(report.empty) + 0.2, text=report.empty))
    for section in report.sections:
        first_need = HEADING_H + _first_height(section, header_h)
        if room() < first_need and y > 0:
            new_page()
        place(Block("heading", HEADING_H, text=section.title))
        if section.is_empty:
            place(Block("empty", note_height(section.empty) + 0.1, text=section.empty))
            continue
        if section.chart is not None and section.chart.series and section.chart.labels:
            h = chart_height(section.chart)
            if room() < h:
                new_page()
            place(Block("chart", h, chart=section.chart))
        if section.table is not None:
            _place_table(section.table, header_h[id(section.table)], room, place, new_page, usable)
        if section.note:
            h = note_height(section.note)
            if room() < h:
                new_page()
            place(Block("note", h, text=section.note))
        y += 0.15
    return pages


def _first_height(section: Section, header_h: dict[int, float]) -> float:
    """What must follow a heading on the same page: the chart, else a table's header and a few rows."""
    if section.is_empty:
        return note_height(section.empty) + 0.1
    if section.chart is not None and section.chart.series and section.chart.labels:
        return chart_height(section.chart)
    if section.table is not None:
        return header_h[id(section.table)] + ROW_H * min(MIN_TABLE_ROWS, max(len(section.table.rows), 1))
    return note_height(section.note)


def _place_table(
    table: Table,
    head: float,
    room: Callable[[], float],
    place: Callable[[Block], None],
    new_page: Callable[[], None],
    usable: float,
) -> None:
    total_rows = len(table.rows)
    start = 0
    continued = False
    while True:
        remaining = total_rows - start
        fits = int((room() - head - (ROW_H + 0.04 if table.totals else 0)) // ROW_H)
        if fits >= remaining:
            height = head + ROW_H * remaining + (ROW_H + 0.04 if table.totals else 0)
            place(
                Block(
                    "table",
                    height,
                    table=table,
                    start=start,
                    end=total_rows,
                    totals=table.totals is not None,
                    continued=continued,
                )
            )
            return
        fits = int((room() - head) // ROW_H)
        if fits >= remaining:  # the rows fit but not the totals: keep one row company on the next page
            if remaining == 1:
                new_page()
                continue
            fits = remaining - 1
        if fits < min(MIN_TABLE_ROWS, remaining) and room() < usable:
            new_page()
            continue
        fits = max(fits, 1)
        place(
            Block(
                "table", head + ROW_H * fits, table=table, start=start, end=start + fits, continued=continued
            )
        )
        start += fits
        continued = True
        new_page()
