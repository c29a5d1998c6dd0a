"""Recurrence rules expanded by dateutil: intervals, nth weekdays, anniversary reviews, month ends, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from actdesk.domain.schedule import recurrence as r

NY = ZoneInfo("America/New_York")


def local_days(rule: str, start: datetime, lo: date, hi: date, tz=UTC) -> list[date]:
    found = r.starts_between(
        rule,
        start,
        datetime.combine(lo, time.min, tzinfo=tz),
        datetime.combine(hi, time.min, tzinfo=tz),
        tz,
    )
    return [d.astimezone(tz).date() for d in found]


def test_every_n_days_weeks_months() -> None:
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    assert r.every(3, "days") == "FREQ=DAILY;INTERVAL=3"
    assert local_days(r.every(3, "days"), start, date(2026, 1, 1), date(2026, 1, 15)) == [
        date(2026, 1, 5),
        date(2026, 1, 8),
        date(2026, 1, 11),
        date(2026, 1, 14),
    ]
    assert local_days(r.every(2, "weeks"), start, date(2026, 1, 1), date(2026, 2, 10)) == [
        date(2026, 1, 5),
        date(2026, 1, 19),
        date(2026, 2, 2),
    ]
    assert local_days(r.every(3, "months"), start, date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 1, 5),
        date(2026, 4, 5),
        date(2026, 7, 5),
        date(2026, 10, 5),
    ]
    assert local_days(r.every(1, "weeks", count=2), start, date(2026, 1, 1), date(2026, 3, 1)) == [
        date(2026, 1, 5),
        date(2026, 1, 12),
    ]


def test_third_monday_and_last_friday() -> None:
    rule = r.nth_weekday(3, 0)
    assert rule == "FREQ=MONTHLY;BYDAY=+3MO"
    start = datetime(2026, 1, 19, 14, tzinfo=UTC)
    assert local_days(rule, start, date(2026, 1, 1), date(2026, 5, 1)) == [
        date(2026, 1, 19),
        date(2026, 2, 16),
        date(2026, 3, 16),
        date(2026, 4, 20),
    ]
    last_friday = r.nth_weekday(-1, 4)
    assert local_days(
        last_friday, datetime(2026, 1, 30, 14, tzinfo=UTC), date(2026, 1, 1), date(2026, 4, 1)
    ) == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
    ]


def test_semi_annual_reviews_follow_the_client_anniversary() -> None:
    anniversary = date(2015, 3, 17)
    start = r.anniversary_start(anniversary, date(2026, 1, 1), 6, time(10), NY)
    assert start.astimezone(NY) == datetime(2026, 3, 17, 10, tzinfo=NY)
    rule = r.anniversary_rule(anniversary)
    assert rule == "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=17"
    days = local_days(rule, start, date(2026, 1, 1), date(2028, 1, 1), NY)
    assert days == [date(2026, 3, 17), date(2026, 9, 17), date(2027, 3, 17), date(2027, 9, 17)]


def test_month_end_anniversary_clamps_to_short_months() -> None:
    anniversary = date(2019, 8, 31)
    rule = r.anniversary_rule(anniversary)
    assert rule == "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
    start = r.anniversary_start(anniversary, date(2025, 6, 1), 6, time(10), UTC)
    assert start.date() == date(2025, 8, 31)
    assert local_days(rule, start, date(2025, 1, 1), date(2028, 9, 30)) == [
        date(2025, 8, 31),
        date(2026, 2, 28),
        date(2026, 8, 31),
        date(2027, 2, 28),
        date(2027, 8, 31),
        date(2028, 2, 29),
        date(2028, 8, 31),
    ]
    apr30 = r.anniversary_rule(date(2020, 4, 30))
    start = r.anniversary_start(date(2020, 4, 30), date(2026, 1, 1), 6, time(9), UTC)
    assert local_days(apr30, start, date(2026, 1, 1), date(2027, 1, 1)) == [
        date(2026, 4, 30),
        date(2026, 10, 30),
    ]


def test_february_29_anniversary() -> None:
    anniversary = date(2016, 2, 29)
    rule = r.anniversary_rule(anniversary)
    start = r.anniversary_start(anniversary, date(2025, 1, 1), 6, time(10), UTC)
    assert start.date() == date(2025, 2, 28)
    assert local_days(rule, start, date(2025, 1, 1), date(2028, 9, 1)) == [
        date(2025, 2, 28),
        date(2025, 8, 29),
        date(2026, 2, 28),
        date(2026, 8, 29),
        date(2027, 2, 28),
        date(2027, 8, 29),
        date(2028, 2, 29),
        date(2028, 8, 29),
    ]
    yearly = r.anniversary_rule(anniversary, 12)
    start = r.anniversary_start(anniversary, date(2027, 1, 1), 12, time(10), UTC)
    assert local_days(yearly, start, date(2027, 1, 1), date(2029, 1, 1)) == [
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]


def test_next_review_is_at_least_half_an_interval_away() -> None:
    assert r.next_review_day(date(2026, 11, 25), date(2015, 6, 10), 6) == date(2027, 6, 10)
    assert r.next_review_day(date(2026, 6, 12), date(2015, 6, 10), 6) == date(2026, 12, 10)
    assert r.next_review_day(date(2026, 8, 31), None, 6) == date(2027, 2, 28)


def test_wall_time_is_kept_across_daylight_saving() -> None:
    start = datetime(2026, 3, 2, 10, tzinfo=NY)
    found = r.starts_between(r.every(1, "weeks"), start, start, datetime(2026, 3, 17, tzinfo=NY), NY)
    assert [d.astimezone(NY).hour for d in found] == [10, 10, 10]
    assert [d.hour for d in found] == [15, 14, 14]  # New York springs forward on March 8


def test_until_in_utc_and_series_end() -> None:
    start = datetime(2026, 1, 5, 15, tzinfo=UTC)
    rule = r.every(1, "weeks", until=datetime(2026, 1, 19, 15, tzinfo=UTC))
    assert len(r.starts_between(rule, start, start, datetime(2027, 1, 1, tzinfo=UTC), NY)) == 3
    assert r.series_end(rule, start, 60, NY) == datetime(2026, 1, 19, 16, tzinfo=UTC)
    assert r.series_end(r.every(1, "weeks"), start, 60, NY) == r.ENDLESS
    assert r.series_end(None, start, 60, NY) is None


@pytest.mark.parametrize("bad", ["FREQ=SOMETIMES", "INTERVAL=2", "FREQ=WEEKLY;BYDAY=XX", "nonsense"])
def test_bad_rules_are_refused_with_a_reason(bad: str) -> None:
    assert r.validate(bad) is not None
    with pytest.raises(r.RuleError):
        r.parse(bad, datetime(2026, 1, 1, tzinfo=UTC), UTC)


RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;BYDAY=+3MO",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=2",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
    "FREQ=MONTHLY;UNTIL=20300101T000000Z",
]


@settings(max_examples=60, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2024, 12, 31)),
    offset_days=st.integers(min_value=0, max_value=6000),
)
def test_fast_forward_gives_the_same_occurrences(rule: str, start: datetime, offset_days: int) -> None:
    """The shortcut that skips a long series' history never changes which occurrences a window shows."""
    dtstart = start.replace(second=0, microsecond=0, tzinfo=NY)
    lo = dtstart + timedelta(days=offset_days)
    hi = lo + timedelta(days=45)
    plain = r.parse(rule, dtstart, NY)
    local_lo, local_hi = lo.replace(tzinfo=None), hi.replace(tzinfo=None)
    expected = plain.between(local_lo, local_hi, inc=True)
    assert (
        r.fast_forward(plain, local_lo - timedelta(days=2)).between(local_lo, local_hi, inc=True) == expected
    )
