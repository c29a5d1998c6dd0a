"""Recurrence in RFC 5545 terms, computed by dateutil.rrule (never a home-made rule engine).

Rules are stored as the RRULE value ("FREQ=WEEKLY;INTERVAL=2"). They are expanded in the advisor's local
wall time, so a 10:00 meeting stays at 10:00 across daylight-saving changes, and returned as UTC instants.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr, weekday

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UNITS = {"days": "DAILY", "weeks": "WEEKLY", "months": "MONTHLY", "years": "YEARLY"}
# The far end of an endless series, so that "series_end >= window start" finds it with an index.
ENDLESS = datetime(9999, 12, 31, tzinfo=UTC)
_UNTIL = re.compile(r"UNTIL=([0-9T]+Z?)", re.IGNORECASE)


class RuleError(ValueError):
    """A recurrence rule that cannot be understood; the message says why in plain words."""


def every(n: int, unit: str, *, count: int | None = None, until: datetime | None = None) -> str:
    """Every N days, weeks, months or years."""
    if n < 1:
        raise RuleError("the interval must be at least 1")
    if unit not in UNITS:
        raise RuleError(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    return _with_end(f"FREQ={UNITS[unit]}" + (f";INTERVAL={n}" if n > 1 else ""), count, until)


def nth_weekday(n: int, weekday: int, *, interval_months: int = 1, count: int | None = None) -> str:
    """ "Third Monday" of every month is ``nth_weekday(3, 0)``; ``n=-1`` is the last such weekday."""
    if n == 0 or not -5 <= n <= 5:
        raise RuleError("the position must be 1 to 5, or -1 for the last")
    byday = f"{'+' if n > 0 else ''}{n}{WEEKDAYS[weekday]}"
    rule = "FREQ=MONTHLY" + (f";INTERVAL={interval_months}" if interval_months > 1 else "")
    return _with_end(f"{rule};BYDAY={byday}", count, None)


def anniversary_rule(anniversary: date, interval_months: int = 6) -> str:
    """Reviews every ``interval_months`` on the anniversary's day of month, clamped to shorter months.

    Day 29-31 anniversaries use BYMONTHDAY=28..d with BYSETPOS=-1 (plain RFC 5545, understood by common
    calendars): the latest of those days the month has, so Aug 31 gives Feb 28 (29 in leap years) and a
    Feb 29 anniversary gives Feb 28 in common years.
    """
    if interval_months < 1:
        raise RuleError("the interval must be at least one month")
    day = anniversary.day
    rule = f"FREQ=MONTHLY;INTERVAL={interval_months}"
    if day <= 28:
        return f"{rule};BYMONTHDAY={day}"
    return f"{rule};BYMONTHDAY={','.join(str(d) for d in range(28, day + 1))};BYSETPOS=-1"


def anniversary_start(
    anniversary: date, on_or_after: date, interval_months: int, at: time, tz: tzinfo
) -> datetime:
    """The first anniversary-aligned review date on or after ``on_or_after``, at local time ``at``, in UTC."""
    k = 0
    candidate = anniversary
    while candidate < on_or_after:
        k += 1
        candidate = anniversary + relativedelta(months=interval_months * k)  # clamps to month ends
    return datetime.combine(candidate, at, tzinfo=tz).astimezone(UTC)


def _with_end(rule: str, count: int | None, until: datetime | None) -> str:
    if count is not None and until is not None:
        raise RuleError("a series ends after a number of times or on a date, not both")
    if count is not None:
        if count < 1:
            raise RuleError("a series needs at least one occurrence")
        rule += f";COUNT={count}"
    if until is not None:
        rule += ";UNTIL=" + until.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return rule


def normalise(rule: str) -> str:
    """The RRULE value without the "RRULE:" prefix, upper case, without empty parts."""
    text = rule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    return ";".join(part for part in text.upper().split(";") if part)


def _local_rule(rule: str, tz: tzinfo) -> str:
    """UNTIL given in UTC ("Z") becomes local wall time, since expansion runs on naive local datetimes."""

    def convert(match: re.Match[str]) -> str:
        value = match.group(1)
        if value.endswith("Z"):
            instant = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return "UNTIL=" + instant.astimezone(tz).strftime("%Y%m%dT%H%M%S")
        if "T" not in value:
            return f"UNTIL={value}T235959"
        return f"UNTIL={value}"

    return _UNTIL.sub(convert, normalise(rule))


def parse(rule: str, dtstart: datetime, tz: tzinfo) -> rrule:
    """The dateutil rule anchored at ``dtstart`` (aware) in local wall time; RuleError if unreadable."""
    return _parse(rule, dtstart.astimezone(tz).replace(tzinfo=None), tz)


@lru_cache(maxsize=8192)
def _parse(rule: str, local: datetime, tz: tzinfo) -> rrule:
    """Parsing costs more than expanding a window: each series is parsed once per process."""
    try:
        parsed = rrulestr(_local_rule(rule, tz), dtstart=local)
    except (ValueError, TypeError, KeyError, IndexError) as exc:
        raise RuleError(f"unreadable recurrence rule {rule!r}: {exc}") from None
    if not isinstance(parsed, rrule):
        raise RuleError(f"unsupported recurrence rule {rule!r}")
    return parsed


def validate(rule: str) -> str | None:
    """None when the rule is usable, else a one-line reason."""
    try:
        parse(rule, datetime(2020, 1, 1, tzinfo=UTC), UTC)
    except RuleError as exc:
        return str(exc)
    return None


def _to_utc(naive_local: datetime, tz: tzinfo) -> datetime:
    return naive_local.replace(tzinfo=tz).astimezone(UTC)


def fast_forward(rule: rrule, lo: datetime) -> rrule:
    """The same rule restarted at the beginning of an interval-aligned period shortly before ``lo``.

    dateutil walks every occurrence from DTSTART, so a monthly series begun years ago costs its whole history
    on each window query. Restarting at an aligned period with every BYxxx part made explicit (the defaults
    dateutil derived from the original DTSTART) yields exactly the same occurrences from there on; rules with
    COUNT are left alone (the count runs from the original start). Tests compare both ways on random rules.
    """
    r: Any = rule  # dateutil keeps the resolved rule parts on these (untyped) attributes
    start = r._dtstart
    if (
        r._count is not None
        or r._freq not in (YEARLY, MONTHLY, WEEKLY, DAILY)
        or lo - start < timedelta(days=400)
    ):
        return rule
    n = r._interval
    if r._freq == YEARLY:
        k = ((lo.year - start.year) // n - 1) * n
        new = datetime(start.year + k, 1, 1)
    elif r._freq == MONTHLY:
        k = (((lo.year - start.year) * 12 + lo.month - start.month) // n - 1) * n
        month = start.month - 1 + k
        new = datetime(start.year + month // 12, month % 12 + 1, 1)
    elif r._freq == WEEKLY:
        week_start = start.date() - timedelta(days=(start.weekday() - r._wkst) % 7)
        k = (((lo.date() - week_start).days // 7) // n - 1) * n
        new = datetime.combine(week_start + timedelta(weeks=k), time.min)
    else:
        k = ((lo.date() - start.date()).days // n - 1) * n
        new = datetime.combine(start.date() + timedelta(days=k), time.min)
    if k <= 0:
        return rule
    byweekday = [weekday(d) for d in r._byweekday or ()] + [weekday(d, m) for d, m in r._bynweekday or ()]
    bymonthday = tuple(r._bymonthday or ()) + tuple(r._bynmonthday or ())
    return rrule(
        r._freq,
        dtstart=new,
        interval=n,
        wkst=r._wkst,
        until=r._until,
        bysetpos=r._bysetpos,
        bymonth=r._bymonth,
        bymonthday=bymonthday or None,
        byyearday=r._byyearday or None,
        byeaster=r._byeaster,
        byweekno=r._byweekno,
        byweekday=byweekday or None,
        byhour=r._byhour,
        byminute=r._byminute,
        bysecond=r._bysecond,
    )


@lru_cache(maxsize=16384)
def _forwarded(rule: str, local: datetime, tz: tzinfo, year: int, month: int) -> rrule:
    """The rule fast-forwarded to just before the given month, kept while the calendar shows that month."""
    return fast_forward(_parse(rule, local, tz), datetime(year, month, 1) - timedelta(days=2))


def starts_between(
    rule: str, dtstart: datetime, window_start: datetime, window_end: datetime, tz: tzinfo
) -> list[datetime]:
    """UTC starts of the occurrences with window_start <= start < window_end."""
    lo = window_start.astimezone(tz).replace(tzinfo=None)
    hi = window_end.astimezone(tz).replace(tzinfo=None)
    parsed = _forwarded(rule, dtstart.astimezone(tz).replace(tzinfo=None), tz, lo.year, lo.month)
    result = [_to_utc(d, tz) for d in parsed.between(lo, hi, inc=True)]
    return [d for d in result if window_start <= d < window_end]


def is_occurrence(rule: str, dtstart: datetime, instant: datetime, tz: tzinfo) -> bool:
    second = timedelta(seconds=1)
    return bool(starts_between(rule, dtstart, instant - second, instant + second, tz))


def series_end(
    rule: str | None, dtstart: datetime | None, duration_minutes: int | None, tz: tzinfo
) -> datetime | None:
    """When the last occurrence ends (ENDLESS for open-ended series), None for a one-off activity.

    Stored beside the series so that a window query can skip finished series by index.
    """
    if not rule or dtstart is None:
        return None
    parsed = parse(rule, dtstart, tz)
    text = normalise(rule)
    if "COUNT=" not in text and "UNTIL=" not in text:
        return ENDLESS
    dates = list(parsed)  # bounded: COUNT or UNTIL is present
    if not dates:
        return dtstart
    return _to_utc(dates[-1], tz) + timedelta(minutes=duration_minutes or 0)


def truncate_before(rule: str, instant: datetime) -> str:
    """The rule ended just before ``instant`` (for "this and following" edits and ending a series)."""
    parts = [p for p in normalise(rule).split(";") if not p.startswith(("COUNT=", "UNTIL="))]
    until = (instant - timedelta(seconds=1)).astimezone(UTC)
    return ";".join([*parts, "UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ")])


def split_rule(rule: str, dtstart: datetime, at: datetime, tz: tzinfo) -> tuple[str, str]:
    """The two rules of a series split at the occurrence ``at`` ("this and following", RFC 5545): the old
    one ends with UNTIL just before it; the new one, starting at ``at``, keeps UNTIL or the rest of COUNT."""
    text = normalise(rule)
    parts = text.split(";")
    count = next((int(p[6:]) for p in parts if p.startswith("COUNT=")), None)
    if count is None:
        return truncate_before(text, at), text
    before = len(starts_between(text, dtstart, dtstart, at, tz))
    rest = [p for p in parts if not p.startswith("COUNT=")]
    return truncate_before(text, at), ";".join([*rest, f"COUNT={max(1, count - before)}"])


def shift_wall_time(instant: datetime, delta: timedelta, tz: tzinfo) -> datetime:
    """``instant`` moved by ``delta`` of local wall time (10:00 + 1 h is 11:00 on either side of DST)."""
    local = instant.astimezone(tz).replace(tzinfo=None) + delta
    return _to_utc(local, tz)


def wall_delta(before: datetime, after: datetime, tz: tzinfo) -> timedelta:
    """The change of local wall time from ``before`` to ``after``."""
    return after.astimezone(tz).replace(tzinfo=None) - before.astimezone(tz).replace(tzinfo=None)


def next_review_day(completed_on: date, anniversary: date | None, interval_months: int) -> date:
    """The review after one completed on ``completed_on``: the next anniversary-aligned date at least half an
    interval away (a review done late does not bring the next one within weeks), else one interval later."""
    if anniversary is None:
        return completed_on + relativedelta(months=interval_months)
    earliest = completed_on + relativedelta(months=max(1, interval_months // 2))
    k = 0
    candidate = anniversary
    while candidate < earliest:
        k += 1
        candidate = anniversary + relativedelta(months=interval_months * k)
    return candidate
