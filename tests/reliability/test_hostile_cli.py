"""Every sub-command given hostile values: exit code 2, one line on stderr, no traceback, the book unchanged.

The table comes from the probe of issue 25 (dates out of range, 1e309, 26-digit integers, nan hours, unknown
ids, control characters, a 100 KB value, a folder or a typo as the book). Runs the CLI in-process for speed;
each case gets its own copy of one small demo book and compares every table's content before and after.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from actdesk.cli import main

BIG = "a" * 100_000 + "@example.org"
RLO = "ev\u202eli"  # right-to-left override: shows as "evil" reversed
HOSTILE: list[tuple[str, ...]] = [
    ("kpis", "--as-of", "0001-01-01"),
    ("kpis", "--as-of", "9999-12-31"),
    ("probabilities", "--as-of", "0001-01-01"),
    ("alerts", "--as-of", "9999-12-31"),
    ("alerts", "seen", "99999999999999999999999999"),
    ("alerts", "seen", "99999"),
    ("alerts", "snooze", "1", "--until", "0001-01-01"),
    ("schedule", "--from", "0001-01-01", "--to", "9999-12-31"),
    ("schedule", "--household", "99999"),
    ("schedule", "--household", "-1"),
    ("schedule", "service-level", "--as-of", "9999-12-31"),
    ("spend", "add", "--source", "X", "--amount", "1e309", "--date", "2026-01-01"),
    ("spend", "add", "--source", "X", "--amount", "1e30", "--date", "2026-01-01"),
    ("spend", "add", "--source", "X", "--amount", "12345678901234567890123456", "--date", "2026-01-01"),
    ("spend", "add", "--source", "X", "--amount", "10", "--date", "2026-01-01", "--hours", "nan"),
    ("spend", "add", "--source", "X", "--amount", "10", "--date", "2026-01-01", "--hours", "inf"),
    ("spend", "add", "--source", "X", "--amount", "10", "--date", "2026-01-01", "--hours", "-3"),
    ("spend", "add", "--source", "X", "--amount", "10", "--date", "0001-01-01"),
    ("acquisition", "--since", "9999-12-31"),
    ("opportunity", "create", "99999", "--kind", "rollover"),
    ("opportunity", "create", "1", "--kind", "rollover", "--expected-aum", "1e30"),
    ("opportunity", "create", "1", "--kind", "rollover", "--close", "0001-01-01"),
    ("opportunity", "move", "99999", "won"),
    ("referrals", "--as-of", "0001-01-01"),
    ("referrals", "add", "--referrer", "99999", "--household", "1"),
    ("life-events", "add", "--household", "99999", "--kind", "retirement", "--date", "2026-01-01"),
    ("life-events", "--since", "9999-12-31"),
    ("event", "create", "--subject", "Seminar", "--start", "0001-01-01T10:00"),
    ("event", "create", "--subject", "Seminar", "--start", "2026-06-01T10:00", "--minutes", "-30"),
    ("event", "create", "--subject", "Semi\x00nar", "--start", "2026-06-01T10:00"),
    ("event", "guest", "1", "--by", "1", "--email", BIG),
    ("dedupe", "merge", "1", "99999"),
    ("dedupe", "merge", "99999", "1"),
    ("user", "add", RLO, "--role", "owner"),
    ("user", "add", "pat", "--role", "owner", "--display-name", "Pat\u2066 Advisor"),
    ("report", "stack-ranking", "--as-of", "0001-01-01"),
    ("report", "no-such-report"),
    ("backup", "verify", "no-such-backup"),
    ("backup", "restore", "no-such-backup", "--yes"),
    ("audit", "recover", "households", "99999"),
    ("import", "contacts", "/nonexistent/contacts.csv"),
    ("import-book", "/nonexistent/folder"),
    ("export", "contacts", "/nonexistent/folder/out.csv"),
    ("demo", "--households", "10"),
    ("schedule", "import-ics", "/nonexistent.ics"),
    # an option inside a mutually exclusive group (argparse's own add_argument) reached SQLite unchecked
    ("event", "attend", "1", "--contact", "99999999999999999999999999"),
    ("event", "attend", "1", "--contact", "99999"),
    # an empty name is the current folder; a name longer than the system takes is still the user's typing
    ("export", "contacts", ""),
    ("schedule", "export-ics", ""),
    ("export", "contacts", "x" * 300 + ".csv"),
    ("export-book", "y" * 300),
]


def _digest(db: Path) -> str:
    """Every row of every table, in order: equal digests mean nothing changed."""
    conn = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        for table in tables:
            h.update(table.encode())
            for row in conn.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("hostile")
    db = root / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ACTDESK_DATA_DIR", str(root / "data"))
        mp.setenv("ACTDESK_CONFIG_DIR", str(root / "config"))
        assert (
            main(["--db", str(db), "demo", "--households", "20", "--seed", "3", "--as-of", "2026-06-30"]) == 0
        )
    yield db


@pytest.fixture
def demo_book(demo_template: Path, tmp_path: Path) -> Path:
    db = tmp_path / "book.db"
    shutil.copyfile(demo_template, db)
    return db


def assert_clean_refusal(err: str, code: int) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1 and lines[0].startswith("actdesk: "), err[:2000]
    assert "Traceback" not in err and "internal error" not in err and "[SQL" not in err
    assert len(lines[0]) < 600  # values are echoed cut short


@pytest.mark.parametrize("argv", HOSTILE, ids=lambda argv: " ".join(a[:24] for a in argv)[:60])
def test_hostile_value_is_one_line_exit_2_and_changes_nothing(
    argv: tuple[str, ...], demo_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(demo_book)
    code = main(["--db", str(demo_book), *argv])
    assert_clean_refusal(capsys.readouterr().err, code)
    assert _digest(demo_book) == before


def test_a_folder_as_the_book_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(tmp_path), "kpis"])
    assert_clean_refusal(capsys.readouterr().err, code)
    assert list(tmp_path.iterdir()) == []


def test_a_book_that_does_not_exist_is_not_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "boook.db"
    for argv in (["kpis"], ["outbox", "--json"], ["db", "check"], ["schedule"]):
        code = main(["--db", str(typo), *argv])
        err = capsys.readouterr().err
        assert_clean_refusal(err, code)
        assert "no book at" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ("kpis", "--json", "--as-of", "2026-06-30"),
        ("outbox", "--json", "--state", "queued", "--state", "sent"),
    ],
)
def test_json_into_a_closed_pipe_ends_with_2_and_one_line(demo_book: Path, argv: tuple[str, ...]) -> None:
    """``actdesk kpis --json | head -c 10`` where the reader has gone before the output is written: a real
    pipe whose read end is closed early. Exit 2, one short line on stderr, no traceback."""
    import os
    import subprocess
    import sys

    read_end, write_end = os.pipe()
    proc = subprocess.Popen(
        [sys.executable, "-m", "actdesk", "--db", str(demo_book), *argv],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    os.close(read_end)  # the reader goes away before the child has written anything (it is still starting)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "broken pipe" in lines[0] and len(lines[0]) < 120, err
    assert "Traceback" not in err and "internal error" not in err


def test_json_into_head_ends_cleanly(demo_book: Path) -> None:
    """The shell form of the same: ``| head -c 10`` may read everything before it exits (then 0) or go
    first (then 2 and the one line); never a traceback, never 141."""
    import os
    import subprocess
    import sys

    proc = subprocess.run(
        [
            "bash",
            "-c",
            f"set -o pipefail; {sys.executable} -m actdesk --db {demo_book} kpis --json | head -c 10",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        timeout=120,
    )
    assert len(proc.stdout) == 10
    assert proc.returncode in (0, 2) and "Traceback" not in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == (1 if proc.returncode else 0), proc.stderr


def test_a_huge_value_in_a_calendar_file_is_not_echoed_whole(
    demo_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ics = tmp_path / "big.ics"
    ics.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART:"
        + "X" * 2_000_000
        + "\r\nSUMMARY:a\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    before = _digest(demo_book)
    code = main(["--db", str(demo_book), "schedule", "import-ics", str(ics)])
    out, err = capsys.readouterr()
    assert code == 2 and len(out) + len(err) < 2_000 and "characters" in out + err
    assert _digest(demo_book) == before


def test_contacts_import_caps_every_echoed_value(
    demo_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each reason line and each field of an import's report is capped, in text and in --json (issue 25,
    item 9): a 100 KB cell in the e-mail, birthday, phone or name column never comes back whole."""
    import json

    big = "a" * 100_000
    rows = [
        "First Name,Last Name,E-mail Address,Birthday,Mobile Phone",
        f"Ann,Lee,{big}@,1/1/1980,555",
        f"Bob,Ray,b@example.com,{big},555",
        f"Cy,Di,c@example.com,1/1/1980,{'z' * 100_000}",
        f"{big},Di,d@example.com,1/1/1980,555",
        f"Ed,Fo,{'e' * 200}x,1/1/1980,555",
    ]
    source = tmp_path / "big.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["--db", str(demo_book), "import", "contacts", str(source), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "is not a date" in out and "has no digits" in out and "is not an e-mail address" in out
    assert max(len(line) for line in out.splitlines()) < 400
    assert main(["--db", str(demo_book), "import", "contacts", str(source), "--dry-run", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    shown = [*payload["rejected_rows"], *payload["warnings"]]
    assert len(shown) >= 4
    for item in shown:
        assert all(len(str(v)) < 400 for v in item.values()), item


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("--audience", "household=99999"), "no household '99999'"),
        (("--audience", "household=Nobody at all"), "no household"),
        (("--audience", "status=bogus"), "unknown status 'bogus'"),
        (("--audience", "status=client", "--at", "0001-01-01T10:00"), "out of range"),
    ],
)
def test_a_campaign_audience_that_names_nothing_is_refused(
    demo_book: Path, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], words: str
) -> None:
    """An unknown household or status is a typo, not an empty audience (issue 25 item 11, probe re-run)."""
    from actdesk.services.mail.config import MailSettings, save_mail_settings
    from actdesk.settings import load_settings

    save_mail_settings(
        load_settings(),
        MailSettings(host="127.0.0.1", port=2525, user="pat@example.com", from_addr="pat@example.com"),
    )
    before = _digest(demo_book)
    code = main(["--db", str(demo_book), "campaign", "create", "--template", "birthday", *argv])
    err = capsys.readouterr().err
    assert_clean_refusal(err, code)
    assert words in err
    assert _digest(demo_book) == before


