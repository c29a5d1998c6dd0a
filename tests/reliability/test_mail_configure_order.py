"""``mail configure`` checks every option before it writes anything: a refused option leaves the keyring's
password and the saved account as they were (finding 6 of issue 25)."""

from __future__ import annotations

import io

import keyring
import pytest

from actdesk.cli import main
from actdesk.services.mail.config import KEYRING_SERVICE, load_mail_settings
from actdesk.settings import load_settings


def _configure(monkeypatch: pytest.MonkeyPatch, password: str, *extra: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(
        ["mail", "configure", "--host", "smtp.example.org", "--port", "587", "--security", "starttls", *extra]
    )


@pytest.mark.parametrize(
    "extra",
    [
        ("--user", "advisor@example.org", "--rate", "0"),
        ("--user", "advisor@example.org", "--from", "not an address"),
        ("--user", "advisor@example.org", "--port", "70000"),
        ("--user", "advisor@example.org", "--cafile", "/nonexistent/ca.pem"),
    ],
)
def test_a_refused_option_changes_neither_the_password_nor_the_account(
    extra: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _configure(monkeypatch, "old secret", "--user", "advisor@example.org") == 0
    before = load_mail_settings(load_settings())
    capsys.readouterr()
    code = _configure(monkeypatch, "new secret", *extra)
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert keyring.get_password(KEYRING_SERVICE, "advisor@example.org") == "old secret"
    assert keyring.get_password(KEYRING_SERVICE, "advisor") is None
    assert load_mail_settings(load_settings()) == before


def test_a_login_that_is_no_address_needs_from(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _configure(monkeypatch, "secret", "--user", "advisor") == 2
    err = capsys.readouterr().err
    assert "--from" in err and len(err.strip().splitlines()) == 1
    assert keyring.get_password(KEYRING_SERVICE, "advisor") is None
    assert _configure(monkeypatch, "secret", "--user", "advisor", "--from", "advisor@example.org") == 0
    assert keyring.get_password(KEYRING_SERVICE, "advisor") == "secret"
