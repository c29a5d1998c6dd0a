"""Schedule fixtures: the advisor works in New York; the CLI reads that from the settings file."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

NY = ZoneInfo("America/New_York")


@pytest.fixture
def ny_settings() -> Path:
    from actdesk.settings import settings_path

    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"schedule": {"time_zone": "America/New_York"}}), encoding="utf-8")
    return path
