"""Time zones of calendar files: the IANA zone behind a TZID, whoever wrote it.

Google and Apple write IANA names; Outlook and Exchange write Windows names ("GMT Standard Time", mapped with
the CLDR table that the ``tzlocal`` package ships); Microsoft CDO and Lotus write home-made names with their
own VTIMEZONE ("GMT +0100 (Standard) / GMT +0200 (Daylight)"), matched to an IANA zone with the same offsets
over the years the event spans. A series keeps that zone, so its occurrences are the instants the sender meant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import available_timezones

from actdesk.domain.schedule.recurrence import named_zone


@lru_cache(maxsize=1)
def _windows_names() -> dict[str, str]:
    try:
        from tzlocal.windows_tz import win_tz
    except ImportError:  # pragma: no cover - tzlocal is a dependency
        return {}
    return {name.lower(): iana for name, iana in win_tz.items()}


def windows_zone(name: str) -> str | None:
    """The IANA zone of a Windows zone name ("W. Europe Standard Time" -> "Europe/Berlin"), else None."""
    iana = _windows_names().get(name.strip().strip('"').lower())
    return iana if iana and named_zone(iana) else None


def _offsets(zone: tzinfo, instants: tuple[datetime, ...]) -> tuple[timedelta | None, ...]:
    return tuple(i.astimezone(zone).utcoffset() for i in instants)


_REGIONS = ("Europe/", "America/", "Asia/", "Australia/", "Pacific/", "Africa/", "Atlantic/", "Indian/")


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    """Region/City names, Europe and the Americas first, so that a match reads naturally."""
    names = [n for n in available_timezones() if n.startswith(_REGIONS)]
    return tuple(sorted(names, key=lambda n: (next(i for i, r in enumerate(_REGIONS) if n.startswith(r)), n)))


def equivalent_zone(zone: tzinfo, around: datetime) -> str | None:
    """An IANA zone with the same UTC offset as ``zone`` at noon UTC every day from a year before ``around``
    to three years after (so the same DST rules), else None."""
    start = around.astimezone(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=365)
    coarse = tuple(start + timedelta(days=d) for d in range(0, 4 * 365, 61))
    fine = tuple(start + timedelta(days=d) for d in range(4 * 365))
    try:
        want_coarse = _offsets(zone, coarse)
        want_fine: tuple[timedelta | None, ...] | None = None
    except (ValueError, OverflowError):
        return None
    for name in _candidates():
        candidate = named_zone(name)
        if candidate is None or _offsets(candidate, coarse) != want_coarse:
            continue
        if want_fine is None:
            want_fine = _offsets(zone, fine)
        if _offsets(candidate, fine) == want_fine:
            return name
    return None


def zone_name(value: datetime, tzid: str | None) -> str | None:
    """The IANA name for an aware date-time read from a file (its TZID parameter, if any); "UTC" for a time
    given in UTC; None for a floating time or a zone nothing matches (then the advisor's zone applies)."""
    if value.tzinfo is None:
        return None
    if tzid:
        if named_zone(tzid.strip('"')) is not None:
            return tzid.strip('"')
        windows = windows_zone(tzid)
        if windows:
            return windows
    key = getattr(value.tzinfo, "key", None)
    if isinstance(key, str) and named_zone(key) is not None:
        return key
    if not tzid and value.utcoffset() == timedelta(0):
        return "UTC"
    return _equivalent_by_name(tzid or "", value.year, value.tzinfo, value)


_matched: dict[tuple[str, int], str | None] = {}


def _equivalent_by_name(tzid: str, year: int, zone: tzinfo, around: datetime) -> str | None:
    """``equivalent_zone`` once per home-made TZID and year (each event of a file brings its own copy)."""
    key = (tzid, year)
    if not tzid:
        return equivalent_zone(zone, around)
    if key not in _matched:
        _matched[key] = equivalent_zone(zone, around)
    return _matched[key]
