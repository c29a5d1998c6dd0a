"""Lines of text written straight into matplotlib's PDF content stream, shaped once each.

``RendererPdf.draw_text`` costs about 50 µs per glyph: each call looks its font up again, loads every
glyph, registers every glyph with the document's font subsets and formats each operator through
``pdfRepr``; a right-aligned line is shaped a second time (``set_text``) only to measure it. A report's
pages hold about 10,000 glyphs of table text, most of the second the PDF took to write.

``GlyphWriter`` writes the same operators ``draw_text`` writes (the same glyphs, subsets, kerning and
positions, from the same layout: ``FT2Font._layout``, HarfBuzz through libraqm, with the font's
fallbacks), but shapes each line once, registers each distinct glyph once per page, takes a right-aligned
line's width from that layout (the last glyph's pen position plus its advance, which is what
``FT2Font.set_text`` reports) and formats numbers directly. It relies on matplotlib 3.11's PDF internals
(``FontPath``, the character tracker's ``track_glyph``) and on Type 3 fonts (``chart_rc``), so
``writer_for`` returns one only when they are there; otherwise each line is drawn by the renderer.
``tests/reports/test_pdf_glyphs.py`` proves the operators equal to ``draw_text``'s on the installed
matplotlib, so an upgrade that changes them fails there, not in a client's report.
"""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import matplotlib as mpl

_ESCAPES = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)", "\n": "\\n", "\r": "\\r"})


class Line(Protocol):
    """One line of text on its baseline (``pdf_text.Cell``)."""

    @property
    def text(self) -> str: ...
    @property
    def font(self) -> Any: ...  # FontProperties
    @property
    def color(self) -> str: ...
    @property
    def right(self) -> bool: ...


L = TypeVar("L", bound=Line)


def _num(value: float) -> bytes:
    """A number as ``backend_pdf.pdfRepr`` writes it (no exponent, no trailing zeros)."""
    if isinstance(value, int):
        return b"%d" % value
    if not math.isfinite(value):
        raise ValueError("Can only output finite numbers in PDF")
    return (b"%.10f" % value).rstrip(b"0").rstrip(b".")


def _string(codes: list[int]) -> bytes:
    return b"(" + bytes(codes).decode("latin-1").translate(_ESCAPES).encode("latin-1") + b")"


def writer_for(renderer: Any) -> GlyphWriter | None:
    """A writer for ``renderer`` when it writes a PDF with Type 3 fonts on a matplotlib that has the
    internals this module uses; None otherwise (the caller then draws with ``renderer.draw_text``)."""
    backend = sys.modules.get("matplotlib.backends.backend_pdf")
    if backend is None or not isinstance(getattr(renderer, "file", None), backend.PdfFile):
        return None
    if mpl.rcParams["pdf.fonttype"] != 3 or mpl.rcParams["pdf.use14corefonts"]:
        return None
    from matplotlib import font_manager, ft2font

    tracker = getattr(renderer.file, "_character_tracker", None)
    needed = (
        hasattr(tracker, "track_glyph")
        and hasattr(font_manager, "FontPath")
        and hasattr(ft2font, "LoadFlags")
        and hasattr(ft2font.FT2Font, "_layout")
        and hasattr(renderer, "_get_font_ttf")
        and hasattr(renderer.file, "fontName")
    )
    if not needed:
        return None
    document = _DOCUMENTS.get(renderer.file)
    if document is None:
        document = _DOCUMENTS[renderer.file] = _Document()
    return GlyphWriter(renderer, document)


class _Document:
    """What one PDF file has learned, shared by its pages: each distinct line's operators and width (the
    same text in the same font writes the same glyphs wherever it stands), glyph codes, font names."""

    def __init__(self) -> None:
        self.lines: dict[tuple[Any, str], tuple[bytes, float]] = {}
        self.codes: dict[tuple[str, int, str, int], tuple[int, int]] = {}
        self.names: dict[tuple[str, int, int], bytes] = {}
        self.advances: dict[tuple[str, int, float, int], int] = {}


_DOCUMENTS: weakref.WeakKeyDictionary[Any, _Document] = weakref.WeakKeyDictionary()


