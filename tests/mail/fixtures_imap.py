"""A real Dovecot IMAP server for the reply-watcher tests, with the OAuth server its XOAUTH2 logins ask.

Skipped with the reason when Dovecot is not installed here; CI (``.ci/run``) installs it and sets
ACTDESK_REQUIRE_DOVECOT=1 so that a missing server fails instead of skipping.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import trustme
from imapclient import IMAPClient
from tests.mail import dovecot
from tests.mail.oauth_server import AuthServer

from actdesk.services.mail.config import MailSettings


class ImapWorld:
    """Dovecot plus the authorization server; one per test session, the mailbox emptied for each test."""

    def __init__(self, server: dovecot.Dovecot, auth: AuthServer, cafile: str) -> None:
        self.server, self.auth, self.cafile = server, auth, cafile

    def client(self) -> IMAPClient:
        ctx = ssl.create_default_context(cafile=self.cafile)
        c = IMAPClient("127.0.0.1", port=self.server.port, ssl=True, ssl_context=ctx, timeout=10)
        c.login(dovecot.IMAP_USER, dovecot.IMAP_PASSWORD)
        return c

    def deliver(self, *messages: bytes | EmailMessage, when: datetime | None = None) -> None:
        """Append as the mail server's delivery would (``when``: the arrival date it records)."""
        c = self.client()
        try:
            for m in messages:
                c.append("INBOX", m.as_bytes() if isinstance(m, EmailMessage) else m, msg_time=when)
        finally:
            c.logout()

    def flags(self) -> dict[bytes, tuple[bytes, ...]]:
        """Message-ID -> flags of every message in the inbox."""
        c = self.client()
        try:
            c.select_folder("INBOX", readonly=True)
            data = c.fetch(c.search(["ALL"]), ["FLAGS", "BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
        finally:
            c.logout()
        out = {}
        for item in data.values():
            mid = item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].split(b":", 1)[1].strip()
            out[mid] = item[b"FLAGS"]
        return out

    def empty(self) -> None:
        c = self.client()
        try:
            c.select_folder("INBOX")
            uids = c.search(["ALL"])
            if uids:
                c.delete_messages(uids)
                c.expunge()
        finally:
            c.logout()

    def settings(self, **overrides: object) -> MailSettings:
        values: dict[str, object] = dict(
            imap_enabled=True,
            imap_host="127.0.0.1",
            imap_port=self.server.port,
            imap_security="ssl",
            user=dovecot.IMAP_USER,
            from_addr=dovecot.IMAP_USER,
            cafile=self.cafile,
            timeout_seconds=10.0,
        )
        values.update(overrides)
        return MailSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def imap_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ImapWorld]:
    reason = dovecot.available()
    if reason:
        if os.environ.get("ACTDESK_REQUIRE_DOVECOT"):
            pytest.fail("Dovecot is required here (ACTDESK_REQUIRE_DOVECOT=1) but " + reason)
        pytest.skip(reason)
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cafile = str(Path(tmp_path_factory.mktemp("imap-tls")) / "ca.pem")
    ca.cert_pem.write_to_path(cafile)
    os.chmod(Path(cafile).parent, 0o755)
    os.chmod(cafile, 0o644)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(server_ctx)
    auth = AuthServer(server_ctx, cafile).start()
    server = dovecot.make(
        b"".join(p.bytes() for p in cert.cert_chain_pems).decode(),
        cert.private_key_pem.bytes().decode(),
        cafile,
        auth.state.base + "/introspect",
    )
    try:
        server.start()
    except RuntimeError as exc:
        auth.stop()
        pytest.fail(f"Dovecot is installed but did not start: {exc}")
    yield ImapWorld(server, auth, cafile)
    server.stop()
    auth.stop()


@pytest.fixture
def imap(imap_world: ImapWorld) -> ImapWorld:
    imap_world.empty()
    imap_world.auth.state.revoke_all()
    imap_world.auth.state.token_error = None
    return imap_world
