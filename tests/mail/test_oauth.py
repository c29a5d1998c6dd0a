"""Sign in with Microsoft (MSAL) and Google (google-auth-oauthlib) against a local authorization server."""

from __future__ import annotations

from typing import Any

import pytest
from tests.mail import fixtures_oauth as fx
from tests.mail.oauth_server import AuthServer

from actdesk.services.mail import oauth
from actdesk.services.mail.config import OAUTH_KEYRING_SERVICE, save_mail_settings
from actdesk.services.mail.oauth_errors import (
    ConsentRequired,
    OAuthUnavailable,
    SignInCancelled,
    SignInRequired,
)
from actdesk.settings import load_settings

auth_server = fx.auth_server
oauth_settings = fx.oauth_settings


@pytest.mark.parametrize("provider", ["microsoft", "google"])
def test_sign_in_stores_only_the_refresh_token_in_the_keyring(
    provider: str,
    auth_server: AuthServer,
    _isolated_environment: Any,
) -> None:
    cfg = oauth.sign_in(
        oauth_settings(auth_server, provider), provider, open_url=auth_server.browser, timeout=20
    )
    assert cfg.oauth_account == "pat@harbor.example"
    assert cfg.from_addr == "pat@harbor.example"
    stored = _isolated_environment.store[(OAUTH_KEYRING_SERVICE, f"{provider}:pat@harbor.example")]
    assert '"refresh_token": "rt-' in stored
    settings = load_settings()
    save_mail_settings(settings, cfg)
    assert settings.path is not None
    text = settings.path.read_text()
    assert "rt-" not in text and "at-" not in text  # no token in the settings file
    # The token from the sign-in is reused without asking the server again.
    calls = auth_server.state.token_calls
    first = oauth.access_token(cfg)
    assert auth_server.state.valid(first) == "pat@harbor.example"
    assert auth_server.state.token_calls == calls
    # A forced refresh rotates the refresh token; the keyring keeps the new one.
    second = oauth.access_token(cfg, force_refresh=True)
    assert second != first and auth_server.state.valid(second)
    assert _isolated_environment.store[(OAUTH_KEYRING_SERVICE, f"{provider}:pat@harbor.example")] != stored
    state = oauth.sign_in_state(cfg)
    assert state.signed_in and state.token_expires_at is not None and not state.needs_sign_in


def test_microsoft_sign_in_uses_pkce_and_the_loopback_redirect(auth_server: AuthServer) -> None:
    seen: list[str] = []

    def browser(url: str) -> None:
        seen.append(url)
        auth_server.browser(url)

    oauth.sign_in(oauth_settings(auth_server), "microsoft", open_url=browser, timeout=20)
    assert "code_challenge_method=S256" in seen[0]
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in seen[0]
    assert "SMTP.Send" in seen[0] and "IMAP.AccessAsUser.All" in seen[0]


def test_admin_consent_is_explained_with_the_next_step(auth_server: AuthServer) -> None:
    auth_server.state.authorize_error = (
        "consent_required",
        "AADSTS65001: The user or administrator has not consented to use the application.",
    )
    with pytest.raises(ConsentRequired) as caught:
        oauth.sign_in(oauth_settings(auth_server), "microsoft", open_url=auth_server.browser, timeout=20)
    assert "administrator has to approve actdesk" in str(caught.value)
    assert "docs/email.md" in str(caught.value)


def test_google_admin_policy_is_explained(auth_server: AuthServer) -> None:
    auth_server.state.authorize_error = ("admin_policy_enforced", "Blocked by your administrator")
    with pytest.raises(ConsentRequired):
        oauth.sign_in(
            oauth_settings(auth_server, "google"), "google", open_url=auth_server.browser, timeout=20
        )


@pytest.mark.parametrize("provider", ["microsoft", "google"])
def test_revoked_grant_asks_to_sign_in_again_and_forgets_the_token(
    provider: str,
    auth_server: AuthServer,
    _isolated_environment: Any,
) -> None:
    cfg = oauth.sign_in(
        oauth_settings(auth_server, provider), provider, open_url=auth_server.browser, timeout=20
    )
    auth_server.state.revoke_all()
    with pytest.raises(SignInRequired) as caught:
        oauth.access_token(cfg, force_refresh=True)
    assert f"actdesk mail sign-in {provider}" in str(caught.value)
    assert not any(k[0] == OAUTH_KEYRING_SERVICE for k in _isolated_environment.store)
    calls = auth_server.state.token_calls
    with pytest.raises(SignInRequired):  # paused: no further calls to the server
        oauth.access_token(cfg, force_refresh=True)
    assert auth_server.state.token_calls == calls
    assert oauth.sign_in_state(cfg).needs_sign_in


def test_expired_refresh_token_error_from_microsoft(auth_server: AuthServer) -> None:
    cfg = oauth.sign_in(oauth_settings(auth_server), "microsoft", open_url=auth_server.browser, timeout=20)
    auth_server.state.token_error = (
        "invalid_grant",
        "AADSTS700082: The refresh token has expired due to inactivity.",
        [700082],
    )
    with pytest.raises(SignInRequired, match="no longer accepts"):
        oauth.access_token(cfg, force_refresh=True)


def test_unreachable_server_keeps_the_grant(auth_server: AuthServer, _isolated_environment: Any) -> None:
    cfg = oauth.sign_in(
        oauth_settings(auth_server, "google"), "google", open_url=auth_server.browser, timeout=20
    )
    auth_server.stop()
    with pytest.raises(OAuthUnavailable):
        oauth.access_token(cfg, force_refresh=True)
    assert oauth.sign_in_state(cfg).signed_in


def test_closed_browser_cancels_and_changes_nothing(
    auth_server: AuthServer, _isolated_environment: Any
) -> None:
    cfg = oauth_settings(auth_server)
    with pytest.raises(SignInCancelled):
        oauth.sign_in(cfg, "microsoft", open_url=lambda url: None, timeout=0.5)
    assert not any(k[0] == OAUTH_KEYRING_SERVICE for k in _isolated_environment.store)


def test_a_long_refresh_token_is_kept_in_parts_that_fit_windows_credential_manager(
    auth_server: AuthServer, _isolated_environment: Any
) -> None:
    import secrets

    long_token = "rt-" + secrets.token_urlsafe(2400)  # about 3,200 characters
    cfg = oauth.sign_in(oauth_settings(auth_server), "microsoft", open_url=auth_server.browser, timeout=20)
    grant = auth_server.state.refresh.popitem()[1]
    auth_server.state.refresh[long_token] = grant
    oauth._store_grant(cfg, "microsoft", cfg.oauth_account, oauth.StoredGrant(long_token, None))
    entries = {k[1]: v for k, v in _isolated_environment.store.items() if k[0] == OAUTH_KEYRING_SERVICE}
    assert len(entries) > 3 and all(len(v) <= 1000 for v in entries.values())
    stored = oauth.read_grant(cfg)
    assert stored is not None and stored.refresh_token == long_token
    assert auth_server.state.valid(oauth.access_token(cfg, force_refresh=True))  # the long token worked
    oauth.forget_grant(cfg)
    assert not any(k[0] == OAUTH_KEYRING_SERVICE for k in _isolated_environment.store)
