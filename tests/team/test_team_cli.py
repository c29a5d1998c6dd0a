"""Users and roles through the command line: the owner first, assistants never see compensation, the audit
trail names the user, and a server password lives in the keyring only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from actdesk.cli import main
from actdesk.services.audit import audit_log
from actdesk.storage.engine import book_url
from actdesk.storage.open import open_book
from actdesk.storage.server import KEYRING_SERVICE, display_url, with_keyring_password


def run(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def team_db(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    make_book: Callable[[Path], Path],
) -> Path:
    db = make_book(tmp_path / "team.db")
    assert run(capsys, db, "user", "add", "pat", "--role", "owner", "--display-name", "Pat Advisor")[0] == 0
    monkeypatch.setenv("ACTDESK_USER", "pat")
    assert run(capsys, db, "user", "add", "ann", "--role", "advisor")[0] == 0
    assert run(capsys, db, "user", "add", "sam", "--role", "assistant")[0] == 0
    return db


def test_users_are_listed_with_their_roles(team_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, team_db, "user", "list", "--json")
    assert code == 0
    assert json.loads(out) == [
        {"name": "ann", "display_name": "ann", "role": "advisor", "active": True},
        {"name": "pat", "display_name": "Pat Advisor", "role": "owner", "active": True},
        {"name": "sam", "display_name": "sam", "role": "assistant", "active": True},
    ]
    code, out, _ = run(capsys, team_db, "user", "list")
    assert "Advisor (practice owner)" in out and "Assistant" in out


def test_the_first_user_must_be_the_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_book: Callable[[Path], Path]
) -> None:
    make_book(tmp_path / "b.db")
    code, _, err = run(capsys, tmp_path / "b.db", "user", "add", "sam", "--role", "assistant")
    assert code == 2 and "practice owner" in err
    assert run(capsys, tmp_path / "b.db", "user", "list", "--json")[1].strip() == "[]"


def test_assistant_cannot_produce_the_compensation_report(
    team_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out_file = tmp_path / "comp.csv"
    monkeypatch.setenv("ACTDESK_USER", "sam")
    code, _, err = run(capsys, team_db, "report", "compensation", "--out", str(out_file))
    assert code == 2 and "does not allow" in err and "Traceback" not in err
    assert not out_file.exists()
    # Other reports are open to assistants; the owner gets compensation.
    assert run(capsys, team_db, "report", "aging", "--out", str(tmp_path / "aging.csv"))[0] == 0
    monkeypatch.setenv("ACTDESK_USER", "pat")
    assert run(capsys, team_db, "report", "compensation", "--out", str(out_file))[0] == 0
    assert out_file.exists()


def test_unknown_user_on_a_team_book_is_refused(
    team_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTDESK_USER", "mallory")
    code, _, err = run(capsys, team_db, "report", "compensation", "--out", str(tmp_path / "c.csv"))
    assert code == 2 and "not a user of this book" in err


def test_only_the_owner_manages_users_and_one_owner_stays(
    team_db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTDESK_USER", "sam")
    code, _, err = run(capsys, team_db, "user", "role", "sam", "owner")
    assert code == 2 and "Only the practice owner" in err
    monkeypatch.setenv("ACTDESK_USER", "pat")
    code, _, err = run(capsys, team_db, "user", "role", "pat", "advisor")
    assert code == 2 and "at least one active practice owner" in err
    code, out, _ = run(capsys, team_db, "user", "role", "ann", "--deactivate", "--json")
    assert code == 0 and json.loads(out)["active"] is False
    code, out, _ = run(capsys, team_db, "user", "role", "sam", "advisor", "--json")
    assert json.loads(out)["role"] == "advisor"


def test_audit_trail_names_the_app_user(team_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    book = open_book(team_db)
    try:
        entries = audit_log(book, table="users")
    finally:
        book.dispose()
    by_row = {e.row_id: e.actor for e in entries}
    assert by_row["2"] == "pat" and by_row["3"] == "pat"


def test_db_login_keeps_the_password_in_the_keyring_only(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, _isolated_environment: object
) -> None:
    import io

    url = "postgresql+psycopg://ann@db.practice.lan:5433/book"
    monkeypatch.setattr("sys.stdin", io.StringIO("pa:ss@w/rd\n"))
    assert main(["db", "login", url]) == 0
    out, _ = capsys.readouterr()
    assert "pa:ss" not in out
    assert _isolated_environment.store == {(KEYRING_SERVICE, "ann@db.practice.lan:5433"): "pa:ss@w/rd"}  # type: ignore[attr-defined]
    resolved = with_keyring_password(book_url(url))
    assert resolved.password == "pa:ss@w/rd"
    assert "pa:ss" not in display_url(resolved) and "***" in display_url(resolved)
    # A password in the URL is refused: it would end up in shell history.
    assert main(["db", "login", "postgresql+psycopg://ann:secret@db/book"]) == 2
    assert main(["db", "login", str(Path("local.db"))]) == 2


def test_user_option_signs_in_for_one_command(
    team_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_file = tmp_path / "comp.csv"
    code = main(["--user", "sam", "--db", str(team_db), "report", "compensation", "--out", str(out_file)])
    err = capsys.readouterr().err
    assert code == 2
    assert "does not allow" in err and not out_file.exists()
