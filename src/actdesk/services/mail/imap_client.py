"""An IMAP connection for the reply watcher (imapclient): verified TLS, password or XOAUTH2 login.

Failures are sorted the way the watcher needs them: ``ImapOffline`` (network, server down: try again soon,
nothing changes) and ``ImapAccountProblem`` (wrong password, refused certificate, sign in again: the advisor
must act; the watcher waits and says so).
"""

from __future__ import annotations

import contextlib
import ssl
from dataclasses import dataclass

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from actdesk.i18n import _
from actdesk.services.mail.config import MailConfigError, MailSettings, read_password
from actdesk.services.mail.oauth_errors import OAuthUnavailable
from actdesk.services.mail.smtp import ConnectionProblem, tls_context


class ImapOffline(Exception):
    """The server cannot be reached now; the watcher retries later."""


class ImapAccountProblem(Exception):
    """The account cannot be used until the advisor acts (password, sign-in, certificate, folder)."""


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    security: str  # ssl | starttls
    user: str
    folder: str
    cafile: str | None
    timeout: float

    @classmethod
    def from_settings(cls, cfg: MailSettings) -> ImapAccount:
        if not cfg.imap_host:
            raise ImapAccountProblem(
                _("No incoming mail (IMAP) server is set. Choose one in the account settings.")
            )
        user = cfg.imap_user or cfg.login
        return cls(cfg.imap_host, int(cfg.imap_port), cfg.imap_security, user, cfg.imap_folder or "INBOX",
                   cfg.cafile or None, cfg.timeout_seconds)  # fmt: skip


def _login(client: IMAPClient, cfg: MailSettings, user: str) -> None:
    if cfg.uses_oauth:
        from actdesk.services.mail.oauth import access_token

        for force in (False, True):
            try:
                token = access_token(cfg, "mail", force_refresh=force)
            except OAuthUnavailable as exc:
                raise ImapOffline(str(exc)) from exc
            except MailConfigError as exc:
                raise ImapAccountProblem(str(exc)) from exc
            try:
                client.oauth2_login(user, token)
                return
            except LoginError as exc:
                refused = exc
        raise ImapAccountProblem(
            _(
                "The incoming mail server refused the sign-in token ({reply}). Sign in again in the account "
                "settings."
            ).format(reply=refused)
        )
    try:
        password = read_password(cfg.user if not cfg.imap_user else cfg.imap_user,
                                 allow_insecure=cfg.allow_insecure_keyring)  # fmt: skip
    except MailConfigError as exc:
        raise ImapAccountProblem(str(exc)) from exc
    try:
        client.login(user, password)
    except LoginError as exc:
        raise ImapAccountProblem(
            _(
                "The incoming mail server refused the user name or password ({reply}). Check them in the "
                "account settings."
            ).format(reply=exc)
        ) from exc


def connect(cfg: MailSettings) -> IMAPClient:
    """Open, secure and log in; the caller logs out (``logout_quietly``)."""
    acc = ImapAccount.from_settings(cfg)
    try:
        context = tls_context(acc.cafile)
    except ConnectionProblem as exc:
        raise ImapAccountProblem(str(exc)) from exc
    client: IMAPClient | None = None
    try:
        client = IMAPClient(acc.host, acc.port, ssl=acc.security == "ssl", ssl_context=context,
                            timeout=acc.timeout)  # fmt: skip
        if acc.security != "ssl":
            client.starttls(context)
        _login(client, cfg, acc.user)
        return client
    except ssl.SSLCertVerificationError as exc:
        _drop(client)
        raise ImapAccountProblem(
            _("The incoming mail server's certificate could not be verified ({reason}).").format(
                reason=exc.verify_message or exc
            )
        ) from exc
    except (ImapAccountProblem, ImapOffline):
        _drop(client)
        raise
    except (TimeoutError, OSError, IMAPClientError) as exc:
        _drop(client)
        raise ImapOffline(
            _("Could not reach {host}:{port} ({error}).").format(host=acc.host, port=acc.port, error=exc)
        ) from exc


def _drop(client: IMAPClient | None) -> None:
    if client is not None:
        with contextlib.suppress(OSError, IMAPClientError):
            client.shutdown()


def logout_quietly(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError):
        _drop(client)
