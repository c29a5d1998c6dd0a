"""Resource servers that accept only sign-in tokens from the local authorization server:
an aiosmtpd SMTP server offering only XOAUTH2, and a stand-in for Microsoft Graph's sendMail."""

from __future__ import annotations

import base64
import json
import ssl
import threading
from email import message_from_bytes
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from tests.mail.conftest import Handler, free_port
from tests.mail.oauth_server import AuthServerState


class XOAuth2Handler(Handler):
    """Records messages; AUTH XOAUTH2 with a live token whose user matches, like Exchange Online and Gmail."""

    def __init__(self, auth: AuthServerState, scope_part: str = "") -> None:
        super().__init__()
        self.auth = auth
        self.scope_part = scope_part
        self.logins: list[str] = []
        self.refusals = 0
        self.refusal_text = "535 5.7.3 Authentication unsuccessful"

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> AuthResult:
        blob = args[1] if len(args) > 1 else ""
        try:
            text = base64.b64decode(blob).decode()
            fields = dict(part.split("=", 1) for part in text.split("\x01") if "=" in part)
            user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        except (ValueError, UnicodeDecodeError):
            return AuthResult(success=False, handled=False)
        owner = self.auth.valid(token, self.scope_part)
        if owner and owner == user:
            self.logins.append(user)
            return AuthResult(success=True, auth_data=user)
        self.refusals += 1
        # Like the real servers: a JSON error as a challenge, the client's empty answer, then 535.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer", "scope": "mail"}))
        return AuthResult(success=False, handled=False, message=self.refusal_text)


class XOAuth2Smtp:
    def __init__(self, auth: AuthServerState, tls: ssl.SSLContext, scope_part: str = "SMTP.Send") -> None:
        self.port = free_port()
        self.handler = XOAuth2Handler(auth, scope_part)
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=tls,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            auth_exclude_mechanism=["LOGIN", "PLAIN"],
        )

    def start(self) -> XOAuth2Smtp:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


class _GraphHandler(BaseHTTPRequestHandler):
    server: _GraphHttp

    def log_message(self, format: str, *args: object) -> None:
        return

    def _reply(
        self, status: int, data: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        body = json.dumps(data).encode() if data is not None else b""
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        g = self.server.graph
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        if self.path != "/v1.0/me/sendMail":
            self._reply(404, {"error": {"code": "ResourceNotFound", "message": self.path}})
            return
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        owner = g.auth.valid(token, "Mail.Send")
        if not owner:
            g.unauthorized += 1
            self._reply(
                401, {"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired."}}
            )
            return
        if g.script:
            action = g.script.pop(0)
            if action == "drop":  # took the message, then the connection broke before the answer
                g.accepted.append(message_from_bytes(base64.b64decode(body), policy=default))
                self.connection.close()
                return
            status, code = action
            self._reply(status, {"error": {"code": code, "message": code}}, {"Retry-After": "7"})
            return
        if self.headers.get("Content-Type") != "text/plain":
            self._reply(400, {"error": {"code": "ErrorMimeContentInvalid", "message": "bad type"}})
            return
        msg = message_from_bytes(base64.b64decode(body, validate=True), policy=default)
        if str(msg["From"]).split("<")[-1].rstrip(">") != owner:
            self._reply(403, {"error": {"code": "ErrorSendAsDenied", "message": "not your mailbox"}})
            return
        g.accepted.append(msg)
        self._reply(202, None, {"request-id": f"req-{len(g.accepted)}"})


class _GraphHttp(ThreadingHTTPServer):
    daemon_threads = True
    graph: GraphStandIn


class GraphStandIn:
    def __init__(self, auth: AuthServerState, tls: ssl.SSLContext) -> None:
        self.auth = auth
        self.accepted: list[Any] = []
        self.script: list[Any] = []
        self.unauthorized = 0
        self.httpd = _GraphHttp(("127.0.0.1", 0), _GraphHandler)
        self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        self.httpd.graph = self
        self.url = f"https://127.0.0.1:{self.httpd.server_address[1]}/v1.0"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> GraphStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
