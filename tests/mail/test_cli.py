"""The command line: configure, campaign create/report, outbox list/send/retry/cancel, automations, opt-out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import keyring
import pytest
from tests.mail.conftest import PASSWORD, USER, SmtpServer
from tests.mail.helpers import TEMPLATE, small_book

from actdesk.cli import main
from actdesk.services.mail.config import KEYRING_SERVICE


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def configure(capsys, monkeypatch, server: SmtpServer, *extra: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    return run(
        capsys,
        "mail",
        "configure",
        "--host",
        "127.0.0.1",
        "--port",
        str(server.port),
        "--user",
        USER,
        "--security",
        "starttls",
        "--cafile",
        server.cafile,
        "--from",
        USER,
        *extra,
    )


def test_configure_keeps_the_password_only_in_the_keyring(capsys, monkeypatch, smtp_server, tmp_path) -> None:
    code, out, _err = configure(capsys, monkeypatch, smtp_server)
    assert code == 0 and "keyring" in out
    assert keyring.get_password(KEYRING_SERVICE, USER) == PASSWORD
    from actdesk.settings import settings_path

    saved = settings_path().read_text()
    assert PASSWORD not in saved and json.loads(saved)["mail"]["host"] == "127.0.0.1"
    code, out, _err = run(capsys, "mail", "test", "--to", "ann@example.org")
    assert code == 0 and "250" in out
    assert smtp_server.delivered[0].rcpt_tos == ["ann@example.org"]


def test_plaintext_keyring_is_refused_unless_the_user_opts_in(capsys, monkeypatch, smtp_server) -> None:
    from tests.conftest import MemoryKeyring

    class PlaintextKeyring(MemoryKeyring):
        """Stands in for keyrings.alt.file.PlaintextKeyring."""

    plain = PlaintextKeyring()
    keyring.set_keyring(plain)
    code, _out, err = configure(capsys, monkeypatch, smtp_server)
    assert code == 2 and "plain file" in err
    assert plain.store == {}
    code, _out, _err = configure(capsys, monkeypatch, smtp_server, "--allow-insecure-keyring")
    assert code == 0 and plain.store[(KEYRING_SERVICE, USER)] == PASSWORD


def test_no_keyring_at_all_is_a_clear_error(capsys, monkeypatch, smtp_server) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    keyring.set_keyring(FailKeyring())
    code, _out, err = configure(capsys, monkeypatch, smtp_server, "--allow-insecure-keyring")
    assert code == 1 and "No secure password store" in err  # the computer's, not a typing error (README)


def test_campaign_outbox_send_and_report(capsys, monkeypatch, smtp_server, db_path, tmp_path) -> None:
    from actdesk.storage.open import open_book

    book = open_book(db_path)
    small_book(book)
    book.dispose()
    configure(capsys, monkeypatch, smtp_server)
    template = tmp_path / "hello.txt"
    template.write_text(TEMPLATE, encoding="utf-8")
    db = ["--db", str(db_path)]

    code, out, err = run(
        capsys,
        *db,
        "campaign",
        "create",
        "--template",
        str(template),
        "--audience",
        "status=client",
        "--json",
    )
    assert code == 0, err
    created = json.loads(out)
    assert created["queued"] == 2
    assert created["skipped"] == {"do_not_email": 1, "no_email": 1, "opted_out": 1}

    code, out, _ = run(capsys, *db, "outbox", "--json")
    listed = json.loads(out)
    assert {m["to"] for m in listed} == {"ann@example.org", "bob@example.org"}
    assert {m["state"] for m in listed} == {"queued"}
    assert all(m["message_id"].startswith("<") and m["scheduled_for"] for m in listed)
    assert {m["subject"] for m in listed} == {"Hello Ann", "Hello Bob"}

    code, out, _ = run(capsys, *db, "outbox", "send", "--json")
    assert code == 0 and json.loads(out)["sent"] == 2
    assert len(smtp_server.delivered) == 2

    code, out, _ = run(capsys, *db, "campaign", "report", str(created["campaign_id"]), "--json")
    report = json.loads(out)
    assert (report["sent"], report["failed"], report["uncertain"], report["opted_out"]) == (2, 0, 0, 0)

    code, out, _ = run(capsys, *db, "mail", "opt-out", "bob@example.org")
    assert code == 0
    code, out, _ = run(capsys, *db, "campaign", "report", "--json")
    assert json.loads(out)[0]["opted_out"] == 1


def test_scheduled_campaign_waits_and_can_be_cancelled(
    capsys, monkeypatch, smtp_server, db_path, tmp_path
) -> None:
    from actdesk.storage.open import open_book

    book = open_book(db_path)
    small_book(book)
    book.dispose()
    configure(capsys, monkeypatch, smtp_server)
    db = ["--db", str(db_path)]
    code, out, err = run(
        capsys,
        *db,
        "campaign",
        "create",
        "--template",
        "birthday",
        "--audience",
        "household=Smith household",
        "--at",
        "2099-01-01T09:00",
        "--json",
    )
    assert code == 0, err
    code, out, _ = run(capsys, *db, "outbox", "send", "--json")
    assert json.loads(out)["sent"] == 0 and smtp_server.delivered == []
    listed = json.loads(run(capsys, *db, "outbox", "--json")[1])
    first = listed[0]["id"]
    assert run(capsys, *db, "outbox", "cancel", str(first))[0] == 0
    code, _out, err = run(capsys, *db, "outbox", "cancel", str(first))
    assert code == 2 and "cancelled" in err
    assert run(capsys, *db, "outbox", "retry", str(first))[0] == 0
    states = {m["id"]: m["state"] for m in json.loads(run(capsys, *db, "outbox", "--json")[1])}
    assert states[first] == "queued"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--audience", "colour=blue"], "unknown filter 'colour'"),
        (["--audience", "age=old"], "age band"),
        (["--audience", "status"], "key=value"),
        (["--at", "tomorrow"], "--at must look like"),
    ],
)
def test_bad_campaign_input_is_refused_and_nothing_is_queued(
    capsys, monkeypatch, smtp_server, empty_book, db_path, tmp_path, args, needle
) -> None:
    configure(capsys, monkeypatch, smtp_server)
    template = tmp_path / "t.txt"
    template.write_text(TEMPLATE, encoding="utf-8")
    code, _out, err = run(
        capsys, "--db", str(db_path), "campaign", "create", "--template", str(template), *args
    )
    assert code == 2 and needle in err and "Traceback" not in err
    assert json.loads(run(capsys, "--db", str(db_path), "outbox", "--json")[1]) == []


def test_template_errors_are_reported_with_the_field(
    capsys, monkeypatch, smtp_server, empty_book, db_path, tmp_path: Path
) -> None:
    configure(capsys, monkeypatch, smtp_server)
    no_subject = tmp_path / "a.txt"
    no_subject.write_text("Hello {{ contact.first_name }}\n", encoding="utf-8")
    code, _out, err = run(capsys, "--db", str(db_path), "campaign", "create", "--template", str(no_subject))
    assert code == 2 and "Subject:" in err
    typo = tmp_path / "b.txt"
    typo.write_text("Subject: Hi\n\n{{ contact.frist_name }}\n", encoding="utf-8")
    code, _out, err = run(capsys, "--db", str(db_path), "campaign", "create", "--template", str(typo))
    assert code == 2 and "frist_name" in err and "contact.first_name" in err


def test_automations_run_twice_queues_once(capsys, monkeypatch, smtp_server, db_path) -> None:
    from datetime import UTC, datetime, timedelta

    from tests import factories as f

    from actdesk.storage.open import open_book

    book = open_book(db_path)
    ids = small_book(book)
    with book.session() as s:
        f.activity(s, ids["smith"], kind="review", start=datetime.now(UTC) + timedelta(days=5))
    book.dispose()
    configure(capsys, monkeypatch, smtp_server)
    db = ["--db", str(db_path)]
    code, out, err = run(capsys, *db, "automations", "run", "--json")
    assert code == 0, err
    first = json.loads(out)
    assert first["queued"]["review"] == 2
    code, out, _ = run(capsys, *db, "automations", "run", "--json")
    second = json.loads(out)
    assert second["queued"] == {} and second["already_queued"] >= 2
    queued = json.loads(run(capsys, *db, "outbox", "--state", "queued", "--json")[1])
    assert sorted(m["to"] for m in queued if m["subject"].startswith("Your review")) == [
        "ann@example.org",
        "bob@example.org",
    ]


def test_retention_below_five_years_needs_confirmation(capsys) -> None:
    code, _out, err = run(capsys, "mail", "retention", "--years", "3")
    assert code == 2 and "204-2" in err and "--confirm-short-retention" in err
    from actdesk.services.mail.config import load_mail_settings
    from actdesk.settings import load_settings

    assert load_mail_settings(load_settings()).retention_years == 6
    code, out, _err = run(capsys, "mail", "retention", "--years", "3", "--confirm-short-retention")
    assert code == 0 and "3 years" in out
    cfg = load_mail_settings(load_settings())
    assert (cfg.retention_years, cfg.retention_below_minimum_confirmed) == (3, True)
