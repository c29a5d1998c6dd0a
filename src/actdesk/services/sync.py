"""Several instances on one book: hear what the others committed (PostgreSQL LISTEN/NOTIFY). Qt-free.

A ``ChangeListener`` holds one dedicated connection that LISTENs on the book's channel and calls
``on_change(tables)`` from its own thread for every notice sent by ANOTHER instance (its own are ignored).
The window's adapter (``actdesk.ui.sync``) turns that into ``data_changed`` on the GUI thread. If the
server goes away the listener reconnects with a growing pause, and reports one "everything changed" after
reconnecting, since notices sent meanwhile are lost.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from actdesk.storage.engine import Book
from actdesk.storage.notices import channel_name, instance_of, parse_payload

log = logging.getLogger(__name__)
EVERYTHING = frozenset({"*"})


def supports_notices(book: Book) -> bool:
    return book.url.get_backend_name() == "postgresql"


class ChangeListener:
    """Listen for other instances' commits on ``book``; ``on_change`` receives the set of tables written."""

    def __init__(
        self, book: Book, on_change: Callable[[frozenset[str]], None], *, poll_seconds: float = 0.5
    ) -> None:
        if not supports_notices(book):
            raise ValueError("change notices need a PostgreSQL book")
        self.book = book
        self.on_change = on_change
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, *, wait: bool = True) -> None:
        """Start listening; with ``wait``, return once the LISTEN is in place (so no later commit is missed)."""
        self._thread = threading.Thread(target=self._run, name="actdesk-sync", daemon=True)
        self._thread.start()
        if wait:
            self.wait_ready()

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Block until the LISTEN is in place (or the first connection attempt failed)."""
        return self._ready.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _connect(self) -> Any:
        import psycopg

        url = self.book.engine.url  # carries the keyring password, if any
        params: dict[str, Any] = {
            "host": url.host,
            "port": url.port,
            "user": url.username,
            "password": url.password,
            "dbname": url.database,
            **{k: v for k, v in url.query.items() if isinstance(v, str)},
        }
        conn = psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)
        with self.book.engine.connect() as probe:
            channel = channel_name(probe)
        conn.execute(f'LISTEN "{channel}"')
        return conn

    def _run(self) -> None:
        pause = 1.0
        reconnected = False
        while not self._stop.is_set():
            try:
                conn = self._connect()
            except Exception as exc:
                log.warning("change notices unavailable (%s); retrying in %.0f s", type(exc).__name__, pause)
                self._ready.set()
                self._stop.wait(pause)
                pause = min(pause * 2, 60.0)
                reconnected = True
                continue
            pause = 1.0
            self._ready.set()
            if reconnected:
                self.on_change(EVERYTHING)
            own = instance_of(self.book.sessions)
            try:
                with conn:
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=self.poll_seconds):
                            sender, tables = parse_payload(notice.payload)
                            if sender != own:
                                self.on_change(frozenset(tables))
            except Exception as exc:
                if not self._stop.is_set():
                    log.warning("change notices interrupted (%s); reconnecting", type(exc).__name__)
                    reconnected = True
