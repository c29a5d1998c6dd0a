"""Export -> import into a new book -> export again: identical files and identical tables."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.cli import main
from actdesk.services.book_format.schema import FILES
from actdesk.services.demo import DemoOptions, generate_demo
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import NoteRow, OpportunityRow, RelationshipRow

TABLES = [spec.table for spec in FILES] + ["household_tags"]


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in TABLES}


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.csv"))}


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, dict[str, object]]:
    code = main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out) if out.strip() else {}


def test_demo_book_round_trips_exactly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "source.db"
    book = open_book(source)
    generate_demo(
        book, DemoOptions(households=30, seed=5, as_of=date(2026, 6, 30), activities_per_household=20)
    )
    book.dispose()

    code, first = run_json(capsys, ["--db", str(source), "export-book", str(tmp_path / "one"), "--json"])
    assert code == 0
    code, imported = run_json(
        capsys, ["--db", str(tmp_path / "copy.db"), "import-book", str(tmp_path / "one"), "--json"]
    )
    assert code == 0 and imported["ok"] is True
    assert imported["files"] == first["files"]
    code, _second = run_json(
        capsys, ["--db", str(tmp_path / "copy.db"), "export-book", str(tmp_path / "two"), "--json"]
    )
    assert code == 0

    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert dump(source) == dump(tmp_path / "copy.db")
    assert first["files"]["balances.csv"] > 1000  # type: ignore[index]


def test_awkward_values_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Quotes, commas, newlines, accents, negative amounts, microseconds, floats, empty optional cells."""
    source = tmp_path / "source.db"
    book = open_book(source)
    with book.session() as s:
        h = f.household(
            s,
            name='Núñez, "Pepa" & José',
            status="former_client",
            until=date(2024, 3, 1),
            reason="Moved,\nfar away",
        )
        c = f.contact(
            s, h, first="Zoë", last="O'Brien", email="zoe@example.com", net_worth="-1234.05", income=0
        )
        other = f.contact(s, None, first="Ann", last="Lawyer", role="other")
        s.add(RelationshipRow(from_contact_id=c, to_contact_id=other, kind="center_of_influence"))
        a = f.account(s, h, type="401k", managed=False, custodian="Fidelity, Inc.")
        f.balance(s, a, date(2024, 1, 31), "0.01")
        f.flow(s, a, date(2024, 2, 2), "-999999999.99", kind="transfer_out")
        f.fee(s, h, date(2024, 3, 31), "12.30", recurring=False)
        f.activity(s, h, start=datetime(2024, 1, 2, 3, 4, 5, 678901, tzinfo=UTC), notes="line1\r\nline2")
        s.add(
            OpportunityRow(household_id=h, kind="rollover", stage="lost", probability=1 / 3, lost_reason="x")
        )
        s.add(NoteRow(household_id=h, body="  leading and trailing spaces  "))
    book.dispose()
    assert main(["--db", str(source), "export-book", str(tmp_path / "one")]) == 0
    assert main(["--db", str(tmp_path / "copy.db"), "import-book", str(tmp_path / "one")]) == 0
    assert main(["--db", str(tmp_path / "copy.db"), "export-book", str(tmp_path / "two")]) == 0
    capsys.readouterr()
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert dump(source) == dump(tmp_path / "copy.db")