class GlyphWriter:
    """Writes lines of one page into the PDF renderer's current stream (see the module's docstring)."""

    def __init__(self, renderer: Any, document: _Document) -> None:
        from matplotlib.font_manager import FontPath
        from matplotlib.ft2font import LoadFlags

        self._renderer = renderer
        self._file = renderer.file
        self._document = document
        self._font_path = FontPath
        self._no_hinting = LoadFlags.NO_HINTING

    def draw(self, lines: Sequence[L], position: Callable[[L], tuple[float, float]]) -> None:
        """Draw ``lines`` in order; ``position`` gives each line's left (or, when right-aligned, right)
        end of its baseline in the renderer's points."""
        renderer, write, known = self._renderer, self._file.write, self._document.lines
        gc = renderer.new_gc()
        font: Any = None
        ready: Any = None  # the FontProperties ``font`` is set up for (size included)
        color: str | None = None
        try:
            for line in lines:
                key = (line.font, line.text)
                shaped = known.get(key)
                if shaped is None:
                    if line.font is not ready:
                        ready = line.font
                        font = renderer._get_font_ttf(line.font)
                    shaped = known[key] = self._shape(font, line)
                body, width = shaped
                if not body:
                    continue
                if line.color != color:
                    color = line.color
                    gc.set_foreground(color)
                    renderer.check_gc(gc, gc.get_rgb())
                x, y = position(line)
                if line.right:
                    x -= width
                write(b"q\n1 0 -0 1 " + _num(x) + b" " + _num(y) + b" cm\n" + body)
        finally:
            gc.restore()

    def _shape(self, font: Any, line: Line) -> tuple[bytes, float]:
        """A line's operators after its position, and its width."""
        items = list(font._layout(line.text, self._no_hinting))
        if not items:
            return b"", 0.0
        size = float(line.font.get_size_in_points())
        return self._operators(items, size), self._width(items, size)

    def _width(self, items: list[Any], size: float) -> float:
        """What ``get_text_width_height_descent`` reports: the last glyph's pen position plus its advance."""
        last = items[-1]
        ft = last.ft_object
        key = (ft.fname, ft.face_index, size, last.glyph_index)
        advances = self._document.advances
        advance = advances.get(key)
        if advance is None:
            advance = advances[key] = ft.load_glyph(last.glyph_index, self._no_hinting).horiAdvance
        return float(last.x) + advance / 64

    def _operators(self, items: list[Any], size: float) -> bytes:
        """``draw_text``'s operators for one line, after the move to its place: its own text object."""
        out = [b"BT\n"]
        chunk: list[float | int] = []
        previous: tuple[Any, int] | None = None  # (font, subset) of the glyphs being written
        start_x = 0.0
        codes = self._document.codes
        for item in items:
            ft = item.ft_object
            fname, face = ft.fname, ft.face_index
            key = (fname, face, item.char, item.glyph_index)
            code = codes.get(key)
            if code is None:
                code = codes[key] = self._file._character_tracker.track_glyph(ft, item.char, item.glyph_index)
            subset, charcode = code
            if (ft, subset) != previous:
                self._flush(chunk, size, out)
                out.append(self._name(fname, face, subset) + b" " + _num(size) + b" Tf\n")
                out.append(_num(item.x - start_x) + b" 0 Td\n")
                previous = (ft, subset)
                start_x = item.x
            if item.y:
                self._flush(chunk, size, out)
                out.append(_num(item.y) + b" Ts\n")
            if item.prev_kern:
                chunk.append(float(item.prev_kern))
            chunk.append(charcode)
            if item.y:
                self._flush(chunk, size, out)
                out.append(b"0 Ts\n")
        self._flush(chunk, size, out)
        out.append(b"ET\nQ\n")
        return b"".join(out)

    def _name(self, fname: str, face: int, subset: int) -> bytes:
        key = (fname, face, subset)
        name = self._document.names.get(key)
        if name is None:
            name = self._document.names[key] = self._file.fontName(
                self._font_path(fname, face), subset
            ).pdfRepr()
        return name

    @staticmethod
    def _flush(chunk: list[float | int], size: float, out: list[bytes]) -> None:
        """A ``TJ`` of glyph codes with the kerning between them (as ``draw_text``'s chunks)."""
        if not chunk:
            return
        parts: list[bytes] = []
        codes: list[int] = []
        for value in chunk:
            if isinstance(value, float):
                if codes:
                    parts.append(_string(codes))
                    codes = []
                parts.append(_num(-1000 * value / size))
            else:
                codes.append(value)
        if codes:
            parts.append(_string(codes))
        out.append(b"[" + b" ".join(parts) + b"] TJ\n")
        chunk.clear()
