"""Segment values add up to the book's multiple to the cent (issue 20: "segment values add up to the book
multiple"), whichever way the multiple is computed: from SQL sums (first tiles) or segment by segment."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.valuation import apportioned_values, multiple_value

CONFIG = replace(AnalyticsConfig(), recurring_multiple=2.5, one_off_multiple=1.0)


def test_parts_add_up_to_the_whole_rounded_once() -> None:
    parts = [
        (Decimal("0.01"), Decimal("0")),
        (Decimal("0.01"), Decimal("0")),
        (Decimal("0.01"), Decimal("0")),
    ]
    # Each part alone is 0.025 -> 0.03 (half up): 0.09 in all, a cent over the whole's 0.075 -> 0.08.
    assert sum(multiple_value(r, o, CONFIG) for r, o in parts) == Decimal("0.09")
    values = apportioned_values(parts, CONFIG)
    assert sum(values) == multiple_value(Decimal("0.03"), Decimal("0"), CONFIG) == Decimal("0.08")
    assert sorted(values) == [Decimal("0.02"), Decimal("0.03"), Decimal("0.03")]


def test_the_cents_go_to_the_largest_remainders_and_exact_parts_stay_exact() -> None:
    parts = [
        (Decimal("1000.00"), Decimal("10.00")),
        (Decimal("0.03"), Decimal("0")),
        (Decimal("0.01"), Decimal("0")),
    ]
    values = apportioned_values(parts, CONFIG)
    assert values[0] == Decimal("2510.00")  # exact: untouched
    assert values[1] == Decimal("0.08")  # 0.075: the larger remainder gets the cent
    assert values[2] == Decimal("0.02")  # 0.025 rounded down
    whole = multiple_value(Decimal("1000.04"), Decimal("10.00"), CONFIG)
    assert sum(values) == whole == Decimal("2510.10")


def test_the_default_multiples_over_many_books_never_miss_by_a_cent() -> None:
    default = AnalyticsConfig()
    for seed in range(1, 400):
        parts = [
            (Decimal(seed * 7919 % 100_003) / 100, Decimal(seed * 104_729 % 5_003) / 100) for _ in range(1)
        ]
        parts += [
            (Decimal(seed * 31 % 997) / 100, Decimal(seed % 13) / 100),
            (Decimal(seed) / 100, Decimal(0)),
        ]
        values = apportioned_values(parts, default)
        recurring = sum((r for r, _ in parts), Decimal(0))
        one_off = sum((o for _, o in parts), Decimal(0))
        assert sum(values) == multiple_value(recurring, one_off, default)
        for value, (r, o) in zip(values, parts, strict=True):
            assert abs(value - multiple_value(r, o, default)) <= Decimal("0.01")
