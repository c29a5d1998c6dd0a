"""Sign in with Microsoft 365 or Google, and access tokens refreshed silently.

The refresh token (with the expiry of the last access token, for the status line) lives only in the
operating system keyring, service ``actdesk-oauth``, user ``<provider>:<address>``; access tokens live only
in this process's memory. A refusal of the refresh token (revoked, expired, password changed) removes it,
so the outbox pauses at once without asking the server again, every message stays queued, and the account
screen and ``actdesk mail status`` say to sign in again.
"""

from __future__ import annotations

import contextlib
import json
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import keyring
import keyring.errors

from actdesk.i18n import _
from actdesk.services.mail.config import OAUTH_KEYRING_SERVICE, MailConfigError, MailSettings, keyring_problem
from actdesk.services.mail.oauth_errors import (
    OAuthError,
    SignInCancelled,
    SignInRequired,
    provider_name,
    sign_in_hint,
)
from actdesk.services.mail.oauth_loopback import LoopbackReceiver, open_in_thread
from actdesk.services.mail.oauth_providers import ProviderClient, Tokens, client_for

# Servers of each provider; applied when the advisor switches to that provider.
PROVIDER_SERVERS = {
    "microsoft": {
        "host": "smtp.office365.com",
        "port": 587,
        "security": "starttls",
        "imap_host": "outlook.office365.com",
        "imap_port": 993,
        "imap_security": "ssl",
    },
    "google": {
        "host": "smtp.gmail.com",
        "port": 587,
        "security": "starttls",
        "imap_host": "imap.gmail.com",
        "imap_port": 993,
        "imap_security": "ssl",
    },
}
REFRESH_MARGIN = timedelta(minutes=5)
# Windows Credential Manager holds at most 2,560 bytes (1,280 UTF-16 characters) per entry and Microsoft's
# refresh tokens come close: longer values are kept in numbered parts.
PART_CHARS = 1000
MAX_PARTS = 16
_PARTS = "parts:"


@dataclass(frozen=True)
class StoredGrant:
    refresh_token: str
    expires_at: datetime | None  # of the last access token (shown by ``mail status``)


def _user(provider: str, account: str) -> str:
    return f"{provider}:{account.strip().lower()}"


def read_grant(cfg: MailSettings) -> StoredGrant | None:
    if not cfg.uses_oauth or not cfg.oauth_account:
        return None
    problem = keyring_problem(cfg.allow_insecure_keyring)
    if problem:
        raise MailConfigError(problem)
    user = _user(cfg.provider, cfg.oauth_account)
    try:
        raw = keyring.get_password(OAUTH_KEYRING_SERVICE, user)
        if raw and raw.startswith(_PARTS):
            parts = [keyring.get_password(OAUTH_KEYRING_SERVICE, f"{user}#{i}") for i in range(int(raw[6:]))]
            raw = None if any(p is None for p in parts) else "".join(p or "" for p in parts)
    except keyring.errors.KeyringError as exc:
        raise MailConfigError(_("The keyring could not be read: {error}").format(error=exc)) from None
    if not raw:
        return None
    data = json.loads(raw)
    expires = data.get("expires_at")
    return StoredGrant(str(data["refresh_token"]), datetime.fromisoformat(expires) if expires else None)


def _store_grant(cfg: MailSettings, provider: str, account: str, grant: StoredGrant) -> None:
    problem = keyring_problem(cfg.allow_insecure_keyring)
    if problem:
        raise MailConfigError(problem)
    value = {
        "refresh_token": grant.refresh_token,
        "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
    }
    text, user = json.dumps(value), _user(provider, account)
    parts = [text[i : i + PART_CHARS] for i in range(0, len(text), PART_CHARS)]
    try:
        if len(parts) == 1:
            keyring.set_password(OAUTH_KEYRING_SERVICE, user, text)
        else:  # parts first, then the entry that points to them: a crash never leaves a half token readable
            for i, part in enumerate(parts):
                keyring.set_password(OAUTH_KEYRING_SERVICE, f"{user}#{i}", part)
            keyring.set_password(OAUTH_KEYRING_SERVICE, user, f"{_PARTS}{len(parts)}")
    except keyring.errors.KeyringError as exc:
        raise MailConfigError(
            _("The sign-in could not be saved in the keyring: {error}").format(error=exc)
        ) from None


def forget_grant(cfg: MailSettings) -> None:
    """Sign out (or drop a refused grant): the keyring entry goes, access tokens in memory too."""
    if cfg.oauth_account:
        user = _user(cfg.provider, cfg.oauth_account)
        for name in [user, *(f"{user}#{i}" for i in range(MAX_PARTS))]:
            with contextlib.suppress(keyring.errors.KeyringError):  # nothing stored is the state we want
                keyring.delete_password(OAUTH_KEYRING_SERVICE, name)
    _CACHE.drop(cfg.provider, cfg.oauth_account)


def apply_provider(cfg: MailSettings, provider: str) -> MailSettings:
    """Switch the account to ``provider`` with that provider's servers (unless already on it)."""
    if cfg.provider != provider:
        for key, value in PROVIDER_SERVERS.get(provider, {}).items():
            setattr(cfg, key, value)
        if provider != "microsoft":
            cfg.transport = "smtp"
        cfg.provider = provider
    return cfg


