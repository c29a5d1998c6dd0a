"""With no schedule time zone set, the computer's IANA zone is used: repeating events import and list.

Runs the real ``actdesk`` command in a child process with ``TZ`` set, as an advisor's machine would be, so
that the zone is detected the way the installed program detects it (the ``tzlocal`` package), not patched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tests.schedule import ics_samples

from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.services.schedule_zone import schedule_zone, system_zone_name


def actdesk(*args: str, tz: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz}
    return subprocess.run(
        [sys.executable, "-m", "actdesk", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.parametrize("zone", ["Europe/Madrid", "America/New_York"])
def test_repeating_events_import_and_list_with_the_setting_unset(tmp_path: Path, zone: str) -> None:
    from actdesk.settings import settings_path

    assert not settings_path().exists()  # no "schedule" section, no time_zone
    db = tmp_path / "book.db"
    ics = tmp_path / "google.ics"
    ics.write_text(ics_samples.GOOGLE, encoding="utf-8")
    assert actdesk("--db", str(db), "demo", "--households", "3", "--seed", "1", tz=zone).returncode == 0
    done = actdesk("--db", str(db), "schedule", "import-ics", str(ics), "--household", "1", "--json", tz=zone)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    assert json.loads(done.stdout)["created"] == 2
    listed = actdesk(
        "--db", str(db), "schedule", "--from", "2026-01-01", "--to", "2026-01-31", "--json", tz=zone
    )
    assert listed.returncode == 0, listed.stderr
    shown = [r["start"] for r in json.loads(listed.stdout) if r["subject"].startswith("Check-in with Ann")]
    # The Los Angeles series in the computer's zone: Jan 12 is an EXDATE, Jan 19 moved to Jan 20 14:00.
    la = ZoneInfo("America/Los_Angeles")
    expected = [datetime(2026, 1, d, h, tzinfo=la) for d, h in ((5, 9), (20, 14), (26, 9))]
    assert shown == [d.astimezone(ZoneInfo(zone)).isoformat() for d in expected]


def test_the_helper_always_returns_a_named_hashable_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    monkeypatch.setenv("TZ", "Europe/Madrid")
    tzlocal.reload_localzone()
    try:
        zone = schedule_zone(ScheduleSettings())
        assert zone == ZoneInfo("Europe/Madrid") and hash(zone)
        assert schedule_zone(ScheduleSettings(time_zone="America/New_York")).key == "America/New_York"
        # An unknown setting falls back to the computer's zone, not to a fixed offset.
        assert schedule_zone(ScheduleSettings(time_zone="Mars/Olympus")).key == "Europe/Madrid"

        # A system that names no zone (tzlocal raises) gives UTC, logged, rather than a crash.
        def unreadable() -> str:
            raise ValueError("no zone configured")

        monkeypatch.setattr(tzlocal, "get_localzone_name", unreadable)
        assert system_zone_name() == "UTC"
    finally:
        monkeypatch.delenv("TZ")
        tzlocal.reload_localzone()
