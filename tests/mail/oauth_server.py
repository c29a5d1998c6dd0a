"""A small OAuth 2.0 / OpenID Connect authorization server on 127.0.0.1 over TLS, for the sign-in tests.

It plays both providers: ``/<tenant>/...`` for Microsoft (discovered by MSAL through
``.well-known/openid-configuration``) and ``/google/...`` for Google. It checks what a real server checks
(client id, loopback redirect, PKCE S256, state is echoed, one use per code, refresh-token rotation) and can
be told to refuse: consent required, revoked or expired grants. ``valid(token)`` lets the SMTP, IMAP and Graph
stand-ins check a bearer token the way the resource servers do.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

MS_CLIENT = "11111111-2222-3333-4444-555555555555"
GOOGLE_CLIENT = "test-client.apps.googleusercontent.com"
GOOGLE_SECRET = "not-really-secret"
TENANT = "tenant-1"


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@dataclass
class Grant:
    account: str
    client_id: str
    scope: str
    audience: str


@dataclass
class AuthServerState:
    port: int = 0
    account: str = "pat@harbor.example"
    expires_in: int = 3600
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    refresh: dict[str, Grant] = field(default_factory=dict)
    access: dict[str, tuple[Grant, float]] = field(default_factory=dict)
    authorize_error: tuple[str, str] | None = None
    token_error: tuple[str, str, list[int]] | None = None
    requests_seen: list[str] = field(default_factory=list)
    token_calls: int = 0
    introspections: int = 0

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def revoke_all(self) -> None:
        self.refresh.clear()
        self.access.clear()

    def expire_access_tokens(self) -> None:
        self.access.clear()

    def valid(self, token: str, scope_part: str = "") -> str | None:
        """The account the token belongs to, if it is a live access token (with a scope containing ``scope_part``)."""
        found = self.access.get(token)
        if found is None or found[1] < time.time():
            return None
        grant = found[0]
        return grant.account if scope_part in grant.scope else None


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        return

    def _json(self, status: int, data: dict[str, Any]) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        st = self.server.state
        url = urlsplit(self.path)
        st.requests_seen.append("GET " + url.path)
        q = dict(parse_qsl(url.query))
        if url.path.endswith("/.well-known/openid-configuration"):
            prefix = url.path.rsplit("/.well-known", 1)[0]
            self._json(
                200,
                {
                    "issuer": st.base + prefix,
                    "authorization_endpoint": st.base + prefix + "/oauth2/v2.0/authorize",
                    "token_endpoint": st.base + prefix + "/oauth2/v2.0/token",
                    "response_types_supported": ["code"],
                },
            )
            return
        if url.path.endswith("/authorize") or url.path == "/google/auth":
            self._authorize(q)
            return
        self._json(404, {"error": "not_found"})

    def _authorize(self, q: dict[str, str]) -> None:
        st = self.server.state
        redirect = q.get("redirect_uri", "")
        host = urlsplit(redirect).hostname
        if q.get("client_id") not in (MS_CLIENT, GOOGLE_CLIENT) or host not in ("localhost", "127.0.0.1"):
            self._json(400, {"error": "invalid_request", "error_description": "unknown client or redirect"})
            return
        if q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or not q.get("state"):
            self._json(400, {"error": "invalid_request", "error_description": "PKCE S256 and state required"})
            return
        if st.authorize_error:
            params = {
                "error": st.authorize_error[0],
                "error_description": st.authorize_error[1],
                "state": q["state"],
            }
        else:
            code = secrets.token_urlsafe(16)
            st.codes[code] = dict(q)
            params = {"code": code, "state": q["state"]}
        self.send_response(302)
        self.send_header("Location", redirect + "?" + urlencode(params))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        st = self.server.state
        url = urlsplit(self.path)
        st.requests_seen.append("POST " + url.path)
        length = int(self.headers.get("Content-Length", 0))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        if url.path == "/introspect":  # RFC 7662, as Dovecot's oauth2 passdb asks it
            st.introspections += 1
            token = form.get("token", "")
            account = st.valid(token)
            self._json(200, {"active": bool(account), "username": account or "", "email": account or ""})
            return
        if not url.path.endswith("/token"):
            self._json(404, {"error": "not_found"})
            return
        st.token_calls += 1
        if st.token_error:
            error, description, codes = st.token_error
            self._json(400, {"error": error, "error_description": description, "error_codes": codes})
            return
        google = url.path.startswith("/google")
        basic = self.headers.get("Authorization", "")
        if basic.startswith("Basic "):
            client, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
            form.setdefault("client_id", client)
            form.setdefault("client_secret", secret)
        if google and form.get("client_secret") != GOOGLE_SECRET:
            self._json(
                401, {"error": "invalid_client", "error_description": "The OAuth client was not found."}
            )
            return
        if form.get("grant_type") == "authorization_code":
            auth = st.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if (
                auth is None
                or auth.get("code_challenge") != challenge
                or auth.get("redirect_uri") != form.get("redirect_uri")
            ):
                self._json(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "AADSTS54005: code invalid or PKCE mismatch",
                        "error_codes": [54005],
                    },
                )
                return
            scope = form.get("scope") or auth.get("scope", "")
            grant = Grant(st.account, auth["client_id"], scope, "google" if google else "microsoft")
            nonce = auth.get("nonce")
            self._issue(grant, url.path.rsplit("/oauth2", 1)[0], nonce, google, new_refresh=True)
            return
        if form.get("grant_type") == "refresh_token":
            grant = st.refresh.pop(form.get("refresh_token", ""), None)
            if grant is None:
                self._json(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "AADSTS70008: The refresh token has expired or was revoked.",
                        "error_codes": [70008],
                    },
                )
                return
            scope = form.get("scope") or grant.scope
            self._issue(
                Grant(grant.account, grant.client_id, scope, grant.audience),
                url.path.rsplit("/oauth2", 1)[0],
                None,
                google,
                new_refresh=True,
            )
            return
        self._json(400, {"error": "unsupported_grant_type"})

    def _issue(self, grant: Grant, prefix: str, nonce: str | None, google: bool, new_refresh: bool) -> None:
        st = self.server.state
        access = "at-" + secrets.token_urlsafe(24)
        st.access[access] = (grant, time.time() + st.expires_in)
        refresh = "rt-" + secrets.token_urlsafe(24)
        st.refresh[refresh] = grant
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": st.base + prefix,
            "aud": grant.client_id,
            "sub": "user-1",
            "iat": now,
            "exp": now + 3600,
            "email": st.account,
            "preferred_username": st.account,
            "tid": TENANT,
            "oid": "user-1",
        }
        if nonce:
            claims["nonce"] = nonce
        id_token = _b64({"alg": "RS256", "typ": "JWT"}) + "." + _b64(claims) + ".c2ln"
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "access_token": access,
            "expires_in": st.expires_in,
            "refresh_token": refresh,
            "scope": grant.scope,
            "id_token": id_token,
        }
        if not google:
            body["client_info"] = _b64({"uid": "user-1", "utid": TENANT})
        self._json(200, body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: AuthServerState


class AuthServer:
    def __init__(self, tls: ssl.SSLContext, cafile: str) -> None:
        self.cafile = cafile
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.state = AuthServerState(port=int(self.httpd.server_address[1]))
        self.httpd.state = self.state
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> AuthServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def microsoft_authority(self) -> str:
        return f"{self.state.base}/{TENANT}"

    def browser(self, url: str) -> None:
        """The advisor's browser: follow the sign-in page's redirect back to actdesk's loopback listener."""
        requests.get(url, verify=self.cafile, timeout=10, allow_redirects=True)
