"""``suggestions --as-of`` in the past sees the statuses and accounts of that date (issue 20)."""

from __future__ import annotations

import json
from datetime import date

from tests.pipeline.books import annuity_book

from actdesk.cli import main
from actdesk.domain.analytics.periods import ClientPeriod, status_on
from actdesk.storage.repositories.client_periods import record_departure


def suggested(db_path, capsys, household_id: int, as_of: str) -> list[str]:
    assert main(["--db", str(db_path), "suggestions", str(household_id), "--as-of", as_of, "--json"]) == 0
    return [row["holding"] for row in json.loads(capsys.readouterr().out)]


def test_accounts_opened_later_are_not_held_then(book, db_path, capsys) -> None:
    with book.session() as s:
        ids = annuity_book(s)  # every balance is dated 2026-09-30
    assert "annuity" in suggested(db_path, capsys, ids["target"], "2026-10-31")
    # on 30 June nobody held an annuity yet (nor anything else): nothing to suggest from
    assert suggested(db_path, capsys, ids["target"], "2026-06-30") == []


def test_clients_then_are_neighbours_then(book, db_path, capsys) -> None:
    with book.session() as s:
        ids = annuity_book(s)
        for key in ("s1", "s2", "s3", "holder"):  # the annuity holders all leave in November
            record_departure(s, ids[key], date(2026, 11, 15), "moved")
    assert "annuity" not in suggested(db_path, capsys, ids["target"], "2026-11-30")  # no client holds one now
    assert "annuity" in suggested(db_path, capsys, ids["target"], "2026-10-31")  # they were clients then


def test_status_on_a_date_from_the_periods() -> None:
    periods = [ClientPeriod(1, date(2020, 1, 1), date(2023, 1, 1)), ClientPeriod(1, date(2024, 1, 1), None)]
    assert status_on(periods, "client", date(2019, 6, 30)) == "prospect"
    assert status_on(periods, "client", date(2021, 6, 30)) == "client"
    assert status_on(periods, "client", date(2023, 6, 30)) == "former_client"
    assert status_on(periods, "client", date(2024, 6, 30)) == "client"
    assert status_on([], "prospect", date(2024, 6, 30)) == "prospect"  # no history: today's status


def test_prospects_as_of_a_past_date_list_who_was_a_prospect_then(book, db_path, capsys) -> None:
    from tests import factories as f
    from tests.pipeline.books import a_segment_book

    with book.session() as s:
        a_segment_book(s)
        late = f.household(s, "Late household", status="client", since=date(2026, 11, 15))
        f.contact(s, late, "Lea", "Late", birth=date(1971, 1, 1), net_worth="3000000")
    assert main(["--db", str(db_path), "prospects", "--as-of", "2026-10-31", "--json"]) == 0
    then = [row["household_id"] for row in json.loads(capsys.readouterr().out)]
    assert late in then  # a prospect on 31 October: it became a client on 15 November
    assert main(["--db", str(db_path), "prospects", "--as-of", "2026-11-30", "--json"]) == 0
    assert late not in [row["household_id"] for row in json.loads(capsys.readouterr().out)]
