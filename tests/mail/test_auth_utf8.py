"""A non-ASCII SMTP password works (AUTH in UTF-8, RFC 4616) against a real local server, and a refused
one never shows a character of the password in the error (finding 9 of issue 25)."""

from __future__ import annotations

import io
import sys

import pytest
import tests.mail.conftest as server_conf

from actdesk.cli import main

UTF8_PASSWORD = "pässwörd-€-ключ"


def _configure(monkeypatch: pytest.MonkeyPatch, server: server_conf.SmtpServer, password: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return main(["mail", "configure", "--host", "127.0.0.1", "--port", str(server.port), "--user",
                 server_conf.USER, "--security", "starttls", "--cafile", server.cafile, "--from", server_conf.USER])  # fmt: skip


def test_a_non_ascii_password_logs_in(
    monkeypatch: pytest.MonkeyPatch, smtp_server: server_conf.SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    for module in [m for name, m in list(sys.modules.items()) if name.endswith("mail.conftest")]:
        monkeypatch.setattr(module, "PASSWORD", UTF8_PASSWORD)  # pytest may hold its own copy
    assert _configure(monkeypatch, smtp_server, UTF8_PASSWORD) == 0
    assert main(["mail", "test", "--to", "client@example.org"]) == 0, capsys.readouterr().err
    assert len(smtp_server.handler.messages) == 1


def test_a_refused_non_ascii_password_reveals_nothing(
    monkeypatch: pytest.MonkeyPatch, smtp_server: server_conf.SmtpServer, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _configure(monkeypatch, smtp_server, UTF8_PASSWORD) == 0  # the server expects another one
    capsys.readouterr()
    code = main(["mail", "test", "--to", "client@example.org"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1
    assert "position" not in err and "\\xe4" not in err and "ä" not in err and "Traceback" not in err
    assert not smtp_server.handler.messages
