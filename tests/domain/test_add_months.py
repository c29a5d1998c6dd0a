"""``add_months``: the alert rules' month arithmetic, exactly dateutil's (and pandas' ``DateOffset``) rule."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from actdesk.domain.analytics.dates import add_months


def test_the_day_is_clamped_to_the_months_length() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(1952, 2, 29), 65 * 12) == date(2017, 2, 28)  # Medicare on 28 February
    assert add_months(date(2026, 4, 30), 1) == date(2026, 5, 30)  # a month-end does not stay one
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)


def test_it_agrees_with_relativedelta_on_every_day_of_eight_years() -> None:
    day = date(2023, 1, 1)
    while day < date(2031, 1, 1):
        for months in (-24, -13, -1, 1, 6, 11, 12, 714, 780, 876):  # reviews and the 59½, 65, 73 milestones
            assert add_months(day, months) == day + relativedelta(months=months), (day, months)
        day += timedelta(days=1)


def test_shift_months_is_add_months_with_month_ends_kept() -> None:
    """``shift_months`` (the KPIs' periods) is built on ``add_months``: a month-end stays a month-end, any
    other day is relativedelta's, on every day of eight years."""
    from actdesk.domain.analytics.dates import is_month_end, shift_months

    assert shift_months(date(2026, 4, 30), 1) == date(2026, 5, 31)
    assert shift_months(date(2024, 2, 29), -12) == date(2023, 2, 28)
    assert shift_months(date(2023, 2, 28), 12) == date(2024, 2, 29)
    day = date(2023, 1, 1)
    while day < date(2031, 1, 1):
        for months in (-24, -12, -6, -1, 1, 6, 12):
            moved = shift_months(day, months)
            if is_month_end(day):
                assert (
                    is_month_end(moved)
                    and (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
                )
            else:
                assert moved == day + relativedelta(months=months), (day, months)
        day += timedelta(days=1)