def _run(db: Path, *argv: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "actdesk", "--db", str(db), *argv],
        capture_output=True,
        text=True,
        input="pässwörd\n",
        env={**os.environ, **(env or {})},
        timeout=120,
    )
    return done.returncode, done.stderr


def test_a_wrong_passphrase_is_one_line_without_the_drivers_words(demo_book: Path) -> None:
    """SQLite's own 'file is not a database' went to stderr as a log line before the sentence; it belongs in
    the log file (the command line logs there unless --debug)."""
    from actdesk.services import crypto

    crypto.encrypt_book(demo_book, passphrase="correct horse battery staple")
    code, err = _run(demo_book, "kpis", env={"ACTDESK_DB_PASSPHRASE": "wrong passphrase"})
    assert_clean_refusal(err, code)
    assert "passphrase" in err and "file is not a database" not in err and "ERROR" not in err


def test_no_password_store_on_the_computer_is_a_failure_of_the_world(demo_book: Path) -> None:
    """``mail configure`` with no keyring at all: exit 1 (the world), one line, nothing of the password."""
    code, err = _run(
        demo_book,
        "mail",
        "configure",
        "--host",
        "127.0.0.1",
        "--port",
        "587",
        "--security",
        "starttls",
        "--user",
        "pat@example.com",
        env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "password store" in err
    assert "pässwörd" not in err and "Traceback" not in err


@pytest.mark.parametrize("command", ["profile", "prospects", "kpis", "probabilities"])
@pytest.mark.parametrize("as_of", ["1900-01-01", "2199-12-31"])
def test_the_edges_of_the_date_range_work_without_warnings(
    demo_book: Path, capsys: pytest.CaptureFixture[str], command: str, as_of: str
) -> None:
    """Dates at the ends of the accepted range are answered, and no library warning leaks onto stderr
    (``profile --as-of 2199-12-31`` printed a pandas FutureWarning: Series.get(int) read as a position)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        code = main(["--db", str(demo_book), command, "--as-of", as_of])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err == ""


# Every option that takes a day, given text that is no date (31 February, a spelled month, the other order):
# one reading (``cli.validation.parse_day``), one message that names the option and shows the format.
NOT_A_DAY: list[tuple[str, ...]] = [
    ("kpis", "--as-of"),
    ("probabilities", "--as-of"),
    ("alerts", "--as-of"),
    ("alerts", "snooze", "1", "--until"),
    ("referrals", "--as-of"),
    ("life-events", "--since"),
    ("household", "leave", "1", "--reason", "moved", "--on"),
    ("household", "return", "1", "--on"),
    ("prospects", "--as-of"),
    ("schedule", "--from"),
    ("schedule", "--to"),
    ("schedule", "service-level", "--as-of"),
    ("suggestions", "1", "--as-of"),
    ("acquisition", "--since"),
    ("opportunity", "create", "1", "--kind", "rollover", "--close"),
    ("spend", "add", "--source", "X", "--amount", "10", "--date"),
    ("report", "stack-ranking", "--out", "{folder}/ranking.pdf", "--as-of"),
    ("demo", "--households", "10", "--replace", "--as-of"),
]


@pytest.mark.parametrize(
    ("argv", "text"),
    [(argv, "2026-02-30") for argv in NOT_A_DAY] + [(NOT_A_DAY[0], "March"), (NOT_A_DAY[0], "30/11/2026")],
    ids=lambda value: " ".join(value) if isinstance(value, tuple) else value,
)
def test_every_date_option_reads_dates_one_way(
    argv: tuple[str, ...], text: str, demo_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(demo_book)
    code = main(["--db", str(demo_book), *(a.format(folder=demo_book.parent) for a in argv), text])
    err = capsys.readouterr().err
    assert_clean_refusal(err, code)
    assert f"{argv[-1]}: not a date: '{text}' (use YYYY-MM-DD, e.g. 2026-03-31)" in err
    assert _digest(demo_book) == before
    assert not list(demo_book.parent.glob("*.pdf"))  # no report written


def test_a_day_that_is_no_date_is_refused_in_spanish(
    demo_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--lang", "es", "--db", str(demo_book), "kpis", "--as-of", "2026-02-30"])
    err = capsys.readouterr().err
    assert_clean_refusal(err, code)
    assert "--as-of: no es una fecha: '2026-02-30' (escriba AAAA-MM-DD, p. ej. 2026-03-31)" in err


def test_every_option_of_every_command_is_guarded() -> None:
    """The class of the ``event attend --contact`` bug: whichever way an option was added (directly, in an
    argument group, in a mutually exclusive group), its value is checked before any command sees it."""
    import argparse

    from actdesk.cli import build_parser

    def parsers(p: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
        yield p
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in dict.fromkeys(action.choices.values()):
                    yield from parsers(sub)

    unguarded = []
    for p in parsers(build_parser()):  # guarded as built (cli.validation.guard_tree), before any parse
        unguarded += [
            f"{p.prog} {action.option_strings or action.dest}"
            for action in p._actions
            if isinstance(action, argparse._StoreAction | argparse._AppendAction)
            and not getattr(action.type, "guarded", False)
        ]
    assert unguarded == []


def test_a_group_option_refuses_like_any_other(capsys: pytest.CaptureFixture[str]) -> None:
    from actdesk.cli.validation import Parser, guard_tree

    parser = Parser(prog="actdesk")
    parser.add_argument_group("who").add_argument("--contact", type=int)
    parser.add_mutually_exclusive_group().add_argument("--household", type=int)
    guard_tree(parser)
    for flag in ("--contact", "--household"):
        with pytest.raises(SystemExit) as ended:
            parser.parse_args([flag, "1" + "0" * 25])
        assert ended.value.code == 2
        err = capsys.readouterr().err
        assert "out of range" in err and len(err.strip().splitlines()) == 1
    assert parser.parse_args(["--contact", "7"]).contact == 7


def test_a_folder_as_the_file_to_write_is_refused_before_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty name is the current folder: the rename onto it failed at the very end ("Device or resource
    busy", exit 1, as if the disk had failed)."""
    from actdesk.paths import atomic_write

    monkeypatch.chdir(tmp_path)
    for folder in (Path(""), tmp_path):
        with pytest.raises(IsADirectoryError):
            atomic_write(folder, "data")
    assert list(tmp_path.iterdir()) == []  # no temporary file left behind either


def test_a_file_that_is_no_book_is_left_truly_untouched(
    demo_book: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``db copy --to notes.txt`` said "it was left untouched" after making the file private (0600) and
    leaving a ``notes.txt.lock`` beside it: the book's lock and mode were taken before its header was read."""
    import stat

    from actdesk.storage.errors import NotABookError
    from actdesk.storage.open import open_book

    folder = tmp_path / "mine"
    folder.mkdir()
    notes = folder / "notes.txt"
    notes.write_text("my notes\n")
    notes.chmod(0o644)
    code = main(["--db", str(demo_book), "db", "copy", "--to", str(notes)])
    assert_clean_refusal(capsys.readouterr().err, code)
    with pytest.raises(NotABookError):
        open_book(notes)
    assert notes.read_text() == "my notes\n"
    assert stat.S_IMODE(notes.stat().st_mode) == 0o644
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
