"""The loopback redirect of a desktop sign-in (RFC 8252): a one-shot HTTP listener on 127.0.0.1.

The system browser shows the provider's sign-in page; the provider then redirects the browser to
``http://localhost:PORT/?code=...&state=...``, which this listener catches. It answers the browser with a short
page (the advisor may close the tab) and hands the query to the sign-in code. Nothing else is served.
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlsplit

from actdesk.i18n import _


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        query = dict(parse_qsl(urlsplit(self.path).query))
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.end_headers()
            return
        ok = "code" in query
        title = _("You are signed in") if ok else _("Sign-in did not finish")
        text = (
            _("actdesk can now send and read your mail. You may close this tab.")
            if ok
            else _("Return to actdesk: it explains what happened and what to do next.")
        )
        body = (
            f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
            f"<body style='font-family:sans-serif;margin:4em'><h1>{html.escape(title)}</h1>"
            f"<p>{html.escape(text)}</p></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.result = query

    def log_message(self, format: str, *args: object) -> None:
        return  # the query carries an authorization code: never log it


class _Server(HTTPServer):
    result: dict[str, str] | None = None


class LoopbackReceiver:
    """Listen on 127.0.0.1 on a free port until the browser comes back (``with LoopbackReceiver() as r``)."""

    def __init__(self, host_name: str = "localhost") -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.timeout = 0.2
        self.port = int(self._server.server_address[1])
        self.redirect_uri = f"http://{host_name}:{self.port}/"

    def __enter__(self) -> LoopbackReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.server_close()

    def wait(self, timeout: float, should_stop: Callable[[], bool] = lambda: False) -> dict[str, str] | None:
        """The redirect's query parameters, or None when the time ran out or the advisor cancelled."""
        deadline = time.monotonic() + timeout
        while self._server.result is None:
            if should_stop() or time.monotonic() > deadline:
                return None
            self._server.handle_request()
        return self._server.result


def open_in_thread(open_url: Callable[[str], object], url: str) -> threading.Thread:
    """Open the browser without blocking the listener (a test's scripted browser runs synchronously)."""
    thread = threading.Thread(target=open_url, args=(url,), name="actdesk-signin-browser", daemon=True)
    thread.start()
    return thread
