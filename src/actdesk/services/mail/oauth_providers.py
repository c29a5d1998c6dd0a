"""The two sign-in providers behind one small interface: Microsoft (MSAL) and Google (google-auth-oauthlib).

Both run the authorization-code flow with PKCE in the system browser and a loopback redirect (RFC 8252), and
both refresh silently with the refresh token kept in the keyring. Each call talks to the provider over
verified TLS (``oauth_cafile`` adds a trusted certificate, e.g. a firm's proxy or a test server).
"""

from __future__ import annotations

import base64
import json
import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from actdesk.i18n import _
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.oauth_errors import (
    OAuthError,
    OAuthUnavailable,
    SignInCancelled,
    explain,
    provider_name,
)

# Microsoft issues one access token per resource: Exchange Online (SMTP and IMAP) or Graph (sendMail).
MICROSOFT_SCOPES = {
    "mail": ["https://outlook.office.com/SMTP.Send", "https://outlook.office.com/IMAP.AccessAsUser.All"],
    "graph": ["https://graph.microsoft.com/Mail.Send"],
}
# Google: one token for SMTP and IMAP; openid + email name the account.
GOOGLE_SCOPES = ["openid", "https://www.googleapis.com/auth/userinfo.email", "https://mail.google.com/"]
_MICROSOFT_HOSTS = {"login.microsoftonline.com", "login.microsoft.com", "login.microsoftonline.us"}


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_at: datetime
    refresh_token: str | None
    account: str


class ProviderClient(Protocol):
    provider: str
    resource: str  # the resource of the token the sign-in returns

    def begin(self, redirect_uri: str, login_hint: str | None) -> tuple[str, Any]: ...
    def finish(self, flow: Any, query: dict[str, str]) -> Tokens: ...
    def refresh(self, refresh_token: str, resource: str) -> Tokens: ...


def _unreachable(provider: str, exc: BaseException) -> OAuthUnavailable:
    return OAuthUnavailable(
        _(
            "{name}'s sign-in service could not be reached ({error}). Check the connection; nothing is lost "
            "and actdesk tries again later."
        ).format(name=provider_name(provider), error=type(exc).__name__)
    )


class HttpSession(requests.Session):
    """requests with a timeout on every call and a trusted certificate file that wins over the environment
    (requests lets REQUESTS_CA_BUNDLE override a session's own ``verify``)."""

    def __init__(self, verify: bool | str, timeout: float = 30.0) -> None:
        super().__init__()
        self.verify = verify
        self.default_timeout = timeout

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.default_timeout)
        return super().request(method, url, *args, **kwargs)

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        merged = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if isinstance(self.verify, str) and verify in (None, True):
            merged["verify"] = self.verify
        return merged


def jwt_claims(token: str | None) -> dict[str, Any]:
    """The claims of an ID token received directly from the token endpoint over TLS (OIDC 3.1.3.7 lets
    a client skip the signature then); used only to name the signed-in account."""
    if not token or token.count(".") < 2:
        return {}
    payload = token.split(".")[1]
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _missing_client_id(provider: str) -> OAuthError:
    return OAuthError(
        _(
            "No {name} app id (client id) is set. Enter your firm's app registration in the account settings "
            "(docs/email.md explains how to register one)."
        ).format(name=provider_name(provider)),
        "no_client_id",
    )


class MicrosoftClient:
    provider = "microsoft"

    def __init__(self, cfg: MailSettings) -> None:
        import msal

        if not cfg.microsoft_client_id:
            raise _missing_client_id(self.provider)
        self.resource = "graph" if cfg.transport == "graph" else "mail"
        self.cache = msal.SerializableTokenCache()  # in memory only; the refresh token goes to the keyring
        self.session = HttpSession(cfg.oauth_cafile or True, cfg.timeout_seconds)
        kwargs: dict[str, Any] = {"http_client": self.session, "token_cache": self.cache}
        if urlsplit(cfg.microsoft_authority).hostname in _MICROSOFT_HOSTS:
            kwargs["authority"] = cfg.microsoft_authority
        else:
            kwargs["oidc_authority"] = cfg.microsoft_authority.rstrip("/")
        try:
            self.app = msal.PublicClientApplication(cfg.microsoft_client_id, **kwargs)
        except (requests.RequestException, OSError) as exc:
            raise _unreachable(self.provider, exc) from None
        except ValueError as exc:
            raise OAuthError(
                _("The Microsoft sign-in address {url} is not valid: {error}").format(
                    url=cfg.microsoft_authority, error=exc
                )
            ) from None

    def begin(self, redirect_uri: str, login_hint: str | None) -> tuple[str, Any]:
        scopes = MICROSOFT_SCOPES["mail"] + (MICROSOFT_SCOPES["graph"] if self.resource == "graph" else [])
        with warnings.catch_warnings():
            # MSAL suggests form_post; a loopback listener with PKCE and state is RFC 8252's pattern.
            warnings.simplefilter("ignore", UserWarning)
            flow = self.app.initiate_auth_code_flow(
                scopes, redirect_uri=redirect_uri, login_hint=login_hint, prompt="select_account"
            )
        return str(flow["auth_uri"]), flow

    def finish(self, flow: Any, query: dict[str, str]) -> Tokens:
        try:
            result = self.app.acquire_token_by_auth_code_flow(
                flow, query, scopes=MICROSOFT_SCOPES[self.resource]
            )
        except ValueError:
            raise SignInCancelled(
                _("The browser's answer did not belong to this sign-in (state mismatch). Start again.")
            ) from None
        except (requests.RequestException, OSError) as exc:
            raise _unreachable(self.provider, exc) from None
        return self._tokens(result)

    def refresh(self, refresh_token: str, resource: str) -> Tokens:
        try:
            result = self.app.acquire_token_by_refresh_token(refresh_token, MICROSOFT_SCOPES[resource])
        except (requests.RequestException, OSError) as exc:
            raise _unreachable(self.provider, exc) from None
        return self._tokens(result)

    def _tokens(self, result: dict[str, Any]) -> Tokens:
        if "error" in result:
            raise explain(
                self.provider,
                str(result["error"]),
                str(result.get("error_description", "")),
                [int(c) for c in result.get("error_codes", []) if str(c).isdigit()],
            )
        claims = result.get("id_token_claims") or jwt_claims(result.get("id_token"))
        account = str(claims.get("preferred_username") or claims.get("email") or claims.get("upn") or "")
        return Tokens(
            str(result["access_token"]),
            datetime.now(UTC) + timedelta(seconds=int(result.get("expires_in", 3600))),
            result.get("refresh_token"),
            account,
        )