def test_non_empty_book_is_refused_unless_told_how(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "source.db"
    book = open_book(source)
    with book.session() as s:
        h = f.household(s)
        f.contact(s, h)
    book.dispose()
    main(["--db", str(source), "export-book", str(tmp_path / "out")])
    capsys.readouterr()

    assert main(["--db", str(source), "import-book", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "already holds records" in err and "--replace" in err and "--append" in err
    assert len(dump(source)["households"]) == 1

    code, appended = run_json(
        capsys, ["--db", str(source), "import-book", str(tmp_path / "out"), "--append", "--json"]
    )
    assert code == 0 and appended["id_offsets"] == {"households": 1, "contacts": 1}
    tables = dump(source)
    assert [row[0] for row in tables["households"]] == [1, 2]
    assert [row[1] for row in tables["contacts"]] == [1, 2]  # household_id shifted with the household

    code, replaced = run_json(
        capsys, ["--db", str(source), "import-book", str(tmp_path / "out"), "--replace", "--json"]
    )
    assert code == 2  # deletes 4 records, adds 2: the replace must be confirmed
    code, replaced = run_json(
        capsys, ["--db", str(source), "import-book", str(tmp_path / "out"), "--replace", "--yes", "--json"]
    )
    replaced_rows = {"households": 2, "client_periods": 2, "contacts": 2}  # one client period each
    assert code == 0 and replaced["replaced"] == replaced_rows and replaced["backup"]
    assert [row[0] for row in dump(source)["households"]] == [1]


def test_sqlite_fast_path_writes_what_the_portable_path_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Export formats cells in SQL on SQLite; other databases format in Python. Both must agree byte for byte."""
    from actdesk.services.book_format import export_book, exporter

    book = open_book(tmp_path / "b.db")
    generate_demo(
        book, DemoOptions(households=20, seed=9, as_of=date(2026, 6, 30), activities_per_household=10)
    )
    with book.session() as s:
        h = f.household(s, name="Edge")
        a = f.account(s, h)
        f.flow(s, a, date(2024, 1, 1), "-0.05")
        f.flow(s, a, date(2024, 1, 2), "-1.00")
        s.add(OpportunityRow(household_id=h, kind="planning", stage="lead", probability=0.1))
    export_book(book, tmp_path / "fast")
    monkeypatch.setattr(exporter, "NATIVE_SQLITE", False)
    export_book(book, tmp_path / "portable")
    book.dispose()
    assert files(tmp_path / "fast") == files(tmp_path / "portable")


def test_recurring_series_with_skipped_and_moved_occurrences_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """uid, all_day, series_end and activity_exceptions survive: nothing of the series' history is lost."""
    from zoneinfo import ZoneInfo

    from actdesk.domain.enums import ActivityKind
    from actdesk.domain.models import Activity
    from actdesk.storage.repositories import activities as repo

    ny = ZoneInfo("America/New_York")
    source = tmp_path / "source.db"
    book = open_book(source)
    with book.session() as s:
        h = f.household(s)
        series = repo.add(
            s,
            Activity(
                h, ActivityKind.CALL, "Monthly call", start=datetime(2026, 1, 5, 15, tzinfo=UTC),
                duration_minutes=30, rrule="FREQ=MONTHLY;COUNT=6", uid="monthly-call@example.com",
            ),
            ny,
        )  # fmt: skip
        repo.skip_occurrence(s, series, datetime(2026, 2, 5, 15, tzinfo=UTC), ny)
        repo.reschedule(
            s, series, datetime(2026, 3, 9, 17, tzinfo=UTC), datetime(2026, 3, 5, 15, tzinfo=UTC), ny
        )
        repo.mark_done(s, series, "Agreed, the plan", datetime(2026, 3, 9, 17, 40, tzinfo=UTC),
                       datetime(2026, 3, 5, 15, tzinfo=UTC), ny)  # fmt: skip
        repo.add(
            s,
            Activity(h, ActivityKind.EVENT, "Gala", start=datetime(2026, 4, 1, tzinfo=UTC), all_day=True),
            ny,
        )
        window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
        before = repo.occurrences(s, *window, ny)
    book.dispose()
    assert main(["--db", str(source), "export-book", str(tmp_path / "one")]) == 0
    assert main(["--db", str(tmp_path / "copy.db"), "import-book", str(tmp_path / "one")]) == 0
    assert main(["--db", str(tmp_path / "copy.db"), "export-book", str(tmp_path / "two")]) == 0
    capsys.readouterr()
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert dump(source) == dump(tmp_path / "copy.db")
    exceptions = (tmp_path / "one" / "activity_exceptions.csv").read_text(encoding="utf-8").splitlines()
    assert exceptions[0].startswith("id,activity_id,original_start,action,new_start")
    assert [line.split(",")[3] for line in exceptions[1:]] == ["skip", "override"]
    header = (tmp_path / "one" / "activities.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",created_at,uid,all_day,series_end,time_zone")
    copy = open_book(tmp_path / "copy.db")
    try:
        with copy.reader() as s:
            after = repo.occurrences(s, *window, ny)
            assert repo.get(s, series).uid == "monthly-call@example.com"
    finally:
        copy.dispose()
    assert after == before
    assert [o.start for o in after if o.activity_id == series][:3] == [
        datetime(2026, 1, 5, 15, tzinfo=UTC),
        datetime(2026, 3, 9, 17, tzinfo=UTC),  # moved, and done
        datetime(2026, 4, 5, 14, tzinfo=UTC),  # February skipped; New York summer time from March
    ]
    assert after[1].outcome == "Agreed, the plan" and any(o.all_day for o in after)


def test_older_export_without_the_schedule_columns_still_imports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "households.csv").write_text(
        "id,name,status,client_since\n1,Old & Co,client,2020-01-01\n", encoding="utf-8"
    )
    (folder / "activities.csv").write_text(
        "id,household_id,kind,subject,start,rrule\n"
        "1,1,review,Review,2026-01-05T15:00:00+00:00,FREQ=MONTHLY;INTERVAL=6\n",
        encoding="utf-8",
    )
    assert main(["--db", str(tmp_path / "b.db"), "import-book", str(folder)]) == 0
    capsys.readouterr()
    with sqlite3.connect(tmp_path / "b.db") as con:
        row = con.execute("SELECT all_day, uid, series_end FROM activities").fetchone()
    assert row[0] == 0 and row[1] is None and row[2].startswith("9999-12-31")
