"""Client periods in the domain (issue 20): when a household first joined, when it came back, when it left
last, and its tenure in years."""

from __future__ import annotations

from datetime import date

from actdesk.domain.analytics.periods import (
    ClientPeriod,
    first_joined,
    left_before,
    returned_on,
    tenure_days,
    tenure_years,
    whole_years,
    years_in_all,
)

FIRST = ClientPeriod(1, date(2015, 1, 1), date(2024, 3, 31), "fees")
SECOND = ClientPeriod(1, date(2025, 2, 1), None)
BOTH = [FIRST, SECOND]


def test_first_joined_is_the_earliest_start() -> None:
    assert first_joined(BOTH) == date(2015, 1, 1)
    assert first_joined([SECOND, FIRST]) == date(2015, 1, 1)
    assert first_joined([]) is None


def test_returned_on_only_for_a_period_after_one_that_ended() -> None:
    assert returned_on(BOTH, date(2026, 6, 30)) == date(2025, 2, 1)
    assert returned_on(BOTH, date(2025, 2, 1)) == date(2025, 2, 1)  # the day it came back
    assert returned_on(BOTH, date(2024, 12, 31)) is None  # away: not a client
    assert returned_on(BOTH, date(2020, 1, 1)) is None  # in the first period: never away yet
    assert returned_on([ClientPeriod(2, date(2020, 1, 1), None)], date(2026, 1, 1)) is None


def test_left_before_is_the_last_period_that_ended() -> None:
    assert left_before(BOTH, date(2026, 1, 1)) == FIRST
    assert left_before(BOTH, date(2024, 3, 30)) is None
    third = ClientPeriod(1, date(2025, 2, 1), date(2026, 2, 1), "moved")
    assert left_before([FIRST, third], date(2026, 6, 1)) == third


def test_tenure_years_adds_the_periods_and_leaves_the_gap_out() -> None:
    day = date(2026, 2, 1)
    expected = ((date(2024, 3, 31) - date(2015, 1, 1)).days + (day - date(2025, 2, 1)).days) / 365.25
    assert tenure_years(BOTH, day) == expected
    assert round(tenure_years(BOTH, day), 1) == 10.2  # 9.2 years, then 1 year back
    assert tenure_years(BOTH, date(2014, 1, 1)) == 0


def test_a_prospect_cannot_have_a_client_since_date() -> None:
    """It would be a client in the KPIs (its period) and a prospect in the lists at once."""
    from actdesk.domain.enums import HouseholdStatus
    from actdesk.domain.models import Household
    from actdesk.domain.validation import validate_household

    today = date(2026, 11, 30)
    prospect = Household(name="Young", status=HouseholdStatus.PROSPECT, client_since=date(2026, 1, 1))
    assert validate_household(prospect, today=today) == {
        "client_since": "A prospect has no client-since date: set the status to Client if it became one, "
        "or clear the date."
    }
    assert validate_household(Household(name="Young", status=HouseholdStatus.PROSPECT), today=today) == {}


def test_whole_years_count_an_anniversary_on_its_day() -> None:
    assert whole_years(date(2017, 1, 1), date(2027, 1, 1)) == 10
    assert whole_years(date(2017, 1, 1), date(2026, 12, 31)) == 9
    assert whole_years(date(2020, 2, 29), date(2021, 3, 1)) == 1
    assert whole_years(date(2027, 1, 1), date(2026, 1, 1)) == 0  # not yet begun


def test_years_in_all_add_the_periods_up_on_the_calendar() -> None:
    steady = [ClientPeriod(2, date(2017, 1, 1), None)]
    day = date(2027, 1, 1)
    assert int(tenure_days(steady, day) / 365.25) == 9  # 3,652 days: two leap days in ten years
    assert years_in_all(steady, day) == 10 and years_in_all(steady, date(2026, 12, 31)) == 9
    # 9 years 3 months, away 10 months, then back: on the first day's anniversary of 2026, 11 calendar years
    # after joining and 0 since the return, 10 whole years in all (10.2)
    assert (
        years_in_all(BOTH, date(2026, 1, 1)) == 10 and round(tenure_years(BOTH, date(2026, 1, 1)), 1) == 10.2
    )
    assert years_in_all(BOTH, date(2025, 10, 1)) == 9
    assert years_in_all(BOTH, date(2014, 1, 1)) == 0  # not yet a client
    assert years_in_all([], date(2026, 1, 1)) == 0
