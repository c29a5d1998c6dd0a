"""Qt's side of the language: its own Spanish buttons, the locale's dates in date boxes, grouped money."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QApplication, QDateEdit, QDateTimeEdit, QDialogButtonBox, QTimeEdit

from actdesk import formats, i18n
from actdesk.ui.qt_locale import install_qt_translations, localize_edit

SRC = Path(__file__).resolve().parents[2] / "src" / "actdesk"


@pytest.fixture
def spanish(qapp: QApplication) -> Iterator[None]:
    i18n.set_language("es")
    install_qt_translations(qapp)
    yield
    i18n.set_language("en")
    install_qt_translations(qapp)


def test_standard_buttons_are_spanish(spanish: None) -> None:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Close
    )
    assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Cancelar", "Cerrar", "Guardar"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_date_boxes_show_the_one_date_style(qapp: QApplication, language: str) -> None:
    i18n.set_language(language)
    install_qt_translations(qapp)
    try:
        day = localize_edit(QDateEdit(QDate(2026, 12, 5)))
        assert day.text() == formats.format_date(date(2026, 12, 5))
        when = localize_edit(QDateTimeEdit(QDateTime(QDate(2026, 12, 5), QTime(15, 0))))
        assert (
            when.text().replace("\u202f", " ")
            == {"en": "Dec 5, 2026, 3:00 PM", "es": "5 dic 2026, 15:00"}[language]
        )
        clock = localize_edit(QTimeEdit(QTime(9, 30)))
        assert clock.text().replace("\u202f", " ") == {"en": "9:30 AM", "es": "9:30"}[language]
    finally:
        i18n.set_language("en")
        install_qt_translations(qapp)


def test_no_date_box_sets_its_own_format() -> None:
    """Every date box goes through localize_edit: a hard-coded "yyyy-MM-dd" or "d MMM yyyy" is the class of
    problem that put three date styles on one screen."""
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in SRC.rglob("*.py")
        if path.name != "qt_locale.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.setDisplayFormat\(", line)
    ]
    assert not offenders, offenders


def test_money_in_preferences_is_grouped_the_spanish_way(qtbot, book, spanish: None) -> None:
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.preferences.alerts_tab import AlertsPage
    from actdesk.ui.tasks import TaskRunner

    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True))
    page = AlertsPage(ctx)
    qtbot.addWidget(page)
    page.heirs_min.setValue(1_000_000)
    text = page.heirs_min.text().replace("\xa0", " ")
    assert text == "1.000.000 US$", text
    ctx.tasks.shutdown()


def test_an_ampersand_in_a_label_is_shown_as_an_ampersand() -> None:
    """Qt reads "&" as a shortcut marker: "Referrals & events" showed as "Referrals _events". Every marked
    string with a free-standing "&" goes through ``literal`` (or doubles it)."""
    offenders = []
    for path in SRC.rglob("*.py"):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in re.finditer(r'_\("[^"]* & [^"]*"\)', line):
                before, after = line[: match.start()], line[match.end() :]
                if not before.rstrip().endswith("literal(") and not after.startswith('.replace("&", "&&")'):
                    offenders.append(f"{path.relative_to(SRC)}:{n}")
    assert not offenders, offenders


def test_the_referrals_tab_shows_its_ampersand(qtbot, book) -> None:
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.mail.panel import CampaignsPanel
    from actdesk.ui.tasks import TaskRunner

    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True))
    panel = CampaignsPanel(ctx)
    qtbot.addWidget(panel)
    texts = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert "Referrals && events" in texts  # "&&" is how Qt shows one "&"
    ctx.tasks.shutdown()