def sign_in(
    cfg: MailSettings,
    provider: str,
    *,
    open_url: Callable[[str], object] | None = None,
    timeout: float = 300.0,
    should_stop: Callable[[], bool] = lambda: False,
    client: ProviderClient | None = None,
) -> MailSettings:
    """Run the browser sign-in; store the refresh token in the keyring; return the updated settings
    (provider, signed-in address, sender address, servers) for the caller to save."""
    problem = keyring_problem(cfg.allow_insecure_keyring)
    if problem:  # refuse before the browser opens: a token we could not keep is no use
        raise MailConfigError(problem)
    apply_provider(cfg, provider)
    client = client or client_for(cfg, provider)
    host = "localhost" if provider == "microsoft" else "127.0.0.1"  # what each provider documents
    with LoopbackReceiver(host) as receiver:
        url, flow = client.begin(receiver.redirect_uri, cfg.oauth_account or cfg.from_addr or None)
        open_in_thread(open_url or _system_browser, url)
        query = receiver.wait(timeout, should_stop)
    if query is None:
        raise SignInCancelled(_("The sign-in was cancelled or took too long; nothing changed."))
    tokens = client.finish(flow, query)
    if not tokens.refresh_token:
        raise OAuthError(
            _(
                "{name} did not grant offline access, so actdesk could not send later on its own. Sign in "
                "again and accept every permission asked."
            ).format(name=provider_name(provider))
        )
    account = tokens.account or cfg.oauth_account or cfg.from_addr
    if not account:
        raise OAuthError(
            _("{name} did not say which account signed in.").format(name=provider_name(provider))
        )
    if cfg.oauth_account and cfg.oauth_account.lower() != account.lower():
        forget_grant(cfg)  # another account signed in: the old grant is of no further use
    _store_grant(cfg, provider, account, StoredGrant(tokens.refresh_token, tokens.expires_at))
    cfg.oauth_account = account
    if not cfg.from_addr or cfg.from_addr.lower() == cfg.user.lower():
        cfg.from_addr = account
    cfg.user = account
    _CACHE.put(provider, account, client.resource, tokens)
    return cfg


def _system_browser(url: str) -> object:
    return webbrowser.open(url)


class _TokenCache:
    """Access tokens of this process, per (provider, account, resource); one refresh at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: dict[tuple[str, str, str], Tokens] = {}

    def put(self, provider: str, account: str, resource: str, tokens: Tokens) -> None:
        self.tokens[(provider, account.lower(), resource)] = tokens

    def get(self, provider: str, account: str, resource: str) -> Tokens | None:
        return self.tokens.get((provider, account.lower(), resource))

    def drop(self, provider: str, account: str, resource: str | None = None) -> None:
        for key in list(self.tokens):
            if key[:2] == (provider, account.lower()) and resource in (None, key[2]):
                del self.tokens[key]


_CACHE = _TokenCache()


def access_token(
    cfg: MailSettings,
    resource: str = "mail",
    *,
    force_refresh: bool = False,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    client: ProviderClient | None = None,
) -> str:
    """A valid access token, refreshed silently when it is about to expire. Raises SignInRequired when the
    advisor must sign in again (the outbox then pauses), OAuthUnavailable when the server is unreachable."""
    if not cfg.uses_oauth:
        raise MailConfigError(_("This account signs in with a password, not with a provider."))
    with _CACHE.lock:
        cached = _CACHE.get(cfg.provider, cfg.oauth_account, resource)
        if cached and not force_refresh and cached.expires_at - REFRESH_MARGIN > now():
            return cached.access_token
        grant = read_grant(cfg)
        if grant is None:
            raise SignInRequired(
                _("actdesk is not signed in to {name} for {account}.").format(
                    name=provider_name(cfg.provider), account=cfg.oauth_account or _("this account")
                )
                + " "
                + sign_in_hint(cfg.provider),
                "not_signed_in",
            )
        client = client or client_for(cfg, cfg.provider)
        try:
            tokens = client.refresh(grant.refresh_token, resource)
        except SignInRequired:
            forget_grant(cfg)
            raise
        _store_grant(
            cfg,
            cfg.provider,
            cfg.oauth_account,
            StoredGrant(tokens.refresh_token or grant.refresh_token, tokens.expires_at),
        )
        _CACHE.put(cfg.provider, cfg.oauth_account, resource, tokens)
        return tokens.access_token


def invalidate(cfg: MailSettings, resource: str | None = None) -> None:
    """A server refused the token we thought valid: the next call refreshes."""
    with _CACHE.lock:
        _CACHE.drop(cfg.provider, cfg.oauth_account, resource)


def xoauth2(user: str, token: str) -> str:
    """The SASL XOAUTH2 initial response (before base64), as Microsoft and Google document it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


@dataclass(frozen=True)
class SignInState:
    provider: str
    account: str
    signed_in: bool
    token_expires_at: datetime | None
    needs_sign_in: bool


def sign_in_state(cfg: MailSettings) -> SignInState:
    """What the account screen and ``mail status`` show; never contacts a server."""
    if not cfg.uses_oauth:
        return SignInState(cfg.provider, cfg.user, False, None, False)
    try:
        grant = read_grant(cfg)
    except MailConfigError:
        grant = None
    return SignInState(
        cfg.provider, cfg.oauth_account, grant is not None, grant.expires_at if grant else None, grant is None
    )
