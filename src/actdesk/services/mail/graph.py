"""Sending through Microsoft Graph (``POST /me/sendMail`` with the stored MIME message), for mailboxes where
Microsoft 365 has SMTP AUTH turned off.

The same contract as the SMTP session, so the outbox's claim-before-send, rate limit and archive are
unchanged: 202 is sent; 429/503 and a connection that never reached the server are temporary; 400/403/413 are
permanent; a connection that broke after the message went out, or a 500/502/504, is *uncertain* (Graph may
have sent it; resending could duplicate it).
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import requests
import urllib3.exceptions

from actdesk.i18n import _
from actdesk.services.mail.config import MailConfigError, MailSettings
from actdesk.services.mail.oauth_errors import OAuthUnavailable
from actdesk.services.mail.oauth_providers import HttpSession
from actdesk.services.mail.smtp import (
    ConnectionProblem,
    PermanentFailure,
    TemporaryFailure,
    UncertainOutcome,
)


def _never_reached(exc: requests.RequestException) -> bool:
    """True when the request cannot have reached Graph (name lookup, refused connection, connect timeout)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError)


def _error_text(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return f"{response.status_code} {error.get('code', '')}: {error.get('message', '')}".strip()
    except ValueError:
        return f"{response.status_code} {response.text[:200]}".strip()


class GraphSession:
    """One HTTPS session to Graph for a batch; the access token comes from ``token_source(force_refresh)``."""

    def __init__(
        self,
        base_url: str,
        token_source: Callable[[bool], str],
        *,
        verify: bool | str = True,
        timeout: float = 30.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token_source = token_source
        self._verify = verify
        self._timeout = timeout
        self._http: HttpSession | None = None
        self._token: str | None = None

    @classmethod
    def from_settings(cls, cfg: MailSettings) -> GraphSession:
        from actdesk.services.mail.oauth import access_token

        if cfg.provider != "microsoft":
            raise MailConfigError(_("Microsoft Graph sends only for Microsoft 365 accounts; choose SMTP."))
        return cls(
            cfg.graph_url,
            lambda force: access_token(cfg, "graph", force_refresh=force),
            verify=cfg.oauth_cafile or True,
            timeout=cfg.timeout_seconds,
        )

    @property
    def connected(self) -> bool:
        return self._http is not None

    def _fetch_token(self, force: bool) -> str:
        try:
            return self._token_source(force)
        except OAuthUnavailable as exc:
            raise TemporaryFailure(str(exc)) from exc
        except MailConfigError as exc:
            raise ConnectionProblem(str(exc)) from exc

    def connect(self) -> None:
        self._token = self._fetch_token(False)
        self._http = HttpSession(self._verify, self._timeout)

    def close(self) -> None:
        if self._http is not None:
            self._http.close()
            self._http = None

    def __enter__(self) -> GraphSession:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, raw: bytes, sender: str, recipients: list[str]) -> str:
        """Hand one stored message to Graph exactly as built (recipients come from its own headers)."""
        if self._http is None or self._token is None:
            self.connect()
        assert self._http is not None
        body = base64.b64encode(raw)
        for attempt in (0, 1):
            try:
                response = self._http.post(
                    self.base_url + "/me/sendMail",
                    data=body,
                    headers={"Authorization": f"Bearer {self._token}", "Content-Type": "text/plain"},
                )
            except requests.RequestException as exc:
                self.close()
                if _never_reached(exc):
                    raise TemporaryFailure(
                        _("Microsoft Graph could not be reached ({error}).").format(error=type(exc).__name__)
                    ) from exc
                raise UncertainOutcome(
                    _("The connection broke after the message was handed over ({error}).").format(
                        error=type(exc).__name__
                    )
                ) from exc
            if response.status_code == 401 and attempt == 0:
                self._token = self._fetch_token(True)  # refused before anything was sent: safe to retry
                continue
            return self._verdict(response)
        raise AssertionError("unreachable")

    def _verdict(self, response: requests.Response) -> str:
        code = response.status_code
        if code == 202:
            request_id = response.headers.get("request-id", "")
            return f"202 Accepted by Microsoft Graph {request_id}".strip()
        text = _error_text(response)
        if code in (401, 403):
            self.close()
            raise ConnectionProblem(
                _(
                    "Microsoft Graph refused to send for this account ({reply}). Sign in again; if it keeps "
                    "happening, ask your administrator to allow Mail.Send for actdesk."
                ).format(reply=text),
                code,
                text,
            )
        if code in (429, 503):
            wait = response.headers.get("Retry-After", "")
            raise TemporaryFailure(
                text + (f" (Retry-After {wait} s)" if wait else ""), 400 + code % 100, text
            )
        if code in (500, 502, 504):
            raise UncertainOutcome(
                _("Microsoft Graph answered {reply}; the message may or may not have been sent.").format(
                    reply=text
                )
            )
        raise PermanentFailure(text, 500 + code % 100, text)
