"""Text on a PDF page (table cells, and the page's header, footer, titles, headings and notes), drawn straight
through the renderer.

A matplotlib ``Text`` lays itself out before it draws (line splitting, rotation, alignment boxes, a font
lookup per object); every line of a report page is one line on a known baseline, so only a right-aligned
line needs its width. On a PDF page the lines are written by ``pdf_glyphs.GlyphWriter`` (each line shaped
once); on any other canvas, or a matplotlib without the internals it needs, by ``renderer.draw_text``.
The text is the same PDF text (selectable, searchable), in the same font, at the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties

from actdesk.services.reports.render.pdf_glyphs import writer_for

FontStyle = Literal["normal", "italic"]


@dataclass(frozen=True)
class Cell:
    x: float  # figure fraction: the left edge, or the right edge when ``right``
    y: float  # figure fraction of the baseline
    text: str
    font: FontProperties
    color: str
    right: bool


class CellText(Artist):
    """Lines of one page, drawn in one pass in the order they were added."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[Cell] = []
        self._fonts: dict[tuple[float, str, FontStyle], FontProperties] = {}
        self.set_zorder(3)

    def add(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        weight: str,
        color: str,
        right: bool,
        style: FontStyle = "normal",
    ) -> None:
        if not text:
            return
        font = self._fonts.get((size, weight, style))
        if font is None:
            font = self._fonts[(size, weight, style)] = FontProperties(size=size, weight=weight, style=style)
        self.cells.append(Cell(x, y, text, font, color, right))

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.cells:
            return
        to_display = self.figure.transFigure.transform
        flip = renderer.get_canvas_width_height()[1] if renderer.flipy() else None  # as Text.draw does

        def position(cell: Cell) -> tuple[float, float]:
            x, y = to_display((cell.x, cell.y))
            return float(x), float(y if flip is None else flip - y)

        writer = writer_for(renderer)
        if writer is not None:
            writer.draw(self.cells, position)
        else:
            self._draw_each(renderer, position)
        self.stale = False

    def _draw_each(self, renderer: Any, position: Callable[[Cell], tuple[float, float]]) -> None:
        gc = renderer.new_gc()
        try:
            for cell in self.cells:
                x, y = position(cell)
                if cell.right:
                    width, _h, _d = renderer.get_text_width_height_descent(cell.text, cell.font, ismath=False)
                    x -= width
                gc.set_foreground(cell.color)
                renderer.draw_text(gc, x, y, cell.text, cell.font, 0.0)
        finally:
            gc.restore()
