"""Recurrence in RFC 5545 terms, computed by dateutil.rrule (never a home-made rule engine).

Rules are stored as the RRULE value ("FREQ=WEEKLY;INTERVAL=2"), optionally followed by one line of extra dates
("\nRDATE:20260110T150000Z,...", UTC instants) or made of that line alone. They are expanded in the series'
own zone (its DTSTART's TZID; UTC for all-day series; the advisor's for floating times), so a 10:00 meeting
stays at 10:00 across daylight-saving changes, and returned as UTC instants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

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


@lru_cache(maxsize=512)
def named_zone(name: str | None) -> tzinfo | None:
    """The IANA zone of that name, None when there is no such zone (or no name)."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def _normalise_rrule(text: str) -> str:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    # Microsoft CDO writes "BYDAY=MO, TU": spaces inside a value list mean nothing.
    return ";".join(part for part in re.sub(r"\s+", "", text.upper()).split(";") if part)


def format_rdates(rdates: Iterable[datetime]) -> str:
    return "RDATE:" + ",".join(d.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ") for d in sorted(set(rdates)))


@lru_cache(maxsize=8192)
def rule_parts(rule: str) -> tuple[str | None, tuple[datetime, ...]]:
    """(RRULE value or None, extra dates as UTC instants) of a stored rule. RuleError if unreadable."""
    rrule_text: str | None = None
    rdates: set[datetime] = set()
    for line in rule.splitlines() or [rule]:
        line = line.strip()
        if not line:
            continue
        if line.upper().startswith("RDATE:"):
            for value in line[6:].split(","):
                try:
                    rdates.add(datetime.strptime(value.strip().upper(), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC))
                except ValueError:
                    raise RuleError(f"unreadable extra date {value.strip()!r}") from None
        else:
            rrule_text = _normalise_rrule(line) or None
    return rrule_text, tuple(sorted(rdates))


def join_rule(rrule_text: str | None, rdates: Iterable[datetime]) -> str:
    """The stored form of an RRULE value and extra dates (either may be missing)."""
    extra = sorted(set(rdates))
    lines = ([rrule_text] if rrule_text else []) + ([format_rdates(extra)] if extra else [])
    return "\n".join(lines)


def normalise(rule: str) -> str:
    """The RRULE value without the "RRULE:" prefix, upper case, without empty parts or spaces; extra dates
    (if any) on a second line, sorted."""
    if "\n" not in rule.strip() and not rule.strip().upper().startswith("RDATE:"):
        return _normalise_rrule(rule)
    rrule_text, rdates = rule_parts(rule)
    return join_rule(rrule_text, rdates)


def _local_rule(rule: str, tz: tzinfo) -> str:  # rule: an RRULE value only
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
    """The dateutil rule (of an RRULE value) anchored at ``dtstart`` (aware) in local wall time; RuleError
    if unreadable."""
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
        rrule_text, rdates = rule_parts(rule)
        if rrule_text is None and not rdates:
            return "empty recurrence rule"
        if rrule_text is not None:
            parse(rrule_text, datetime(2020, 1, 1, tzinfo=UTC), UTC)
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
    """UTC starts of the occurrences with window_start <= start < window_end (the rule's dates and the extra
    dates; with extra dates only, DTSTART is the first occurrence, as RFC 5545 says)."""
    rrule_text, rdates = rule_parts(rule)
    found: set[datetime] = {d for d in rdates if window_start <= d < window_end}
    if rrule_text is None:
        if window_start <= dtstart < window_end:
            found.add(dtstart.astimezone(UTC))
        return sorted(found)
    lo = window_start.astimezone(tz).replace(tzinfo=None)
    hi = window_end.astimezone(tz).replace(tzinfo=None)
    parsed = _forwarded(rrule_text, dtstart.astimezone(tz).replace(tzinfo=None), tz, lo.year, lo.month)
    found.update(
        d
        for d in (_to_utc(d, tz) for d in parsed.between(lo, hi, inc=True))
        if window_start <= d < window_end
    )
    return sorted(found)


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
    rrule_text, rdates = rule_parts(rule)
    last = max((dtstart, *rdates))
    if rrule_text is not None:
        parsed = parse(rrule_text, dtstart, tz)
        if "COUNT=" not in rrule_text and "UNTIL=" not in rrule_text:
            return ENDLESS
        dates = list(parsed)  # bounded: COUNT or UNTIL is present
        if dates:
            last = max(last, _to_utc(dates[-1], tz))
    return last + timedelta(minutes=duration_minutes or 0)


def truncate_before(rule: str, instant: datetime) -> str:
    """The rule ended just before ``instant`` (for "this and following" edits and ending a series)."""
    rrule_text, rdates = rule_parts(rule)
    before = [d for d in rdates if d < instant]
    if rrule_text is None:
        return join_rule(None, before)  # empty: only DTSTART is left, a one-off
    parts = [p for p in rrule_text.split(";") if not p.startswith(("COUNT=", "UNTIL="))]
    until = (instant - timedelta(seconds=1)).astimezone(UTC)
    return join_rule(";".join([*parts, "UNTIL=" + until.strftime("%Y%m%dT%H%M%SZ")]), before)


def split_rule(rule: str, dtstart: datetime, at: datetime, tz: tzinfo) -> tuple[str, str]:
    """The two rules of a series split at the occurrence ``at`` ("this and following", RFC 5545): the old
    one ends with UNTIL just before it; the new one, starting at ``at``, keeps UNTIL or the rest of COUNT."""
    text = normalise(rule)
    rrule_text, rdates = rule_parts(text)
    after = [d for d in rdates if d >= at]
    if rrule_text is None:
        return truncate_before(text, at), join_rule(None, after)
    parts = rrule_text.split(";")
    count = next((int(p[6:]) for p in parts if p.startswith("COUNT=")), None)
    if count is None:
        return truncate_before(text, at), join_rule(rrule_text, after)
    before = len(starts_between(rrule_text, dtstart, dtstart, at, tz))
    rest = [p for p in parts if not p.startswith("COUNT=")]
    return truncate_before(text, at), join_rule(";".join([*rest, f"COUNT={max(1, count - before)}"]), after)


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
