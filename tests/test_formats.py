"""The one formatting module: each rule in both languages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from actdesk import formats, i18n

NBSP = "\xa0"


@pytest.fixture(params=["en", "es"])
def lang(request: pytest.FixtureRequest) -> Iterator[str]:
    i18n.set_language(request.param)
    yield request.param
    i18n.set_language("en")


def _plain(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u202f", " ")


def test_one_date_style_per_language(lang: str) -> None:
    day = date(2026, 12, 5)
    expected = {"en": "Dec 5, 2026", "es": "5 dic 2026"}[lang]
    assert formats.format_date(day) == expected
    # the older style names all mean the one style now
    assert formats.format_date(day, "short") == expected
    assert formats.format_date(day, "medium") == expected
    assert formats.format_date(datetime(2026, 12, 5, 23, 0)) == expected
    assert formats.format_date(None) == ""


def test_times_follow_the_locale_clock(lang: str) -> None:
    moment = datetime(2026, 2, 19, 15, 0)
    assert _plain(formats.format_time(moment)) == {"en": "3:00 PM", "es": "15:00"}[lang]
    assert _plain(formats.format_time(time(9, 5))) == {"en": "9:05 AM", "es": "9:05"}[lang]
    assert formats.uses_24_hour_clock() is (lang == "es")
    assert (
        _plain(formats.format_datetime(moment))
        == {"en": "Feb 19, 2026, 3:00 PM", "es": "19 feb 2026, 15:00"}[lang]
    )
    assert formats.format_datetime(moment, "short") == formats.format_datetime(moment)


def test_headings_and_months(lang: str) -> None:
    day = date(2026, 12, 5)
    heading = {"en": "Saturday, December 5, 2026", "es": "Sábado, 5 de diciembre de 2026"}[lang]
    assert formats.format_day_heading(day) == heading
    assert formats.format_date(day, "full") == heading
    assert formats.format_month(day) == {"en": "Dec 2026", "es": "dic 2026"}[lang]


def test_money_whole_units_unless_cents_matter(lang: str) -> None:
    value = Decimal("1234567.891")
    assert _plain(formats.format_money(value)) == {"en": "$1,234,568", "es": "1.234.568 US$"}[lang]
    assert (
        _plain(formats.format_money(Decimal("1234.5"), cents=True))
        == {
            "en": "$1,234.50",
            "es": "1.234,50 US$",
        }[lang]
    )
    assert formats.format_money(None) == ""
    # i18n keeps the same functions for older imports
    assert i18n.format_money is formats.format_money


def test_compact_money_fits_and_keeps_the_exact_value(lang: str) -> None:
    assert _plain(formats.format_money_compact(1_400_000)) == {"en": "$1.4M", "es": "1,4 M US$"}[lang]
    assert _plain(formats.format_money_compact(350_000)) == {"en": "$350K", "es": "350 mil US$"}[lang]
    assert _plain(formats.format_money_compact(999_999)) == {"en": "$1M", "es": "1 M US$"}[lang]
    assert _plain(formats.format_money_compact(812)) == {"en": "$812", "es": "812 US$"}[lang]
    assert _plain(formats.format_money_compact(-350_000)) == {"en": "-$350K", "es": "-350 mil US$"}[lang]
    # three significant figures at most: the Spanish donut centre stays short
    assert len(_plain(formats.format_money_compact(188_600_000))) <= 9
    tile = formats.money_compact(Decimal("2822920"))
    assert _plain(tile.text) == {"en": "$2.8M", "es": "2,8 M US$"}[lang]
    assert _plain(tile.exact) == {"en": "$2,822,920", "es": "2.822.920 US$"}[lang]


def test_one_precision_and_unit_per_axis(lang: str) -> None:
    labels = [_plain(t) for t in formats.axis_labels([106_000, 147_900], "money")]
    assert labels == {"en": ["$106.0K", "$147.9K"], "es": ["106,0 mil US$", "147,9 mil US$"]}[lang]
    labels = [_plain(t) for t in formats.axis_labels([0, 500_000, 1_000_000, 1_500_000], "money")]
    assert (
        labels
        == {
            "en": ["$0", "$0.5M", "$1.0M", "$1.5M"],
            "es": ["0 US$", "0,5 M US$", "1,0 M US$", "1,5 M US$"],
        }[lang]
    )
    labels = [_plain(t) for t in formats.axis_labels([0, 50_000, 100_000], "money")]
    assert labels == {"en": ["$0", "$50K", "$100K"], "es": ["0 US$", "50 mil US$", "100 mil US$"]}[lang]
    assert formats.axis_labels([0, 0.25, 0.5], "percent") == ["0%", "25%", "50%"]
    assert formats.axis_labels([0, 0.125, 0.25], "percent")[1] == {"en": "12.5%", "es": "12,5%"}[lang]
    assert (
        formats.axis_labels([0, 500, 1500], "number")
        == {"en": ["0", "500", "1,500"], "es": ["0", "500", "1.500"]}[lang]
    )


def test_numbers_and_percentages(lang: str) -> None:
    assert formats.format_number(1234567) == {"en": "1,234,567", "es": "1.234.567"}[lang]
    assert formats.format_percent(0.125) == {"en": "12.5%", "es": "12,5%"}[lang]
    assert _plain(formats.format_number_compact(12_345)) == {"en": "12.3K", "es": "12,3 mil"}[lang]


def test_formats_module_imports_no_qt() -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(formats.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    assert not any(name.startswith(("PySide6", "matplotlib")) for name in imported)


def test_clip_cuts_an_echoed_value_and_marks_the_cut() -> None:
    assert formats.clip("short") == "short"
    cut = formats.clip("x" * 100_000)
    assert len(cut) == formats.ECHO_MAX and cut.endswith("…")
    assert formats.clip("abcdef", 4) == "abc…"


def test_clip_line_keeps_the_start_and_the_end_of_a_message() -> None:
    line = "birth date '" + "a" * 10_000 + "' is not a date; the birth date was left out"
    cut = formats.clip_line(line)
    assert len(cut) == formats.LINE_MAX
    assert cut.startswith("birth date 'aaa") and cut.endswith("the birth date was left out")
    assert formats.clip_line("two\nlines") == "two lines"


def test_another_locale_on_request_leaves_the_active_one_alone() -> None:
    """An e-mail in its template's language: the one style of that locale, whatever the window's."""
    from datetime import date, datetime
    from decimal import Decimal

    from actdesk import formats, i18n

    i18n.set_language("en")
    day = date(2026, 12, 7)
    assert formats.format_date(day, locale="es_ES") == "7 dic 2026"
    assert formats.format_datetime(datetime(2026, 12, 7, 15), locale="es_ES") == "7 dic 2026, 15:00"
    assert formats.format_money(Decimal("1250000.4"), locale="es_ES") == "1.250.000\xa0US$"
    assert formats.format_day_heading(day, locale="es_ES") == "Lunes, 7 de diciembre de 2026"
    assert formats.format_date(day) == "Dec 7, 2026"  # the active locale is unchanged
    i18n.set_language("es")
    try:
        assert formats.format_date(day, locale="en_US") == "Dec 7, 2026"
        assert formats.format_money(Decimal("1250000.4"), locale="en_US") == "$1,250,000"
        assert formats.format_date(day) == "7 dic 2026"
    finally:
        i18n.set_language("en")


def test_a_day_of_this_year_where_room_is_short() -> None:
    from datetime import date

    from actdesk import formats, i18n

    assert formats.format_day_month(date(2026, 9, 17)) == "Sep 17"
    i18n.set_language("es")
    try:
        assert formats.format_day_month(date(2026, 9, 17)) == "17 sept"
    finally:
        i18n.set_language("en")
