"""``actdesk alerts`` through its public face: JSON shape, actions, and clear errors that lose nothing."""

from __future__ import annotations

import json

import pytest

from actdesk.cli import main
from actdesk.domain.alerts import RuleKey

from .books import build

RULES = {r.value for r in RuleKey}


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:  # type: ignore[type-arg]
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def test_alerts_json_then_dismiss_and_re_evaluate(book, db_path, capsys) -> None:
    ids = build(book)
    book.dispose()
    alerts = run_json(capsys, "--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--json")
    assert alerts and all(
        {"household_id", "rule", "severity", "explanation", "state"} <= a.keys() for a in alerts
    )
    assert {a["rule"] for a in alerts} <= RULES and {a["severity"] for a in alerts} <= {
        "high",
        "medium",
        "low",
    }
    assert {a["state"] for a in alerts} == {"new"}
    erosion = next(a for a in alerts if a["rule"] == "silent_erosion")
    assert erosion["household_id"] == ids.garcia and "took 20% of managed assets" in erosion["explanation"]

    (dismissed,) = run_json(
        capsys,
        "--db",
        str(db_path),
        "alerts",
        "dismiss",
        str(erosion["id"]),
        "--reason",
        "Paying for a house",
        "--json",
    )
    assert dismissed["state"] == "dismissed" and dismissed["dismissed_reason"] == "Paying for a house"
    again = run_json(capsys, "--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--json")
    assert len(again) == len(alerts)
    assert next(a for a in again if a["id"] == erosion["id"])["state"] == "dismissed"
    only = run_json(
        capsys, "--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--json", "--rule", "life_event"
    )
    assert [a["rule"] for a in only] == ["life_event"]


def test_readable_table_and_seen(book, db_path, capsys) -> None:
    build(book)
    book.dispose()
    assert main(["--db", str(db_path), "alerts", "--as-of", "2026-11-30"]) == 0
    out = capsys.readouterr().out
    assert "Silent erosion" in out and "Garcia household" in out and "[New]" in out
    first = int(out.split()[0].lstrip("#"))
    assert main(["--db", str(db_path), "alerts", "seen", str(first)]) == 0
    assert "[Seen]" in capsys.readouterr().out


def test_bad_input_is_one_clear_line_and_changes_nothing(book, db_path, capsys) -> None:
    build(book)
    book.dispose()
    alerts = run_json(capsys, "--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--json")
    target = str(alerts[0]["id"])
    assert main(["--db", str(db_path), "alerts", "--as-of", "30/11/2026"]) == 2
    assert "--as-of: not a date: '30/11/2026' (use YYYY-MM-DD" in capsys.readouterr().err
    assert main(["--db", str(db_path), "alerts", "dismiss", target, "--reason", "  "]) == 2
    assert "Say why the alert is dismissed" in capsys.readouterr().err
    assert main(["--db", str(db_path), "alerts", "snooze", target, "--until", "2020-01-01"]) == 2
    assert "after today" in capsys.readouterr().err
    assert main(["--db", str(db_path), "alerts", "seen", "99999"]) == 2
    assert "no alert with id 99999" in capsys.readouterr().err
    stored = run_json(capsys, "--db", str(db_path), "alerts", "list", "--json")
    assert {a["state"] for a in stored} == {"new"} and len(stored) == len(alerts)


def test_thresholds_come_from_the_settings_file(book, db_path, capsys, tmp_path, monkeypatch) -> None:
    build(book)
    book.dispose()
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps({"alerts": {"cadence_c_days": 400, "cadence_a_days": 400, "held_away_ratio": 2.0}})
    )
    monkeypatch.setenv("ACTDESK_SETTINGS", str(settings))
    alerts = run_json(capsys, "--db", str(db_path), "alerts", "--as-of", "2026-11-30", "--json", "--dry-run")
    rules = {a["rule"] for a in alerts}
    assert "contact_gap" not in rules and "held_away_assets" not in rules and "silent_erosion" in rules
    settings.write_text(json.dumps({"alerts": {"erosion_outflow_share": 1.5}}))
    assert main(["--db", str(db_path), "alerts", "--as-of", "2026-11-30"]) == 2
    assert "erosion_outflow_share must be between 0 and 1" in capsys.readouterr().err
