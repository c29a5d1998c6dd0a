"""Service levels and aging buckets, computed by hand and through the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from tests import factories

from actdesk.cli import main
from actdesk.domain.schedule.service import HouseholdFacts, aging_buckets, bucket, service_level

CADENCE = {"A": 30, "B": 90, "C": 180}


def test_service_level_by_hand() -> None:
    as_of = date(2026, 6, 30)
    facts = [
        HouseholdFacts(1, "Avery", "A", date(2010, 1, 1), date(2026, 5, 1), date(2026, 7, 2)),  # due May 31
        HouseholdFacts(2, "Brook", "B", date(2010, 1, 1), date(2026, 4, 1), None),  # due Jun 30: not yet
        HouseholdFacts(3, "Cole", "C", date(2026, 2, 1), None, None),  # never contacted: due Jul 31
        HouseholdFacts(4, "Drew", None, date(2010, 1, 1), date(2026, 1, 1), None),  # default 90: due Apr 1
    ]
    lines = {line.household_id: line for line in service_level(facts, as_of, CADENCE, 90)}
    assert lines[1].contact_due == date(2026, 5, 31) and lines[1].days_overdue == 30
    assert lines[1].next_scheduled == date(2026, 7, 2) and lines[1].days_since_contact == 60
    assert lines[2].days_overdue == 0 and not lines[2].overdue
    assert lines[3].contact_due == date(2026, 7, 31) and lines[3].days_overdue == 0
    assert lines[4].cadence_days == 90 and lines[4].days_overdue == 90
    ordered = service_level(facts, as_of, CADENCE, 90)
    assert [line.household_id for line in ordered] == [4, 1, 2, 3]


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+")],
)
def test_bucket_edges(days: int, expected: str) -> None:
    assert bucket(days) == expected


def test_aging_buckets_count_only_items_past_due() -> None:
    as_of = date(2026, 6, 30)
    due = [
        date(2026, 6, 30),
        date(2026, 6, 29),
        date(2026, 5, 31),
        date(2026, 5, 30),
        date(2026, 4, 1),
        date(2026, 3, 31),
        date(2025, 1, 1),
    ]
    assert aging_buckets(due, as_of) == {"0-30": 2, "31-60": 1, "61-90": 1, "90+": 2}


def test_service_level_cli_json(book, db_path, ny_settings, capsys) -> None:
    with book.session() as s:
        a = factories.household(s, "Avery household", since=date(2015, 3, 1))
        b = factories.household(s, "Brook household", since=date(2015, 3, 1))
        factories.household(s, "Prospect", status="prospect", since=None)
        factories.fee(s, b, date(2026, 3, 1), "2500.00")  # the larger revenue makes Brook segment A
        factories.activity(
            s,
            a,
            "call",
            start=datetime(2026, 5, 1, 14, tzinfo=UTC),
            completed=datetime(2026, 5, 1, 15, tzinfo=UTC),
        )
        factories.activity(
            s,
            a,
            "task",
            start=datetime(2026, 6, 1, 14, tzinfo=UTC),
            completed=datetime(2026, 6, 1, 15, tzinfo=UTC),
        )
        factories.activity(s, a, "meeting", start=datetime(2026, 7, 2, 14, tzinfo=UTC), subject="Lunch")
        factories.activity(s, b, "task", start=datetime(2026, 6, 10, 14, tzinfo=UTC), subject="Forms")
        factories.activity(s, b, "call", start=datetime(2026, 3, 1, 14, tzinfo=UTC), subject="Missed call")
    book.dispose()
    assert main(["--db", str(db_path), "schedule", "service-level", "--as-of", "2026-06-30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rows = {r["household"]: r for r in out["households"]}
    assert set(rows) == {"Avery household", "Brook household"}  # prospects have no service level
    avery = rows["Avery household"]
    assert avery["last_contact"] == "2026-05-01"  # the completed task is not a contact
    assert avery["next_scheduled"] == "2026-07-02"
    assert out["segments_known"] is True
    assert (avery["segment"], avery["cadence_days"], avery["contact_due"]) == ("C", 180, "2026-10-28")
    assert avery["days_overdue"] == 0
    brook = rows["Brook household"]
    assert (brook["segment"], brook["cadence_days"]) == ("A", 30)
    assert brook["last_contact"] is None and brook["contact_due"] == "2015-03-31"
    assert brook["days_overdue"] == (date(2026, 6, 30) - date(2015, 3, 31)).days
    assert out["aging_buckets"] == {"0-30": 1, "31-60": 0, "61-90": 0, "90+": 1}
    assert sorted((i["subject"], i["days_overdue"]) for i in out["overdue_items"]) == [
        ("Forms", 20),
        ("Missed call", 121),
    ]


def test_service_level_segments_follow_the_advisors_shares(book, db_path, ny_settings, capsys) -> None:
    """The report's A/B/C come from the advisor's analytics settings, as the dashboard's do: with every
    client in segment A, the quieter household gets A's 30-day cadence too (it used the defaults)."""
    settings = json.loads(ny_settings.read_text(encoding="utf-8"))
    settings["analytics"] = {"segment_a_share": 1.0, "segment_b_share": 0.0}
    ny_settings.write_text(json.dumps(settings), encoding="utf-8")
    with book.session() as s:
        factories.household(s, "Avery household", since=date(2015, 3, 1))
        b = factories.household(s, "Brook household", since=date(2015, 3, 1))
        factories.fee(s, b, date(2026, 3, 1), "2500.00")
    book.dispose()
    assert main(["--db", str(db_path), "schedule", "service-level", "--as-of", "2026-06-30", "--json"]) == 0
    rows = {r["household"]: r for r in json.loads(capsys.readouterr().out)["households"]}
    assert {(r["segment"], r["cadence_days"]) for r in rows.values()} == {("A", 30)}
