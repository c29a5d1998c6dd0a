"""The advisor's time zone for the schedule: the "schedule" setting, else the computer's own (DST-aware)."""

from __future__ import annotations

from datetime import tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import tz as dateutil_tz

from actdesk.domain.schedule.config import ScheduleSettings


def schedule_zone(settings: ScheduleSettings) -> tzinfo:
    if settings.time_zone:
        try:
            return ZoneInfo(settings.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dateutil_tz.tzlocal()
