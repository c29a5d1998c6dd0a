"""Table text on a PDF page, drawn straight through the renderer.

A matplotlib ``Text`` lays itself out before it draws (line splitting, rotation, alignment boxes, a font
lookup per object); a table cell is one line on a known baseline, so only a right-aligned cell needs its
width. The 150-household stack ranking has about 1,100 cells: as ``Text`` objects they were most of the
second its PDF took to write. The text is the same PDF text (selectable, searchable), in the same font.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.font_manager import FontProperties


@dataclass(frozen=True)
class Cell:
    x: float  # figure fraction: the left edge, or the right edge when ``right``
    y: float  # figure fraction of the baseline
    text: str
    font: FontProperties
    color: str
    right: bool


class CellText(Artist):
    """Every table cell of one page, drawn in one pass."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[Cell] = []
        self._fonts: dict[tuple[float, str], FontProperties] = {}
        self.set_zorder(3)

    def add(self, x: float, y: float, text: str, size: float, weight: str, color: str, right: bool) -> None:
        if not text:
            return
        font = self._fonts.get((size, weight))
        if font is None:
            font = self._fonts[(size, weight)] = FontProperties(size=size, weight=weight)
        self.cells.append(Cell(x, y, text, font, color, right))

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.cells:
            return
        to_display = self.figure.transFigure.transform
        flip = renderer.get_canvas_width_height()[1] if renderer.flipy() else None  # as Text.draw does
        gc = renderer.new_gc()
        try:
            for cell in self.cells:
                x, y = to_display((cell.x, cell.y))
                if flip is not None:
                    y = flip - y
                if cell.right:
                    width, _h, _d = renderer.get_text_width_height_descent(cell.text, cell.font, ismath=False)
                    x -= width
                gc.set_foreground(cell.color)
                renderer.draw_text(gc, x, y, cell.text, cell.font, 0.0)
        finally:
            gc.restore()
        self.stale = False
