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


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    # Canonical-looking names first, so the match reads naturally ("Europe/Berlin", not "Etc/..." or "posix/...").
    names = [
        n
        for n in available_timezones()
        if "/" in n and not n.startswith(("Etc/", "posix", "right", "SystemV"))
    ]
    return tuple(sorted(names))


def equivalent_zone(zone: tzinfo, around: datetime) -> str | None:
    """An IANA zone with the same UTC offsets as ``zone`` every day from a year before ``around`` to three
    years after (two DST changes a year are all caught by daily samples), else None."""
    start = around.astimezone(UTC).replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=365)
    coarse = tuple(start + timedelta(days=d) for d in range(0, 4 * 365, 61))
    fine = tuple(start + timedelta(hours=6 * k) for k in range(4 * 365 * 4))
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
    return equivalent_zone(value.tzinfo, value)
