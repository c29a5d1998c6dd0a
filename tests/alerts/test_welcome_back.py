"""A returning client (issue 20): welcomed back with a review of the plan, not new again nor still gone; the
alert facts read every client period."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.domain.alerts import RuleKey, Severity

from .quiet import AS_OF, fired, quiet

WELCOME = RuleKey.WELCOME_BACK
BACK = date(2026, 10, 1)


def returning(**changes: object):  # type: ignore[no-untyped-def]
    """A client from 2015 to 2024-03-31, back on 2026-10-01, no review since."""
    base = dict(
        client_since=BACK,
        returned_on=BACK,
        left_on=date(2024, 3, 31),
        tenure_days=float((date(2024, 3, 31) - date(2015, 1, 1)).days + (AS_OF - BACK).days),
        last_review=date(2024, 1, 15),
        meetings_as_client=0,
    )
    base.update(changes)
    return quiet(**base)


def test_a_returning_client_is_welcomed_back_with_the_date_of_return() -> None:
    (found,) = fired(WELCOME, returning())
    assert found.explanation == (
        "Welcome back: a client again since Oct 1, 2026, after 30 months away (9.4 years as a client in all). "
        "Review the plan with them."
    )
    assert found.severity is Severity.MEDIUM


def test_welcome_back_ends_with_a_review_or_after_its_window() -> None:
    assert fired(WELCOME, returning(last_review=date(2026, 11, 2))) == []
    assert fired(WELCOME, returning(returned_on=AS_OF - timedelta(days=180), client_since=None)) == []
    assert fired(WELCOME, returning(returned_on=AS_OF - timedelta(days=179))) != []
    assert fired(WELCOME, quiet()) == []  # never away
    (booked,) = fired(WELCOME, returning(next_review=date(2026, 12, 10)))
    assert booked.severity is Severity.LOW and "A review is scheduled for Dec 10, 2026." in booked.explanation


def test_a_returning_client_is_not_a_first_year_client() -> None:
    assert fired(RuleKey.RELATIONSHIP_GAP, returning()) == []
    # the same dates without the earlier period: a new client with no second meeting
    assert fired(RuleKey.RELATIONSHIP_GAP, quiet(client_since=BACK, meetings_as_client=0)) == []  # 60 days
    new = quiet(client_since=date(2026, 6, 1), meetings_as_client=0)
    assert fired(RuleKey.RELATIONSHIP_GAP, new)
    assert fired(RuleKey.RELATIONSHIP_GAP, returning(client_since=date(2026, 6, 1))) == []


def _alerts(capsys: pytest.CaptureFixture[str], path: str, as_of: str) -> list[dict]:  # type: ignore[type-arg]
    assert main(["--db", path, "alerts", "--as-of", as_of, "--json"]) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_alerts_through_the_cli_read_every_period(book, db_path: Path, capsys) -> None:
    with book.session() as s:
        long, _lou = f.long_former_client(s)
    book.dispose()
    path = str(db_path)
    assert main(["--db", path, "household", "return", str(long), "--on", "2026-10-01", "--json"]) == 0
    capsys.readouterr()

    now = {a["rule"]: a for a in _alerts(capsys, path, "2026-11-30") if a["household_id"] == long}
    assert (
        "Welcome back: a client again since Oct 1, 2026, after 30 months away"
        in (now["welcome_back"]["explanation"])
    )
    assert "relationship_gap" not in now  # not a brand-new client: tenure is the periods added up
    # A past date inside the first period: a client then (the latest period alone would say it was not).
    then = {a["rule"] for a in _alerts(capsys, path, "2023-06-30") if a["household_id"] == long}
    assert "contact_gap" in then and "welcome_back" not in then
