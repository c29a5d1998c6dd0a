"""The PDF's lines written by ``pdf_glyphs.GlyphWriter`` are the operators ``RendererPdf.draw_text`` writes:
same fonts and subsets, glyph codes, kerning and positions (to 1e-6 pt), same extracted text, on a first page
and on a second one that repeats lines (written from what the first page learned) between a chart's text.
Run against the installed matplotlib, so an upgrade that changes its PDF internals fails here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import pytest
from matplotlib.backends.backend_pdf import PdfPages, RendererPdf
from matplotlib.figure import Figure
from pypdf import PdfReader
from pypdf.generic import ContentStream

from actdesk.services.reports.render import pdf_text
from actdesk.services.reports.render.pdf_text import CellText
from actdesk.services.reports.style import chart_rc

LINES = [
    (0.1, 0.9, "Smith household", 7.5, "normal", "#111111", False, "normal"),
    (0.9, 0.9, "$1,234,567", 7.5, "normal", "#111111", True, "normal"),
    (0.9, 0.85, "12.5%", 7, "bold", "#666666", True, "normal"),
    (0.1, 0.8, "Café Ñandú…", 7.5, "bold", "#111111", False, "normal"),
    (0.1, 0.75, "AVAWAY To Ty Yo (1) \\ back", 9, "normal", "#111111", False, "italic"),
    (0.9, 0.7, "Đặng Thị Hương", 7.5, "normal", "#111111", True, "normal"),
    (0.1, 0.65, "Łukasz Żółkiewski · Øyvind Ødegård", 12, "bold", "#2563EB", False, "normal"),
    (0.9, 0.6, "Σοφία Παπαδοπούλου", 19, "bold", "#111111", True, "normal"),
    (0.1, 0.55, "Printed June 30, 2026 · As of June 30, 2026", 7, "normal", "#6B7280", False, "normal"),
    (0.9, 0.55, "Page 1 of 3", 7, "normal", "#6B7280", True, "normal"),
    (0.9, 0.5, "—", 7.5, "normal", "#111111", True, "normal"),
]


def _write(path: Path) -> None:
    with matplotlib.rc_context(chart_rc(False)), PdfPages(path) as pdf:
        for lines in (LINES, LINES[::-2]):
            fig = Figure(figsize=(8.5, 11))
            cells = CellText()
            fig.add_artist(cells)
            for line in lines:
                cells.add(*line)  # type: ignore[arg-type]
            ax = fig.add_axes((0.1, 0.1, 0.8, 0.3))  # a chart's Text between the pages' lines
            ax.set_title("AUM (USD)")
            ax.plot([0, 1, 2], [3, 1, 2])
            pdf.savefig(fig)


def _operations(path: Path, n: int) -> list[tuple[str, list[Any]]]:
    page = PdfReader(path).pages[n]
    ops = ContentStream(page.get_contents(), page.pdf).operations
    out = []
    for operands, operator in ops:
        values = [round(float(v), 6) if isinstance(v, int | float) else v for v in operands]
        out.append((operator.decode(), values))
    return out


def _fonts(path: Path, n: int) -> dict[str, list[str]]:
    fonts = PdfReader(path).pages[n]["/Resources"]["/Font"]
    return {name: sorted(ref.get_object()["/CharProcs"].keys()) for name, ref in fonts.items()}


def test_glyph_writer_writes_what_draw_text_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    draw_text = RendererPdf.draw_text

    def counted(self: RendererPdf, *args: Any, **kwargs: Any) -> None:
        if kwargs.get("mtext") is None:  # not the chart's own Text objects
            calls.append(args[3])
        draw_text(self, *args, **kwargs)

    monkeypatch.setattr(RendererPdf, "draw_text", counted)
    fast = tmp_path / "fast.pdf"
    _write(fast)
    assert calls == []  # every line went through the glyph writer
    monkeypatch.setattr(pdf_text, "writer_for", lambda renderer: None)
    slow = tmp_path / "slow.pdf"
    _write(slow)
    assert len(calls) == len(LINES) + len(LINES[::-2])  # ... and here through draw_text, the reference

    for n in (0, 1):
        assert _operations(fast, n) == _operations(slow, n)
        assert _fonts(fast, n) == _fonts(slow, n)
    fast_text, slow_text = ([page.extract_text() for page in PdfReader(p).pages] for p in (fast, slow))
    assert fast_text == slow_text
    for line in LINES:
        assert line[2] in fast_text[0]


def test_other_canvases_and_font_types_fall_back_to_draw_text(tmp_path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from actdesk.services.reports.render.pdf_glyphs import writer_for

    seen: list[object] = []

    class Probe(CellText):
        def draw(self, renderer: Any) -> None:
            seen.append(writer_for(renderer))

    fig = Figure(figsize=(2, 1))
    fig.add_artist(Probe())
    FigureCanvasAgg(fig).draw()
    with matplotlib.rc_context({**chart_rc(False), "pdf.fonttype": 42}):
        fig.savefig(tmp_path / "type42.pdf", format="pdf")
    with matplotlib.rc_context(chart_rc(False)):
        fig.savefig(tmp_path / "type3.pdf", format="pdf")
    assert seen[0] is None and seen[1] is None and seen[2] is not None
