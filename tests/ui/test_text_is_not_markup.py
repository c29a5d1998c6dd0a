"""Names, cities and subjects are what the advisor typed or imported: a label never renders them as markup.

Qt's labels guess "rich text" from anything that looks like a tag, so a household imported as
"<i>Mal</i> & Co" showed in italics and "<b>Austin</b>" in bold; worse, "Lunch <Mike>" lost the name.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from tests import factories as f
from tests.ui.conftest import _build

MARKS = ("<i>Mal</i>", "<u>Ann</u>", "<b>Austin</b>")


def _rendered_as_markup(window) -> list[str]:
    """Labels whose text holds one of the marks unescaped and that Qt would render as rich text."""
    return [
        label.text()
        for label in window.findChildren(QLabel)
        if any(mark in label.text() for mark in MARKS)
        and label.textFormat() != Qt.TextFormat.PlainText
        and label.isVisible()
    ]


def test_the_households_list_and_card_show_markup_characters_as_written(qtbot, book, warm_child) -> None:
    with book.session() as s:
        h = f.household(s, "<i>Mal</i> & Co household", since=date(2019, 5, 1))
        f.contact(s, h, "<u>Ann</u>", "Mal", email="ann@mal.example", city="<b>Austin</b>")
        f.balance(s, f.account(s, h), date(2026, 10, 31), "2500000.00")
    window, _ctx = _build(qtbot, book, child=warm_child)
    try:
        card = window.panels["households"].card
        qtbot.waitUntil(lambda: card.title.text() == "<i>Mal</i> & Co household", timeout=3000)
        assert _rendered_as_markup(window) == []
        assert card.title.textFormat() == Qt.TextFormat.PlainText
    finally:
        window.close()


def test_an_alerts_household_and_dismissal_reason_show_as_written(qtbot) -> None:
    from datetime import UTC, datetime

    from actdesk.domain.alerts.model import Alert, AlertState, RuleKey, Severity
    from actdesk.ui.alerts.detail import AlertDetail

    detail = AlertDetail()
    qtbot.addWidget(detail)
    detail.show()
    now = datetime(2026, 11, 30, tzinfo=UTC)
    detail.show_alert(
        Alert(
            1,
            RuleKey.CONTACT_GAP,
            Severity.HIGH,
            AlertState.DISMISSED,
            "No contact with <i>Mal</i> & Co in 120 days",
            120.0,
            now,
            now,
            now,
            dismissed_reason="<b>Austin</b> office handles it",
            household_name="<i>Mal</i> & Co household",
        )
    )
    assert _rendered_as_markup(detail) == []
    assert detail.detail_household.text() == "<i>Mal</i> & Co household"
    assert (
        detail.detail_meta.text() == "Raised on Nov 30, 2026  ·  Dismissed: <b>Austin</b> office handles it"
    )
