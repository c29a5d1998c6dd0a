"""The pipeline's command-line face: JSON output, moves (lost refused without a reason), spend, acquisition."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import select
from tests import factories as f
from tests.pipeline.books import opportunity

from actdesk.cli import main
from actdesk.storage.tables.book import OpportunityRow
from actdesk.storage.tables.pipeline import StageChangeRow


def _book(book) -> dict[str, int]:
    with book.session() as s:
        hid = f.household(s, "Gray household", status="prospect", since=None)
        other = f.household(s, "Hill household", status="prospect", since=None)
        return {
            "hid": hid,
            "other": other,
            "lead": opportunity(s, hid, "lead", aum="200000", revenue="2000", source="Seminar"),
            "proposal": opportunity(s, other, "proposal", aum="500000", probability=0.5, source="Referral"),
        }


def run(capsys, db_path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_pipeline_json(book, db_path, capsys) -> None:
    ids = _book(book)
    code, out, _err = run(capsys, db_path, "pipeline", "--json")
    assert code == 0
    rows = {r["id"]: r for r in json.loads(out)}
    lead, proposal = rows[ids["lead"]], rows[ids["proposal"]]
    assert lead["stage"] == "lead" and lead["expected_aum"] == 200000.0
    assert (
        lead["probability"] == 0.1 and lead["weighted_value"] == 20000.0 and lead["weighted_revenue"] == 200.0
    )
    assert lead["source"] == "Seminar" and lead["household"] == "Gray household"
    assert proposal["probability"] == 0.5 and proposal["weighted_value"] == 250000.0
    assert isinstance(lead["days_in_stage"], int)
    code, out, _err = run(capsys, db_path, "pipeline", "--stage", "proposal", "--json")
    assert [r["id"] for r in json.loads(out)] == [ids["proposal"]]
    code, _out, err = run(capsys, db_path, "pipeline", "--stage", "nope")
    assert code == 2 and "unknown stage" in err


def test_lost_without_a_reason_is_refused_and_nothing_changes(book, db_path, capsys) -> None:
    ids = _book(book)
    code, out, err = run(capsys, db_path, "opportunity", "move", str(ids["lead"]), "lost")
    assert code == 2
    assert "needs a reason" in err and "Traceback" not in err
    with book.reader() as s:
        assert s.get(OpportunityRow, ids["lead"]).stage == "lead"  # type: ignore[union-attr]
        assert s.scalars(select(StageChangeRow)).all() == []
    code, out, _err = run(
        capsys, db_path, "opportunity", "move", str(ids["lead"]), "lost", "--reason", "Chose a robo", "--json"
    )
    assert code == 0
    moved = json.loads(out)
    assert (
        moved["stage"] == "lost" and moved["lost_reason"] == "Chose a robo" and moved["weighted_value"] == 0.0
    )
    with book.reader() as s:
        change = s.scalars(select(StageChangeRow)).one()
        assert (change.from_stage, change.to_stage, change.reason) == ("lead", "lost", "Chose a robo")


def test_move_through_stages_sets_the_stage_probability(book, db_path, capsys) -> None:
    ids = _book(book)
    code, out, _err = run(capsys, db_path, "opportunity", "move", str(ids["lead"]), "meeting", "--json")
    assert code == 0 and json.loads(out)["probability"] == 0.4 and json.loads(out)["days_in_stage"] == 0
    code, _out, err = run(capsys, db_path, "opportunity", "move", "999", "won")
    assert code == 2 and "opportunity 999 does not exist" in err
    code, _out, err = run(capsys, db_path, "opportunity", "move", str(ids["lead"]), "negotiation")
    assert code == 2 and "unknown stage" in err


def test_create_validates_input(book, db_path, capsys) -> None:
    ids = _book(book)
    code, _out, err = run(
        capsys,
        db_path,
        "opportunity",
        "create",
        str(ids["hid"]),
        "--kind",
        "rollover",
        "--expected-aum",
        "12x",
    )
    assert code == 2 and "not an amount" in err
    code, _out, err = run(capsys, db_path, "opportunity", "create", str(ids["hid"]), "--kind", "lottery")
    assert code == 2 and "unknown opportunity kind" in err
    code, _out, err = run(
        capsys, db_path, "opportunity", "create", str(ids["hid"]), "--kind", "rollover", "--stage", "lost"
    )
    assert code == 2 and "needs a reason" in err
    code, out, _err = run(
        capsys, db_path, "opportunity", "create", str(ids["hid"]), "--kind", "rollover",
        "--expected-aum", "300000", "--close", "2027-01-31", "--source", "Existing client", "--json",
    )  # fmt: skip
    created = json.loads(out)
    assert code == 0 and created["expected_close"] == "2027-01-31" and created["weighted_value"] == 30000.0
    with book.reader() as s:
        assert len(s.scalars(select(OpportunityRow)).all()) == 3


def test_spend_and_acquisition(book, db_path, capsys) -> None:
    with book.session() as s:
        won = f.household(s, "Won household", since=date(2026, 3, 1))
        opportunity(
            s, won, "won", aum="800000", revenue="8000", source="Seminar",
            created=datetime(2026, 1, 10, tzinfo=UTC), changed=datetime(2026, 3, 1, tzinfo=UTC),
        )  # fmt: skip
        f.fee(s, won, date(2026, 6, 30), 100)
        f.activity(s, won, "meeting", completed=datetime(2026, 7, 1, 15, tzinfo=UTC))
        f.activity(s, won, "meeting", completed=datetime(2026, 8, 1, 15, tzinfo=UTC))
    code, _out, err = run(
        capsys, db_path, "spend", "add", "--source", "Seminar", "--amount", "-5", "--date", "2026-02-01"
    )
    assert code == 2 and "negative" in err
    code, _out, err = run(
        capsys, db_path, "spend", "add", "--source", "Seminar", "--amount", "900", "--date", "Feb 1"
    )
    assert code == 2 and "not a date" in err
    code, out, _err = run(
        capsys,
        db_path,
        "spend",
        "add",
        "--source",
        "Seminar",
        "--amount",
        "900",
        "--date",
        "2026-02-01",
        "--hours",
        "2",
    )
    assert code == 0 and "Seminar" in out
    code, out, _err = run(capsys, db_path, "acquisition", "--as-of", "2026-10-31", "--json")
    result = json.loads(out)
    seminar = next(s for s in result["sources"] if s["source"] == "Seminar")
    assert seminar["won"] == 1 and seminar["win_rate"] == 1.0 and seminar["cycle_days"] == 50
    assert seminar["total_cost"] == 1200.0 and seminar["cost_per_household"] == 1200.0  # 900 + 2 h x 150
    assert seminar["aum_won"] == 800000.0
    # two meetings x 60 min x $150/h = $300 to serve, against $100 of fees
    assert result["unprofitable"] == [
        {
            "household_id": won,
            "household": "Won household",
            "segment": "A",
            "minutes": 120,
            "cost": 300.0,
            "revenue": 100.0,
        }
    ]
    a = next(s for s in result["segments"] if s["segment"] == "A")
    assert a["unprofitable"] == 1 and a["cost"] == 300.0


def test_stage_probabilities_come_from_the_pipeline_settings(book, db_path, capsys) -> None:
    from actdesk.domain.pipeline.config import PipelineConfig
    from actdesk.settings import load_settings

    ids = _book(book)
    settings = load_settings()
    settings.set_section(PipelineConfig(probabilities={"lead": 0.25, "meeting": 0.5}))
    settings.save()
    code, out, _err = run(capsys, db_path, "pipeline", "--json")
    lead = next(r for r in json.loads(out) if r["id"] == ids["lead"])
    assert code == 0 and lead["probability"] == 0.25 and lead["weighted_value"] == 50000.0
    code, out, _err = run(capsys, db_path, "opportunity", "move", str(ids["lead"]), "meeting", "--json")
    assert json.loads(out)["probability"] == 0.5
