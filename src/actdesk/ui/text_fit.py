"""Text that must fit a box: wrapped at word boundaries onto the lines there is room for, only the tail of
the last line elided (the whole text goes in a tooltip). Shared by the calendar's entries and wrapped cells."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

# Whitespace a line may break at: not the no-break spaces ("10:00\u202fAM", "17\u00a0%", "1\u202f234").
BREAKS = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def words(text: str) -> list[str]:
    """``text``'s words for wrapping: split at breakable whitespace only, each no-break space kept."""
    return [w for w in BREAKS.split(text) if w]


def advance(metrics: QFontMetrics, text: str) -> int:
    """The whole px ``text`` surely needs. ``QFontMetrics.horizontalAdvance`` rounds the exact advance to the
    nearest px, and ``elidedText`` elides a text given only that many px about half the time ("Último
    contacto" is 103.1 px: 103 by the rounded measure, elided at 103); one px more is always enough."""
    return metrics.horizontalAdvance(text) + 1


def wrapped_lines(text: str, metrics: QFontMetrics, width: int, lines: int) -> list[str]:
    """``text`` (paragraphs split on newlines) in at most ``lines`` lines of ``width`` px; the last elided."""
    if lines <= 0 or width <= 0:
        return []
    out: list[str] = []
    paragraphs = text.split("\n")
    for p_index, paragraph in enumerate(paragraphs):
        parts = words(paragraph)
        current = ""
        i = 0
        while i < len(parts):
            candidate = f"{current} {parts[i]}".strip()
            if advance(metrics, candidate) <= width or not current:
                current = candidate
                i += 1
                continue
            if len(out) == lines - 1:
                break
            out.append(current)
            current = ""
        last_room = len(out) == lines - 1
        more = i < len(parts) or p_index < len(paragraphs) - 1
        if last_room and more:
            rest = " ".join([current, *parts[i:], *paragraphs[p_index + 1 :]]).strip()
            out.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            return out
        out.append(metrics.elidedText(current, Qt.TextElideMode.ElideRight, width))
        if len(out) == lines:
            return out
    return out


def narrowest_width(text: str, metrics: QFontMetrics, lines: int) -> int:
    """The fewest px in which ``text`` wraps at word boundaries onto ``lines`` lines without eliding (never less
    than its longest word). Used for table titles that break over two or three lines."""
    whole = advance(metrics, text)
    low = max((advance(metrics, word) for word in words(text)), default=0)
    if lines <= 1 or low >= whole:
        return whole
    high = whole
    while low < high:
        middle = (low + high) // 2
        shown = wrapped_lines(text, metrics, middle, lines)
        if shown and shown[-1].endswith("…") and not text.endswith("…"):
            low = middle + 1
        else:
            high = middle
    return low
