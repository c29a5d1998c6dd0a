"""A pipeline card's last line keeps the age (or the closing date) whole on a narrow card: first the short
status, then a compact amount whose exact value is in the card's tooltip. Whole units whenever they fit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from actdesk import i18n
from actdesk.ui.pipeline.board import bottom_line


@pytest.mark.parametrize(
    "lang, whole, compact", [("en", "$1,378,759", "$1.4M"), ("es", "1.378.759\xa0US$", "1,4\xa0M\xa0US$")]
)
def test_a_narrow_card_keeps_its_age_whole(qapp, lang: str, whole: str, compact: str) -> None:
    i18n.set_language(lang)
    try:
        base = QFontMetrics(QFont())
        small = QFontMetrics(QFont())
        status, short = "45 d · 30%", "45 d"
        amount, shown, room = bottom_line(base, small, 400, Decimal("1378759"), status, short)
        assert (amount, shown) == (whole, status)  # a wide card: everything whole
        narrow = base.horizontalAdvance(whole) + small.horizontalAdvance(short) // 2
        amount, shown, room = bottom_line(base, small, narrow, Decimal("1378759"), status, short)
        assert shown == short and amount.replace("\u202f", "\xa0") == compact.replace("\u202f", "\xa0")
        assert small.horizontalAdvance(shown) <= room  # the age is whole
        amount, shown, _room = bottom_line(base, small, narrow, None, status, short)
        assert amount == "—"
    finally:
        i18n.set_language("en")


def test_a_narrow_won_card_drops_the_year_before_the_amount_goes_compact(qapp) -> None:
    base = small = QFontMetrics(QFont())
    status, short = "Sep 17, 2026", "Sep 17"
    narrow = base.horizontalAdvance("$3,689,634") + small.horizontalAdvance(short) + 12
    amount, shown, room = bottom_line(base, small, narrow, Decimal("3689634"), status, short)
    assert (amount, shown) == ("$3,689,634", short) and small.horizontalAdvance(shown) <= room
