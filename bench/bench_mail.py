"""Mail benchmarks: building the outbox for a large campaign, and sending to a local SMTP server.

``python bench/bench_mail.py`` prints the numbers; the functions return them for the benchmark runner.
Targets: a 5,000-recipient campaign rendered, composed and stored in well under a minute; at least
20 messages a second handed to a local server over one STARTTLS + AUTH connection.
"""

from __future__ import annotations

import socket
import ssl
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend

from actdesk.services.mail.campaigns import Sender, create_campaign
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.outbox import send_due
from actdesk.services.mail.smtp import SmtpAccount, SmtpSession
from actdesk.services.mail.templates import starter_template
from actdesk.settings import GeneralSettings
from actdesk.storage.engine import Book
from actdesk.storage.open import open_book
from actdesk.storage.tables.book import ContactRow, HouseholdRow

NOW = datetime(2026, 3, 2, 14, tzinfo=UTC)
USER, PASSWORD = "bench@example.com", "bench-password"


class BenchKeyring(KeyringBackend):
    """An in-memory keyring: benchmarks never touch the machine's own."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def _book(folder: Path, households: int) -> Book:
    book = open_book(folder / "bench.db")
    with book.session() as s:
        for i in range(households):
            hh = HouseholdRow(name=f"Household {i}", status="client")
            s.add(hh)
            s.flush()
            s.add(
                ContactRow(
                    household_id=hh.id,
                    role="primary",
                    first_name=f"First{i}",
                    last_name=f"Last{i}",
                    email=f"client{i}@example.org",
                )
            )
    return book


def _cfg(port: int, cafile: str) -> MailSettings:
    return MailSettings(
        host="127.0.0.1",
        port=port,
        user=USER,
        security="starttls",
        cafile=cafile,
        from_addr=USER,
        from_name="Bench Advisor",
        rate_per_minute=0,
    )


def bench_outbox_build(recipients: int = 5000) -> dict[str, float]:
    """Seconds to render, compose and store one campaign for ``recipients`` households."""
    with tempfile.TemporaryDirectory() as tmp:
        book = _book(Path(tmp), recipients)
        sender = Sender.from_settings(
            _cfg(25, ""), GeneralSettings(practice_name="Bench", advisor_name="Bench")
        )
        start = time.perf_counter()
        result = create_campaign(
            book, starter_template("newsletter"), "status=client", sender, now=NOW, tz=UTC
        )
        elapsed = time.perf_counter() - start
        book.dispose()
    return {
        "recipients": float(result.queued),
        "seconds": elapsed,
        "messages_per_second": result.queued / elapsed,
    }


def bench_send_rate(messages: int = 300) -> dict[str, float]:
    """Messages per second handed to a local aiosmtpd server (STARTTLS + AUTH, one connection)."""
    import trustme
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    class Sink:
        count = 0

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            Sink.count += 1
            return "250 OK"

    def auth(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password.decode() == PASSWORD
        return AuthResult(success=ok, handled=False)

    ca = trustme.CA()
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_ctx)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    previous = keyring.get_keyring()
    keyring.set_keyring(BenchKeyring())
    controller = Controller(
        Sink(),
        hostname="127.0.0.1",
        port=port,
        tls_context=server_ctx,
        require_starttls=True,
        authenticator=auth,
        auth_required=True,
    )
    controller.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            cafile = str(Path(tmp) / "ca.pem")
            ca.cert_pem.write_to_path(cafile)
            book = _book(Path(tmp), messages)
            cfg = _cfg(port, cafile)
            sender = Sender.from_settings(cfg, GeneralSettings(practice_name="Bench", advisor_name="Bench"))
            create_campaign(book, starter_template("newsletter"), "", sender, now=NOW, tz=UTC)
            session = SmtpSession(SmtpAccount.from_settings(cfg), PASSWORD)
            start = time.perf_counter()
            report = send_due(book, cfg, smtp=session)
            elapsed = time.perf_counter() - start
            book.dispose()
    finally:
        controller.stop()
        keyring.set_keyring(previous)
    return {
        "sent": float(report.sent),
        "seconds": elapsed,
        "messages_per_second": report.sent / elapsed,
        "server_received": float(Sink.count),
    }


if __name__ == "__main__":
    print("outbox build:", bench_outbox_build())
    print("send rate:", bench_send_rate())
