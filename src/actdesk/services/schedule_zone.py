"""The advisor's time zone: the one helper every layer uses (never a fixed UTC offset, never dateutil's tzlocal).

The zone is the "schedule" setting's IANA name, else the computer's own zone detected by name with the
``tzlocal`` package (TZ variable, /etc/localtime, the Windows registry). It is always a ``zoneinfo.ZoneInfo``:
hashable (dateutil's rrule caches by zone), DST-aware for any date (a copy of today's offset put December
events an hour off), and nameable in an exported VTIMEZONE.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.settings import Settings

log = logging.getLogger(__name__)

FALLBACK = "UTC"


def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def system_zone_name() -> str:
    """The computer's IANA zone name, or "UTC" (logged) when the system names none that zoneinfo knows."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception as exc:  # tzlocal raises on odd TZ values or unreadable system files
        log.warning("could not detect the computer's time zone (%s); using UTC", exc)
        return FALLBACK
    if not name or _zone(name) is None:
        log.warning("the computer's time zone %r is not an IANA zone; using UTC", name)
        return FALLBACK
    return name


def schedule_zone(settings: ScheduleSettings) -> ZoneInfo:
    """The schedule's zone: the setting when it names a real zone, else the computer's."""
    if settings.time_zone:
        zone = _zone(settings.time_zone)
        if zone is not None:
            return zone
        log.warning("schedule time zone %r is unknown; using the computer's zone", settings.time_zone)
    return ZoneInfo(system_zone_name())


def advisor_zone(settings: Settings) -> ZoneInfo:
    """The schedule's zone from the whole settings object (for callers holding ``Settings``)."""
    return schedule_zone(settings.section(ScheduleSettings))
