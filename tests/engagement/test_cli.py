"""The command line: referrals, life-events and questionnaire read with --json; bad input is one clear line."""

from __future__ import annotations

import json
from datetime import date
from email.message import EmailMessage
from pathlib import Path

from tests.engagement.test_referrals_events import referral_book

from actdesk.cli import main
from actdesk.domain.engagement.questionnaire import make_token
from actdesk.storage.repositories import engagement as repo


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_referrals_json(book, db_path, capsys) -> None:
    ids = referral_book(book)
    code, out, _err = run(capsys, "--db", str(db_path), "referrals", "--as-of", "2026-03-01", "--json")
    assert code == 0
    rows = {r["contact_id"]: r for r in json.loads(out)}
    assert rows[ids["ann"]] == {
        "contact_id": ids["ann"],
        "name": "Ann Smith",
        "kind": "client",
        "referred": 2,
        "converted": 1,
        "aum": 100000.0,
        "revenue": 1000.0,
    }
    assert (rows[ids["cpa"]]["referred"], rows[ids["cpa"]]["aum"]) == (1, 50000.0)


def test_life_events_add_and_list(book, db_path, capsys) -> None:
    ids = referral_book(book)
    code, out, _err = run(
        capsys, "--db", str(db_path), "life-events", "add", "--household", str(ids["smith"]),
        "--kind", "retirement", "--date", "2026-06-30", "--contact", str(ids["ann"]), "--json",
    )  # fmt: skip
    assert code == 0 and json.loads(out)["activity_id"] is not None
    code, out, _err = run(capsys, "--db", str(db_path), "life-events", "--since", "2026-01-01", "--json")
    [event] = json.loads(out)
    assert (event["household_id"], event["kind"], event["date"], event["source"]) == (
        ids["smith"],
        "retirement",
        "2026-06-30",
        "advisor",
    )
    assert event["followup_activity_id"] is not None and event["followup_done"] is False
    code, out, _err = run(capsys, "--db", str(db_path), "life-events", "--since", "2026-07-01", "--json")
    assert json.loads(out) == []


def test_bad_input_is_one_clear_line_and_changes_nothing(book, db_path, capsys, tmp_path) -> None:
    ids = referral_book(book)
    code = main(["--db", str(db_path), "life-events", "--since", "March", "--json"])
    assert code == 2 and "not a date: 'March' (use YYYY-MM-DD, e.g. 2026-03-31)" in capsys.readouterr().err
    code, _out, err = run(
        capsys, "--db", str(db_path), "life-events", "add", "--household", str(ids["smith"]),
        "--kind", "birth", "--date", "2026-01-01", "--contact", str(ids["cpa"]),
    )  # fmt: skip
    assert code == 2 and "not a member of this household" in err
    code, _out, err = run(capsys, "--db", str(db_path), "questionnaire", "read", str(tmp_path / "nope.eml"))
    assert code == 2 and "There is no file" in err
    notes = tmp_path / "notes.eml"
    notes.write_text("just some notes\n")
    code, _out, err = run(capsys, "--db", str(db_path), "questionnaire", "read", str(notes), "--json")
    assert code == 2 and "does not look like an e-mail" in err
    with book.reader() as s:
        assert repo.list_life_events(s) == []


def test_questionnaire_read_json_then_apply(book, db_path, capsys, tmp_path: Path) -> None:
    ids = referral_book(book)
    with book.session() as s:
        token = make_token(ids["smith"], repo.book_key(s))
    msg = EmailMessage()
    msg["From"] = "Ann Smith <ANN@example.org>"
    msg["Subject"] = "Re: Before our review"
    msg["Message-ID"] = "<reply-1@example.org>"
    msg.set_content(f"5. [x] An inheritance or a large gift\n   Date: 2026-02-14\n\nReference: {token}\n")
    path = tmp_path / "reply.eml"
    path.write_bytes(msg.as_bytes())
    code, out, _err = run(capsys, "--db", str(db_path), "questionnaire", "read", str(path), "--json")
    found = json.loads(out)
    assert code == 0 and found["status"] == "ready"
    assert found["household"] == {"id": ids["smith"], "name": "Smith household"}
    assert found["matched_by"] == ["token", "sender"]
    assert [(a["kind"], a["date"]) for a in found["answers"]] == [("inheritance", "2026-02-14")]
    assert {i["code"] for i in found["issues"]} == {"missing"}  # questions the client deleted are listed
    with book.reader() as s:
        assert repo.list_life_events(s) == []  # reading alone files nothing
    code, out, _err = run(
        capsys, "--db", str(db_path), "questionnaire", "read", str(path), "--apply", "--json"
    )
    assert code == 0 and json.loads(out)["status"] == "filed"
    with book.reader() as s:
        assert [(e.kind, e.date, e.source) for e in repo.list_life_events(s)] == [
            ("inheritance", date(2026, 2, 14), "questionnaire")
        ]
