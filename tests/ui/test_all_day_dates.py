"""An all-day item shows its own date in the card's lists, wherever the computer is: all-day items start at UTC
midnight, which is the previous evening in the Americas (it used to show the day before there)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from actdesk import i18n
from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.ui.card.models import activities_model, upcoming_model

MIDNIGHT_UTC = datetime(2026, 12, 7, tzinfo=UTC)


@pytest.fixture(params=["America/Los_Angeles", "America/Sao_Paulo", "Europe/Madrid", "Asia/Tokyo"])
def zone(request, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("lang, shown", [("en", "Dec 7, 2026"), ("es", "7 dic 2026")])
def test_an_all_day_item_shows_its_own_date(qtbot, zone: str, lang: str, shown: str) -> None:
    i18n.set_language(lang)
    try:
        upcoming = upcoming_model()
        upcoming.set_rows(
            [Occurrence(1, 1, "review", "Annual review", MIDNIGHT_UTC, duration_minutes=1440, all_day=True)]
        )
        history = activities_model()
        history.set_rows(
            [Activity(1, ActivityKind.REVIEW, "Annual review", start=MIDNIGHT_UTC, all_day=True)]
        )
        for model in (upcoming, history):
            assert model.index(0, 0).data() == shown, (zone, model.index(0, 0).data())
    finally:
        i18n.set_language("en")
