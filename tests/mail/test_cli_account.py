"""``actdesk mail sign-in|status|replies|check-replies|autodiscover`` through the command line's main()."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC as ZoneUTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from tests.engagement.helpers import NOW, delivered_to, reply_to, small_book
from tests.mail import fixtures_imap
from tests.mail import fixtures_oauth as fx
from tests.mail.conftest import FakeClock
from tests.mail.dovecot import IMAP_PASSWORD, IMAP_USER
from tests.mail.fixtures_imap import ImapWorld
from tests.mail.oauth_server import GOOGLE_CLIENT, GOOGLE_SECRET, MS_CLIENT, AuthServer

from actdesk.cli import main
from actdesk.services.engagement.config import load_engagement_settings
from actdesk.services.engagement.questionnaire import run_questionnaire_automation
from actdesk.services.mail.autodiscover import discover
from actdesk.services.mail.campaigns import Sender
from actdesk.services.mail.config import store_password
from actdesk.services.mail.outbox import send_due
from actdesk.settings import load_settings
from actdesk.storage.engine import Book

auth_server = fx.auth_server
imap_world = fixtures_imap.imap_world
imap = fixtures_imap.imap


def run(capsys: Any, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def ms_args(server: AuthServer) -> list[str]:
    return ["--client-id", MS_CLIENT, "--authority", server.microsoft_authority, "--cafile", server.cafile]


def test_sign_in_with_microsoft_then_status(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, auth_server: AuthServer, book: Book, db_path: Path
) -> None:
    monkeypatch.setattr("webbrowser.open", auth_server.browser)  # the system browser, played by the test
    code, out, err = run(capsys, "mail", "sign-in", "microsoft", *ms_args(auth_server), "--json")
    assert code == 0, err
    assert json.loads(out) == {"provider": "microsoft", "account": "pat@harbor.example", "transport": "smtp"}
    assert "visit:" in err and "code_challenge" in err
    code, out, _ = run(capsys, "--db", str(db_path), "mail", "status", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["transport"] == "smtp-xoauth2" and status["signed_in_as"] == "pat@harbor.example"
    assert status["token_expires_at"] and status["sending_paused"] is False
    assert "rt-" not in load_settings().path.read_text()  # type: ignore[union-attr]
    # Revoked: the next send pauses with every message kept, and status says so.
    auth_server.state.revoke_all()
    from actdesk.services.mail import oauth
    from actdesk.services.mail.config import load_mail_settings

    with pytest.raises(oauth.SignInRequired):
        oauth.access_token(load_mail_settings(load_settings()), force_refresh=True)
    status = json.loads(run(capsys, "--db", str(db_path), "mail", "status", "--json")[1])
    assert status["sending_paused"] is True and "actdesk mail sign-in microsoft" in status["paused_reason"]


def test_sign_in_with_google(capsys: Any, monkeypatch: pytest.MonkeyPatch, auth_server: AuthServer) -> None:
    monkeypatch.setattr("webbrowser.open", auth_server.browser)
    base = auth_server.state.base
    code, out, err = run(
        capsys, "mail", "sign-in", "google", "--client-id", GOOGLE_CLIENT, "--client-secret", GOOGLE_SECRET,
        "--auth-uri", base + "/google/auth", "--token-uri", base + "/google/token", "--cafile", auth_server.cafile,
    )  # fmt: skip
    assert code == 0, err
    assert "Signed in as pat@harbor.example" in out


def test_sign_in_refusals_are_one_clear_line(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, auth_server: AuthServer
) -> None:
    monkeypatch.setattr("webbrowser.open", auth_server.browser)
    code, _out, err = run(capsys, "mail", "sign-in", "microsoft")  # no client id configured
    assert code == 2 and "client id" in err and "Traceback" not in err
    code, _out, err = run(capsys, "mail", "sign-in", "google", "--tenant", "contoso")
    assert code == 2 and "does not apply" in err
    auth_server.state.authorize_error = ("consent_required", "AADSTS90094: Admin consent is required.")
    code, _out, err = run(capsys, "mail", "sign-in", "microsoft", *ms_args(auth_server))
    assert code == 1 and "administrator has to approve actdesk" in err
    assert load_settings().raw.get("mail", {}).get("oauth_account", "") == ""  # nothing saved


def test_replies_settings_and_check_replies_json(
    capsys: Any, book: Book, db_path: Path, smtp_server: Any, password: str, general: Any, imap: ImapWorld
) -> None:
    ids = small_book(book)
    cfg = smtp_server.settings()
    eng = load_engagement_settings(load_settings())
    run_questionnaire_automation(book, cfg, eng, Sender.from_settings(cfg, general), now=NOW, tz=ZoneUTC)
    assert send_due(book, cfg, clock=FakeClock(NOW)).sent == 3
    imap.deliver(reply_to(delivered_to(smtp_server, "cat@example.org"), "1. [x] Date: 2026-02-03"))
    store_password(IMAP_USER, IMAP_PASSWORD, allow_insecure=False)
    settings = load_settings()
    settings.raw["mail"] = {"user": IMAP_USER, "from_addr": IMAP_USER, "cafile": imap.cafile}
    settings.save()
    code, _out, err = run(capsys, "mail", "check-replies")
    assert code == 2 and "mail replies --host" in err
    code, out, _err = run(capsys, "mail", "replies", "--host", "127.0.0.1", "--port", str(imap.server.port),
                          "--security", "ssl", "--enable")  # fmt: skip
    assert code == 0 and "on" in out
    code, out, err = run(capsys, "--db", str(db_path), "mail", "check-replies", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["filed"] == 1 and report["replies"][0]["household_id"] == ids.jones
    status = json.loads(run(capsys, "--db", str(db_path), "mail", "status", "--json")[1])
    assert status["last_sync"] and status["replies"] == {"marked": 1} and status["imap_enabled"] is True
    code, _out, err = run(capsys, "mail", "replies", "--port", "70000")
    assert code == 2


class _Autoconfig(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        body = b"""<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="harbor.example"><domain>harbor.example</domain>
<incomingServer type="pop3"><hostname>pop.harbor.example</hostname><port>995</port><socketType>SSL</socketType></incomingServer>
<incomingServer type="imap"><hostname>imap.harbor.example</hostname><port>993</port><socketType>SSL</socketType>
<username>%EMAILADDRESS%</username></incomingServer>
<outgoingServer type="smtp"><hostname>smtp.harbor.example</hostname><port>25</port><socketType>plain</socketType></outgoingServer>
<outgoingServer type="smtp"><hostname>smtp.harbor.example</hostname><port>587</port><socketType>STARTTLS</socketType>
<username>%EMAILLOCALPART%</username></outgoingServer></emailProvider></clientConfig>"""
        status = 200 if self.path.startswith("/good/") else 404
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def autoconfig(tls_material: tuple[ssl.SSLContext, str]) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Autoconfig)
    httpd.socket = tls_material[0].wrap_socket(httpd.socket, server_side=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_autodiscover_reads_a_thunderbird_autoconfig_file(autoconfig: str, tls_material: Any) -> None:
    urls = (autoconfig + "/missing/{domain}", autoconfig + "/good/{domain}?emailaddress={address}")
    found = discover("pat@harbor.example", urls=urls, verify=tls_material[1])
    assert found is not None
    assert (found.imap_host, found.imap_port, found.imap_security) == ("imap.harbor.example", 993, "ssl")
    # The plain-text SMTP entry is never suggested; the STARTTLS one is.
    assert (found.smtp_host, found.smtp_port, found.smtp_security) == ("smtp.harbor.example", 587, "starttls")
    assert found.username == "pat"


def test_autodiscover_is_offline_safe(tls_material: Any) -> None:
    from tests.mail.conftest import free_port

    closed = (f"https://127.0.0.1:{free_port()}/{{domain}}",)
    assert discover("pat@harbor.example", urls=closed, verify=tls_material[1], timeout=1) is None
    assert discover("not-an-address", urls=closed) is None


def test_autodiscover_command_knows_the_big_providers(capsys: Any) -> None:
    code, out, _ = run(capsys, "mail", "autodiscover", "pat@gmail.com")
    assert code == 0 and "actdesk mail sign-in google" in out
    code, _out, err = run(capsys, "mail", "autodiscover", "no-at-sign")
    assert code == 2 and "not an e-mail address" in err
