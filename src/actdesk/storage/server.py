"""A book on a database server: its URL, and the password kept in the keyring rather than in the URL.

The password of ``postgresql+psycopg://ann@db.practice.lan/book`` lives in the system keyring under the
service ``actdesk-db`` and the user name ``ann@db.practice.lan`` (``actdesk db login URL`` stores it), so
neither settings files, shell history nor logs ever hold it. URLs are shown with ``display_url``, which
hides any password.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import URL

KEYRING_SERVICE = "actdesk-db"
log = logging.getLogger(__name__)


def is_server(url: URL) -> bool:
    return url.get_backend_name() != "sqlite"


def keyring_user(url: URL) -> str:
    """The keyring user name of a server URL: ``user@host`` (``user@host:port`` for a non-default port)."""
    host = url.host or "localhost"
    if url.port:
        host = f"{host}:{url.port}"
    return f"{url.username or ''}@{host}"


def display_url(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def with_keyring_password(url: URL) -> URL:
    """The URL with the password from the keyring when it names a user but no password (else unchanged)."""
    if not is_server(url) or url.password is not None or not url.username:
        return url
    try:
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, keyring_user(url))
    except Exception as exc:  # no usable keyring: connect without a password (trust/peer/.pgpass)
        log.info("no keyring for %s: %s", display_url(url), type(exc).__name__)
        return url
    return url if password is None else url.set(password=password)


def store_password(url: URL, password: str) -> str:
    """Keep ``password`` for the server named by ``url``; returns the keyring user name it is stored under."""
    import keyring

    user = keyring_user(url)
    keyring.set_password(KEYRING_SERVICE, user, password)
    return user


def _sqlite_like_number(value: Any) -> int | float:
    """numeric -> int when integral, else float: what SQLite returns for the same aggregate."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def on_postgresql_connect(dbapi_connection: Any, _record: Any) -> None:
    """Read ``numeric`` results the way SQLite returns them.

    The schema has no NUMERIC column (money is integer cents); numerics come only from aggregates:
    ``SUM(bigint)`` is ``numeric`` on PostgreSQL (a ``Decimal`` in Python) where SQLite returns an int,
    and ``Decimal`` mixed with floats in pandas or arithmetic raises. Converting at the driver keeps
    every query of the app identical on both backends.
    """
    from psycopg.types.numeric import NumericBinaryLoader, NumericLoader

    class IntOrFloatLoader(NumericLoader):
        def load(self, data: Any) -> Any:
            return _sqlite_like_number(super().load(data))

    class IntOrFloatBinaryLoader(NumericBinaryLoader):
        def load(self, data: Any) -> Any:
            return _sqlite_like_number(super().load(data))

    dbapi_connection.adapters.register_loader("numeric", IntOrFloatLoader)
    dbapi_connection.adapters.register_loader("numeric", IntOrFloatBinaryLoader)