class GoogleClient:
    provider = "google"
    resource = "mail"

    def __init__(self, cfg: MailSettings) -> None:
        if not cfg.google_client_id:
            raise _missing_client_id(self.provider)
        self.cfg = cfg
        self.verify: bool | str = cfg.oauth_cafile or True

    def begin(self, redirect_uri: str, login_hint: str | None) -> tuple[str, Any]:
        from google_auth_oauthlib.flow import InstalledAppFlow

        c = self.cfg
        config = {
            "installed": {
                "client_id": c.google_client_id,
                "client_secret": c.google_client_secret,
                "auth_uri": c.google_auth_uri,
                "token_uri": c.google_token_uri,
                "redirect_uris": [redirect_uri],
            }
        }
        flow = InstalledAppFlow.from_client_config(
            config, GOOGLE_SCOPES, redirect_uri=redirect_uri, autogenerate_code_verifier=True
        )
        extra = {"login_hint": login_hint} if login_hint else {}
        url, state = flow.authorization_url(access_type="offline", prompt="consent", **extra)
        return str(url), (flow, state)

    def finish(self, flow: Any, query: dict[str, str]) -> Tokens:
        from oauthlib.oauth2.rfc6749.errors import OAuth2Error

        installed, state = flow
        if query.get("state") != state:
            raise SignInCancelled(
                _("The browser's answer did not belong to this sign-in (state mismatch). Start again.")
            )
        if "error" in query:
            raise explain(self.provider, query["error"], query.get("error_description", ""))
        # Google may return the scopes in another spelling; that is not an error for us.
        os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")
        try:
            token = installed.fetch_token(code=query.get("code", ""), verify=self.verify)
        except OAuth2Error as exc:
            raise explain(self.provider, exc.error, exc.description or "") from None
        except (requests.RequestException, OSError) as exc:
            raise _unreachable(self.provider, exc) from None
        claims = jwt_claims(token.get("id_token"))
        return Tokens(
            str(token["access_token"]),
            datetime.now(UTC) + timedelta(seconds=int(token.get("expires_in", 3600))),
            token.get("refresh_token"),
            str(claims.get("email") or ""),
        )

    def refresh(self, refresh_token: str, resource: str) -> Tokens:
        import google.auth.exceptions
        from google.auth.transport.requests import Request
        from google.oauth2.credentials import Credentials

        c = self.cfg
        creds = Credentials(  # type: ignore[no-untyped-call]  # google-auth has no annotations
            None,
            refresh_token=refresh_token,
            token_uri=c.google_token_uri,
            client_id=c.google_client_id,
            client_secret=c.google_client_secret,
        )
        session = HttpSession(self.verify, self.cfg.timeout_seconds)
        try:
            creds.refresh(Request(session))  # type: ignore[no-untyped-call]
        except google.auth.exceptions.RefreshError as exc:
            info = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], dict) else {}
            first = str(exc.args[0]) if exc.args else "invalid_grant"
            error = str(info.get("error") or first.split(":")[0])
            raise explain(self.provider, error, str(info.get("error_description") or first)) from None
        except google.auth.exceptions.TransportError as exc:
            raise _unreachable(self.provider, exc) from None
        finally:
            session.close()
        expiry = creds.expiry.replace(tzinfo=UTC) if creds.expiry else datetime.now(UTC) + timedelta(hours=1)
        return Tokens(str(creds.token), expiry, creds.refresh_token, "")


def client_for(cfg: MailSettings, provider: str) -> ProviderClient:
    if provider == "microsoft":
        return MicrosoftClient(cfg)
    if provider == "google":
        return GoogleClient(cfg)
    raise OAuthError(_("Unknown sign-in provider {name}: choose microsoft or google.").format(name=provider))
