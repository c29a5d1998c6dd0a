"""Cell parsing and formatting of the open book format: exact money, strict numbers, aware instants."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from actdesk.services.book_format.codec import format_cents, parse_bool, parse_cents, parse_datetime, parse_id


@pytest.mark.parametrize(
    ("text", "cents"),
    [("0", 0), ("1.5", 150), ("1.05", 105), ("-0.05", -5), ("+3", 300), ("-1234567.89", -123456789)],
)
def test_money_parses_exactly_and_formats_back(text: str, cents: int) -> None:
    assert parse_cents(text) == cents
    assert parse_cents(format_cents(cents)) == cents


@pytest.mark.parametrize("text", ["1.", ".5", "1.234", "1,5", "1e3", "١٢", "12 000", "$5", "nan"])
def test_money_refuses_anything_but_dot_decimals(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_cents(text)


def test_ids_booleans_and_instants() -> None:
    assert parse_id("17") == 17
    for bad in ("0", "-1", "1.0", "²", "x"):
        with pytest.raises(ValueError):
            parse_id(bad)
    assert parse_bool("TRUE") is True and parse_bool("0") is False
    with pytest.raises(ValueError):
        parse_bool("maybe")
    assert parse_datetime("2026-01-05T15:00:00Z") == datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert parse_datetime("2026-01-05T10:00:00-05:00") == datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert parse_datetime("2026-01-05T15:00:00").tzinfo is UTC  # read in local time, stored in UTC
    assert format_cents(-5) == "-0.05" and format_cents(100) == "1.00"
