"""Roles and owner scopes: the domain rules, the leaderboard and the daily snapshot per owner."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests import factories as f

from actdesk.cli import main
from actdesk.domain.team import (
    VIEW_COMPENSATION,
    Role,
    User,
    can,
    cascade,
    check_name,
    visible_owners,
)
from actdesk.services.dashboard.snapshot import gather_snapshot
from actdesk.services.team import add_user, scope_in, sign_in
from actdesk.storage.engine import Book
from actdesk.storage.tables.book import HouseholdRow

PAT = User("pat", "Pat Advisor", Role.OWNER)
ANN = User("ann", "Ann Junior", Role.ADVISOR)
SAM = User("sam", "Sam Assistant", Role.ASSISTANT)
NOW = datetime(2026, 6, 30, 15, tzinfo=UTC)


def test_roles_and_permissions() -> None:
    assert can(PAT, VIEW_COMPENSATION) and can(ANN, VIEW_COMPENSATION)
    assert not can(SAM, VIEW_COMPENSATION)
    assert not can(None, VIEW_COMPENSATION)
    assert not can(User("old", "Old", Role.OWNER, active=False), VIEW_COMPENSATION)


def test_visible_owners_cascade_from_advisor_to_owner() -> None:
    team = [PAT, ANN, SAM]
    assert visible_owners(PAT, team) is None  # everyone's
    assert visible_owners(ANN, team) == frozenset({"ann"})
    assert visible_owners(SAM, team) is None  # the assistant serves the whole practice
    assert visible_owners(None, team) == frozenset()
    assert cascade({"pat": 5, "ann": 3, None: 2}, team) == {
        "advisors": {"ann": 3, "pat": 5, None: 2},
        "practice": 10,
    }


@pytest.mark.parametrize("name", ["", "  ", "ann lee", "x" * 101])
def test_bad_user_names(name: str) -> None:
    assert check_name(name) is not None


def _practice(s: Session) -> dict[str, int]:
    ids = {}
    for owner, name in (("pat", "Pat's client"), ("ann", "Ann's client")):
        hid = f.household(s, name, since=date(2026, 1, 15))
        s.get_one(HouseholdRow, hid).owner = owner
        f.fee(s, hid, date(2026, 3, 31), "1000.00")
        f.activity(s, hid, "call", start=NOW, completed=datetime(2026, 5, 1, tzinfo=UTC), owner=owner)
        f.activity(s, hid, "review", start=NOW, owner=owner)  # due today
        ids[owner] = hid
    return ids


@pytest.fixture
def team(book: Book) -> tuple[Book, dict[str, int]]:
    """Pat (practice owner), Ann (advisor) and Sam (assistant); one client household each for Pat and Ann."""
    add_user(book, "pat", Role.OWNER)
    sign_in("pat")
    try:
        add_user(book, "ann", Role.ADVISOR)
        add_user(book, "sam", Role.ASSISTANT)
    finally:
        sign_in(None)
    with book.session() as s:
        ids = _practice(s)
    return book, ids


def _leaderboard(db: Path, user: str, out: Path) -> list[str]:
    assert (
        main(
            [
                "--db",
                str(db),
                "--user",
                user,
                "report",
                "leaderboard",
                "--as-of",
                "2026-06-30",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    with out.open(encoding="utf-8-sig") as fh:
        return [row[0] for row in csv.reader(fh) if row]


def test_leaderboard_per_owner(team: tuple[Book, dict[str, int]], tmp_path: Path) -> None:
    book, _ids = team
    db = book.path
    assert db is not None
    as_owner = _leaderboard(db, "pat", tmp_path / "pat.csv")
    as_advisor = _leaderboard(db, "ann", tmp_path / "ann.csv")
    assert "pat" in as_owner and "ann" in as_owner
    assert "ann" in as_advisor and "pat" not in as_advisor


def test_daily_snapshot_per_owner(team: tuple[Book, dict[str, int]]) -> None:
    team_book, ids = team
    try:
        sign_in("ann")
        with team_book.reader() as s:
            mine = gather_snapshot(s, NOW, UTC, owners=scope_in(s))
        sign_in("pat")
        with team_book.reader() as s:
            everyone = gather_snapshot(s, NOW, UTC, owners=scope_in(s))
    finally:
        sign_in(None)
    assert {o.household_id for o in everyone.due_today} == {ids["pat"], ids["ann"]}
    assert {o.household_id for o in mine.due_today} == {ids["ann"]}
