"""Table cells drawn straight through the renderer (``pdf_text.CellText``) land exactly where a matplotlib
``Text`` at the same baseline and alignment would: same pixels, left- and right-aligned, regular and bold."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from actdesk.services.reports.render.pdf_text import CellText

CELLS = [
    (0.1, 0.8, "Smith household", 7.5, "normal", "#111111", False),
    (0.9, 0.8, "$1,234,567", 7.5, "normal", "#111111", True),
    (0.9, 0.6, "12.5%", 7, "bold", "#666666", True),
    (0.1, 0.4, "Café Ñandú…", 7.5, "bold", "#111111", False),
]


def _pixels(fig: Figure) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def test_cells_draw_like_text_objects() -> None:
    with_text = Figure(figsize=(4, 2), dpi=100)
    for x, y, s, size, weight, color, right in CELLS:
        with_text.text(
            x,
            y,
            s,
            fontsize=size,
            fontweight=weight,
            color=color,
            ha="right" if right else "left",
            va="baseline",
        )
    with_cells = Figure(figsize=(4, 2), dpi=100)
    cells = CellText()
    with_cells.add_artist(cells)
    for cell in CELLS:
        cells.add(*cell)
    drawn = _pixels(with_cells)
    assert (drawn[..., :3] < 128).any()  # the text is there
    assert np.array_equal(drawn, _pixels(with_text))
