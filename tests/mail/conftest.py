"""A real SMTP server on 127.0.0.1 (aiosmtpd) with STARTTLS and AUTH, certificates from trustme, a fake clock."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from actdesk.services.mail.config import MailSettings, store_password
from actdesk.settings import GeneralSettings

USER, PASSWORD = "advisor@example.com", "s3cret-app-password"
T0 = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Handler:
    """Records every accepted message; ``replies`` scripts the DATA answers ("451 ...", "550 ...")."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.replies: list[str] = []
        self.rcpt_replies: dict[str, str] = {}
        self.drop_after_data = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop_after_data:
            self.drop_after_data = False
            self.messages.append(envelope)  # the server got it, but the client never hears so
            server.transport.close()
            return "250 OK"
        if self.replies:
            reply = self.replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.messages.append(envelope)
        return f"250 OK queued as Q{len(self.messages)}"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USER
        and auth_data.password.decode() == PASSWORD
    )
    # handled=False: aiosmtpd then answers "535 ..." itself; the default (handled=True) sends no reply at all.
    return AuthResult(success=ok, handled=False)


@dataclass
class SmtpServer:
    port: int
    handler: Handler
    cafile: str
    tls: ssl.SSLContext
    mode: str = "starttls"
    controller: Controller | None = field(default=None)

    def start(self) -> SmtpServer:
        kwargs: dict[str, Any] = {"authenticator": authenticator, "auth_required": True}
        if self.mode == "ssl":
            kwargs.update(ssl_context=self.tls, auth_require_tls=False)
        else:
            kwargs.update(tls_context=self.tls, require_starttls=True, auth_require_tls=True)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def delivered(self) -> list[Any]:
        return self.handler.messages

    def settings(self, **overrides: Any) -> MailSettings:
        values: dict[str, Any] = dict(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            security=self.mode,
            cafile=self.cafile,
            from_addr=USER,
            from_name="Pat Advisor",
            timeout_seconds=5.0,
        )
        values.update(overrides)
        return MailSettings(**values)


@pytest.fixture(scope="session")
def tls_material(tmp_path_factory: pytest.TempPathFactory) -> tuple[ssl.SSLContext, str]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    path = tmp_path_factory.mktemp("tls") / "trusted-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return server_ctx, str(path)


@pytest.fixture
def smtp_factory(tls_material: tuple[ssl.SSLContext, str]) -> Iterator[Any]:
    servers: list[SmtpServer] = []

    def make(mode: str = "starttls", start: bool = True) -> SmtpServer:
        server = SmtpServer(free_port(), Handler(), tls_material[1], tls_material[0], mode)
        servers.append(server)
        return server.start() if start else server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def smtp_server(smtp_factory: Any) -> SmtpServer:
    return smtp_factory()


@pytest.fixture
def password() -> str:
    store_password(USER, PASSWORD, allow_insecure=False)
    return PASSWORD


class FakeClock:
    """Time that moves only when told to (or when the code under test sleeps)."""

    def __init__(self, start: datetime = T0) -> None:
        self.current = start
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self.current

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.current += timedelta(seconds=seconds)

    def advance(self, **kwargs: float) -> None:
        self.current += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def general() -> GeneralSettings:
    return GeneralSettings(practice_name="Harbor Wealth", advisor_name="Pat Advisor")


def message_text(envelope: Any) -> str:
    from email import message_from_bytes
    from email.policy import default

    msg = message_from_bytes(envelope.original_content, policy=default)
    parts = [msg.get_body(("plain",)), msg.get_body(("html",))]
    return "\n".join(p.get_content() for p in parts if p is not None)


def cafile_path(server: SmtpServer) -> Path:
    return Path(server.cafile)
