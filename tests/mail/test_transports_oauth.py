"""The outbox over SMTP XOAUTH2 and Microsoft Graph: same at-most-once claim, rate limit and archive."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text
from tests.mail import fixtures_oauth as fx
from tests.mail.helpers import queue, small_book
from tests.mail.oauth_resources import GraphStandIn, XOAuth2Smtp
from tests.mail.oauth_server import AuthServer

from actdesk.services.mail import oauth
from actdesk.services.mail.account import send_test_message
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.outbox import send_due
from actdesk.services.mail.smtp import ConnectionProblem
from actdesk.services.mail.transports import open_transport, transport_name
from actdesk.settings import load_settings
from actdesk.storage.engine import Book

auth_server = fx.auth_server


@pytest.fixture
def xoauth_smtp(auth_server: AuthServer, tls_material: tuple[ssl.SSLContext, str]) -> Iterator[XOAuth2Smtp]:
    server = XOAuth2Smtp(auth_server.state, tls_material[0]).start()
    yield server
    server.stop()


@pytest.fixture
def graph(auth_server: AuthServer, tls_material: tuple[ssl.SSLContext, str]) -> Iterator[GraphStandIn]:
    server = GraphStandIn(auth_server.state, tls_material[0]).start()
    yield server
    server.stop()


def signed_in(auth_server: AuthServer, provider: str, **overrides: Any) -> MailSettings:
    cfg = fx.oauth_settings(auth_server, provider, **overrides)
    return oauth.sign_in(cfg, provider, open_url=auth_server.browser, timeout=20)


def smtp_cfg(auth_server: AuthServer, smtp: XOAuth2Smtp, provider: str, cafile: str) -> MailSettings:
    return signed_in(
        auth_server, provider, host="127.0.0.1", port=smtp.port, security="starttls", cafile=cafile
    )


def states(book: Book) -> list[str]:
    with book.reader() as s:
        return [r[0] for r in s.execute(text("SELECT state FROM mail_messages ORDER BY id"))]


def archived(book: Book) -> list[str]:
    with book.reader() as s:
        return [r[0] for r in s.execute(text("SELECT smtp_reply FROM mail_archive ORDER BY id"))]


@pytest.mark.parametrize("provider", ["microsoft", "google"])
def test_campaign_goes_out_over_smtp_xoauth2_and_is_archived(
    provider: str,
    book: Book,
    auth_server: AuthServer,
    xoauth_smtp: XOAuth2Smtp,
    general: Any,
    tls_material: tuple[ssl.SSLContext, str],
) -> None:
    if provider == "google":
        xoauth_smtp.handler.scope_part = "mail.google.com"
    cfg = smtp_cfg(auth_server, xoauth_smtp, provider, tls_material[1])
    assert transport_name(cfg) == "smtp-xoauth2"
    small_book(book)
    result = queue(book, cfg, general, auth_server_now())
    report = send_due(book, cfg)
    assert report.sent == result.queued == 2 and report.stopped is None
    assert xoauth_smtp.handler.logins == ["pat@harbor.example"]  # one connection, one login for the batch
    assert states(book) == ["sent", "sent"]
    assert all(r.startswith("250") for r in archived(book))


def auth_server_now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)


def test_expired_access_token_is_refreshed_silently(
    book: Book,
    auth_server: AuthServer,
    xoauth_smtp: XOAuth2Smtp,
    general: Any,
    tls_material: tuple[ssl.SSLContext, str],
) -> None:
    cfg = smtp_cfg(auth_server, xoauth_smtp, "microsoft", tls_material[1])
    small_book(book)
    queue(book, cfg, general, auth_server_now())
    auth_server.state.expire_access_tokens()  # the server forgot the token we still think valid
    report = send_due(book, cfg)
    assert report.sent == 2
    assert xoauth_smtp.handler.refusals == 1 and len(xoauth_smtp.handler.logins) == 1


def test_revoked_grant_pauses_the_outbox_and_loses_nothing(
    book: Book,
    auth_server: AuthServer,
    xoauth_smtp: XOAuth2Smtp,
    general: Any,
    tls_material: tuple[ssl.SSLContext, str],
) -> None:
    cfg = smtp_cfg(auth_server, xoauth_smtp, "microsoft", tls_material[1])
    small_book(book)
    queue(book, cfg, general, auth_server_now())
    auth_server.state.revoke_all()
    report = send_due(book, cfg)
    assert report.sent == 0 and report.stopped is not None
    assert "actdesk mail sign-in microsoft" in report.stopped
    assert states(book) == ["queued", "queued"]  # nothing claimed, nothing lost
    assert oauth.sign_in_state(cfg).needs_sign_in
    # Signing in again resumes: the same messages go out once.
    cfg = oauth.sign_in(cfg, "microsoft", open_url=auth_server.browser, timeout=20)
    assert send_due(book, cfg).sent == 2
    assert states(book) == ["sent", "sent"] and len(xoauth_smtp.handler.messages) == 2


def test_smtp_auth_disabled_for_the_tenant_points_to_graph(
    auth_server: AuthServer, xoauth_smtp: XOAuth2Smtp, tls_material: tuple[ssl.SSLContext, str]
) -> None:
    cfg = smtp_cfg(auth_server, xoauth_smtp, "microsoft", tls_material[1])
    xoauth_smtp.handler.scope_part = "nothing-matches"
    xoauth_smtp.handler.refusal_text = (
        "535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."
    )
    session = open_transport(cfg)
    with pytest.raises(ConnectionProblem, match="Microsoft Graph"):
        session.connect()


def test_graph_send_mail_with_the_same_outbox_guarantees(
    book: Book, auth_server: AuthServer, graph: GraphStandIn, general: Any, clock: Any
) -> None:
    cfg = signed_in(auth_server, "microsoft", transport="graph", graph_url=graph.url, rate_per_minute=1)
    assert transport_name(cfg) == "graph"
    small_book(book)
    queue(book, cfg, general, clock.now())
    report = send_due(book, cfg, clock=clock)
    # The rate limit (1 a minute here) counts hand-overs in the book, whatever the transport.
    assert report.sent == 2 and report.rate_waits > 0 and sum(clock.slept) >= 59
    assert sorted(str(m["To"]) for m in graph.accepted) == [
        "Ann Smith <ann@example.org>",
        "Bob Smith <bob@example.org>",
    ]
    assert all(r.startswith("202 Accepted") for r in archived(book))


def test_graph_outcomes_follow_the_outbox_rules(
    book: Book, auth_server: AuthServer, graph: GraphStandIn, general: Any
) -> None:
    cfg = signed_in(auth_server, "microsoft", transport="graph", graph_url=graph.url, rate_per_minute=0)
    small_book(book)
    queue(book, cfg, general, auth_server_now())
    graph.script = [(429, "TooManyRequests"), "drop"]
    report = send_due(book, cfg)
    assert report.retrying == 1 and report.uncertain == 1
    assert sorted(states(book)) == ["queued", "uncertain"]
    assert len(graph.accepted) == 1  # the dropped one did arrive: never resent by itself


def test_graph_refreshes_an_expired_token_once(
    book: Book, auth_server: AuthServer, graph: GraphStandIn, general: Any
) -> None:
    cfg = signed_in(auth_server, "microsoft", transport="graph", graph_url=graph.url, rate_per_minute=0)
    small_book(book)
    queue(book, cfg, general, auth_server_now())
    oauth.access_token(cfg, "graph")
    auth_server.state.expire_access_tokens()
    assert send_due(book, cfg).sent == 2
    assert graph.unauthorized == 1


def test_test_message_over_graph(auth_server: AuthServer, graph: GraphStandIn) -> None:
    cfg = signed_in(auth_server, "microsoft", transport="graph", graph_url=graph.url)
    reply = send_test_message(load_settings(), "pat@harbor.example", auth_server_now(), cfg=cfg)
    assert reply.startswith("202")
    assert graph.accepted[0]["Subject"] == "actdesk test message"
