"""SQLCipher connections and where a book's key comes from.

A key is either a raw 256-bit key kept in the operating system keyring (``x'<64 hex>'``, no key
derivation needed) or a passphrase the user types (SQLCipher derives the key with PBKDF2). Keys never
go to settings, logs or the command line; the passphrase may come from the environment variable
``ACTDESK_DB_PASSPHRASE`` for scripted use, which is documented as the user's own choice.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from actdesk.i18n import _

KEYRING_SERVICE = "actdesk-book-key"
PASSPHRASE_ENV = "ACTDESK_DB_PASSPHRASE"
_RAW_KEY = re.compile(r"^x'[0-9a-fA-F]{64}'$")
SQLITE_HEADER = b"SQLite format 3\x00"


class InsecureKeyringError(RuntimeError):
    """The only keyring available stores secrets in plain text; we refuse it unless the user opts in."""


def key_pragma(key: str) -> str:
    """The ``PRAGMA key`` statement for a raw key or a passphrase, quoted safely."""
    if _RAW_KEY.match(key):
        return f'PRAGMA key = "{key}"'
    return "PRAGMA key = '" + key.replace("'", "''") + "'"


def key_literal(key: str) -> str:
    """The key as an SQL literal for ``ATTACH ... KEY``."""
    if _RAW_KEY.match(key):
        return f'"{key}"'
    return "'" + key.replace("'", "''") + "'"


def is_raw_key(key: str) -> bool:
    return bool(_RAW_KEY.match(key))


def cipher_connect(path: Path | str, key: str, *, read_only: bool = False, check: bool = True) -> Any:
    """A sqlcipher3 connection with the key applied (check=True proves the key by reading the schema)."""
    import sqlcipher3

    if read_only:
        conn = sqlcipher3.connect(f"file:{Path(path).as_posix()}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # wrong keys are our error to report, not stderr noise
        conn.execute(key_pragma(key))
        if check:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        conn.close()
        raise
    return conn


def driver_errors() -> tuple[type[BaseException], ...]:
    """Database errors of both drivers (SQLAlchemy does not wrap sqlcipher3's own classes)."""
    import sqlite3

    import sqlcipher3

    return (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


def looks_plain(path: Path) -> bool | None:
    """True for a plain SQLite file, False for anything else, None if there is no file yet."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def might_be_encrypted(path: Path) -> bool:
    """SQLCipher files have no header and a size in whole pages; a text file almost never does."""
    if looks_plain(path) is not False:
        return False
    size = path.stat().st_size
    return size >= 1024 and size % 512 == 0


def keyring_username(path: Path) -> str:
    """The keyring entry of earlier versions: the book's absolute path (lost when the book moves)."""
    return os.path.normcase(str(Path(path).resolve()))


def book_identifier(path: Path) -> str | None:
    """An encrypted book's own identifier: SQLCipher's per-database salt, its first 16 bytes, stored in
    clear and kept when the file is moved or copied (a new encryption makes a new salt)."""
    try:
        if looks_plain(path) is not False:
            return None
        with Path(path).open("rb") as fh:
            salt = fh.read(16)
    except OSError:
        return None
    return "book:" + salt.hex() if len(salt) == 16 else None


def check_keyring(allow_insecure: bool = False) -> Any:
    """The keyring backend if it keeps secrets safely (plain-text stores refused unless allowed)."""
    import keyring

    backend = keyring.get_keyring()
    module = type(backend).__module__
    name = type(backend).__name__
    if module.startswith(("keyring.backends.fail", "keyring.backends.null")):
        raise InsecureKeyringError(_("no keyring is available on this machine"))
    if not allow_insecure and (module.startswith("keyrings.alt") or "Plaintext" in name):
        raise InsecureKeyringError(_("the only keyring here stores secrets in a plain file"))
    return backend


def stored_key(path: Path) -> str | None:
    """The raw key kept in the keyring for this book, if any (None when there is no usable keyring)."""
    try:
        backend = check_keyring(allow_insecure=os.environ.get("ACTDESK_ALLOW_INSECURE_KEYRING") == "1")
        names = [n for n in (book_identifier(path), keyring_username(path)) if n]
        value = next((v for v in (backend.get_password(KEYRING_SERVICE, n) for n in names) if v), None)
    except Exception:  # no keyring, locked keyring, D-Bus gone: the caller asks for a passphrase
        return None
    return str(value) if value else None


def key_for(path: Path) -> str | None:
    """The key to try for an encrypted book: the keyring's, else a passphrase from the environment."""
    return stored_key(path) or os.environ.get(PASSPHRASE_ENV) or None
