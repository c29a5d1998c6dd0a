"""Fixtures for the sign-in tests: the local authorization server and settings pointing at it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator

import pytest
from tests.mail.oauth_server import GOOGLE_CLIENT, GOOGLE_SECRET, MS_CLIENT, AuthServer

from actdesk.services.mail.config import MailSettings


@pytest.fixture
def auth_server(tls_material: tuple[ssl.SSLContext, str]) -> Iterator[AuthServer]:
    server = AuthServer(tls_material[0], tls_material[1]).start()
    yield server
    server.stop()


def oauth_settings(server: AuthServer, provider: str = "microsoft", **overrides: object) -> MailSettings:
    """An account already on ``provider`` whose every endpoint is on 127.0.0.1."""
    values: dict[str, object] = dict(
        provider=provider,
        microsoft_client_id=MS_CLIENT,
        microsoft_authority=server.microsoft_authority,
        google_client_id=GOOGLE_CLIENT,
        google_client_secret=GOOGLE_SECRET,
        google_auth_uri=server.state.base + "/google/auth",
        google_token_uri=server.state.base + "/google/token",
        oauth_cafile=server.cafile,
        timeout_seconds=5.0,
    )
    values.update(overrides)
    return MailSettings(**values)  # type: ignore[arg-type]
