"""A report table on screen may show money short where that is shorter, with the exact amount in the tooltip;
other columns, and amounts the short form would not shorten, stay exact."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from actdesk import i18n
from actdesk.services.reports.model import Column, Table
from actdesk.ui.reports.models import ReportTableModel

TABLE = Table(
    (Column("name", "Household"), Column("aum", "AUM", "money"), Column("fees", "Fees", "money")),
    [("Ames", Decimal("19680408"), Decimal("162669")), ("Bell", Decimal("2554270"), Decimal("85464"))],
    totals=("Total", Decimal("22234678"), Decimal("248133")),
)


@pytest.mark.parametrize(
    ("lang", "aum", "fees"),
    [
        ("en", ["$19.7M", "$2.6M", "$22.2M"], ["$163K", "$85.5K", "$248K"]),
        (
            "es",
            ["19,7\xa0M\xa0US$", "2,6\xa0M\xa0US$", "22,2\xa0M\xa0US$"],
            ["162.669\xa0US$", "85.464\xa0US$", "248.133\xa0US$"],
        ),
    ],
)
def test_compact_money_columns_keep_the_exact_amount_in_the_tooltip(qtmodeltester, lang, aum, fees) -> None:
    i18n.set_language(lang)
    try:
        model = ReportTableModel(TABLE)
        qtmodeltester.check(model)
        exact = [[model.index(r, c).data() for r in range(3)] for c in (1, 2)]
        assert all(model.index(r, 1).data(Qt.ItemDataRole.ToolTipRole) is None for r in range(3))
        changed = []
        model.dataChanged.connect(lambda a, b, _roles=(): changed.append((a.column(), b.column())))
        model.set_compact(frozenset({1, 2}))
        assert changed == [(1, 2)]
        assert [model.index(r, 1).data() for r in range(3)] == aum
        assert [model.index(r, 2).data() for r in range(3)] == fees  # Spanish "163 mil US$" is no shorter
        for c, column in ((1, aum), (2, fees)):
            for r in range(3):
                tip = model.index(r, c).data(Qt.ItemDataRole.ToolTipRole)
                assert tip == (exact[c - 1][r] if column[r] != exact[c - 1][r] else None)
        assert model.index(0, 0).data() == "Ames"
        model.set_compact(frozenset())
        assert [[model.index(r, c).data() for r in range(3)] for c in (1, 2)] == exact
    finally:
        i18n.set_language("en")


def test_the_texts_follow_a_change_of_formats_while_the_table_is_shown(qtmodeltester) -> None:
    """The model keeps each cell's text (fitting the columns measures every cell at each resize), but for the
    formats in force: the region and currency Preferences changes apply to a report already on screen."""
    model = ReportTableModel(TABLE)
    model.set_compact(frozenset({1}))
    assert [model.index(0, c).data() for c in (1, 2)] == ["$19.7M", "$162,669"]
    try:
        i18n.set_language("en", "fr_FR", "EUR")
        qtmodeltester.check(model)
        assert [model.index(0, c).data() for c in (1, 2)] == ["19,7\xa0M\xa0€", "162\u202f669\xa0€"]
        assert model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole) == "19\u202f680\u202f408\xa0€"
    finally:
        i18n.set_language("en", "en_US", "USD")  # the currency stays until one is given
    assert model.index(0, 2).data() == "$162,669"
