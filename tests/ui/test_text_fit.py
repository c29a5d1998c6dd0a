"""Wrapped text agrees with Qt's own eliding: a text measured to fit is drawn whole.

``QFontMetrics.horizontalAdvance`` rounds to the nearest px; Qt's ``elidedText`` elided about half of the
texts given exactly that many px, so a report title sized by it ("Último contacto", 103.1 px) was drawn cut.
"""

from __future__ import annotations

import random

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from actdesk.ui.text_fit import advance, narrowest_width, wrapped_lines

WORDS = [
    "Último",
    "contacto",
    "Contacto",
    "previsto",
    "Próximo",
    "programado",
    "Frecuencia",
    "días",
    "Hogares",
    "Segmento",
    "Nivel",
    "de",
    "servicio",
    "Media",
    "desde",
    "el",
    "Household",
    "Last",
    "contact",
    "Next",
    "scheduled",
    "Days",
    "overdue",
    "Cumulative",
    "share",
]


def test_a_text_given_its_measured_width_is_never_elided(qapp) -> None:
    rng = random.Random(7)
    texts = WORDS + [" ".join(rng.sample(WORDS, rng.randint(2, 5))) for _ in range(400)]
    for size in (9, 10, 11):
        metrics = QFontMetrics(QFont("Inter", size))
        for text in texts:
            width = advance(metrics, text)
            assert metrics.elidedText(text, Qt.TextElideMode.ElideRight, width) == text, (size, text)
            for lines in (1, 2, 3):
                room = narrowest_width(text, metrics, lines)
                shown = wrapped_lines(text, metrics, room, lines)
                assert " ".join(shown).split() == text.split(), (size, text, lines, shown)
                for line in shown:
                    assert metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) == line


def test_the_rounded_measure_alone_would_cut_titles(qapp) -> None:
    """The trap this guards against exists: at the rounded width Qt elides some of these texts."""
    metrics = QFontMetrics(QFont("Inter", 10))
    cut = [
        t
        for t in WORDS
        if metrics.elidedText(t, Qt.TextElideMode.ElideRight, metrics.horizontalAdvance(t)) != t
    ]
    assert cut


def test_lines_never_break_at_a_no_break_space(qapp) -> None:
    """CLDR writes "10:00\u202fAM" and "17\u00a0%" with no-break spaces: a line may not break there, and the
    space stays what it was (``str.split`` took both for ordinary spaces)."""
    metrics = QFontMetrics(QFont())
    text = "10:00\u202fAM Semi-annual review at 17\u00a0%"
    shown = wrapped_lines(text, metrics, advance(metrics, "10:00\u202fAM"), 4)
    assert shown[0] == "10:00\u202fAM"
    assert "17\u00a0%" in " ".join(shown)
    assert wrapped_lines(text, metrics, advance(metrics, text), 1) == [text]
    assert narrowest_width("10:00\u202fAM", metrics, 2) == advance(metrics, "10:00\u202fAM")
