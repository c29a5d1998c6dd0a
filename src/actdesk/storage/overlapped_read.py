"""Two reads of one SQLite book at once: a second connection works in a thread while the session works
here, and the pair is checked to have seen the same data.

SQLite runs a query without holding Python's global lock, so on a machine with two cores a slow
aggregate (one balance seek per account and date) can overlap the rest of a load. The check uses
``PRAGMA data_version``, which changes on a connection when any other connection commits: read on the
idle second connection before and after both halves ran, an unchanged value means nobody committed
in between, so every statement of both halves saw the same book. When it moved, or when a second
connection cannot give the same view (an in-memory book, a session holding uncommitted writes, another
database than SQLite), both halves run on the session, one after the other.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

A = TypeVar("A")
B = TypeVar("B")

_worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="actdesk-overlapped-read")


def _side_engine(session: Session) -> Engine | None:
    """The engine to take a second connection from, when one sees what the session sees."""
    bind = session.get_bind()
    if not isinstance(bind, Engine) or bind.dialect.name != "sqlite":
        return None
    if not isinstance(bind.pool, QueuePool):  # in-memory books share one connection (or none exists)
        return None
    dbapi = session.connection().connection.dbapi_connection
    if dbapi is None or getattr(dbapi, "in_transaction", True):  # uncommitted writes of the session
        return None
    return bind


def _data_version(connection: Connection) -> int:
    return int(connection.exec_driver_sql("PRAGMA data_version").scalar_one())


def _on_side(connection: Connection, work: Callable[[Connection], A]) -> A:
    dbapi: Any = connection.connection.dbapi_connection
    dbapi.execute("BEGIN")  # one snapshot for the whole of ``work``
    try:
        return work(connection)
    finally:
        dbapi.rollback()


def overlapped(session: Session, side: Callable[[Connection], A], here: Callable[[], B]) -> tuple[A, B]:
    """``side(connection)`` on a second connection in a worker thread while ``here()`` runs on the
    session; both results, as if run one after the other on an unchanged book."""
    engine = _side_engine(session)
    if engine is not None:
        with engine.connect() as connection:
            before = _data_version(connection)
            connection.rollback()
            pending = _worker.submit(_on_side, connection, side)
            try:
                mine = here()
            finally:
                failed = pending.exception() is not None  # waits; the plain run below repeats any error
            unchanged = not failed and _data_version(connection) == before
            connection.rollback()
            if unchanged:
                return pending.result(), mine
    return side(session.connection()), here()
