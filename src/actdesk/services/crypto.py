"""Encryption at rest with SQLCipher: encrypt a plain book, decrypt it back, keep its key safe.

The key is a random 256-bit key kept in the operating system keyring (Keychain, Credential Manager,
Secret Service), or a passphrase the user types when the machine has no keyring (SQLCipher derives the
key with PBKDF2-HMAC-SHA512, 256,000 iterations). Conversion goes through ``sqlcipher_export`` into a new
file next to the book, which is verified table by table before it atomically replaces the original: a
crash or a full disk at any point leaves the original book as it was.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from actdesk.i18n import _
from actdesk.storage import lock as locks
from actdesk.storage.cipher import (
    KEYRING_SERVICE,
    InsecureKeyringError,
    book_identifier,
    check_keyring,
    cipher_connect,
    key_for,
    key_literal,
    keyring_username,
    looks_plain,
)
from actdesk.storage.engine import Book
from actdesk.storage.errors import BookError, EncryptedBookError
from actdesk.storage.files import create_private
from actdesk.storage.open import open_book

MIN_PASSPHRASE = 10


class EncryptionError(BookError):
    """Encrypting or decrypting failed; the book was left as it was."""


@dataclass
class ConversionResult:
    path: Path
    encrypted: bool
    key_in_keyring: bool
    tables: int
    rows: int


def generate_key() -> str:
    return "x'" + secrets.token_hex(32) + "'"


def store_key(path: Path, key: str, *, allow_insecure: bool = False, name: str | None = None) -> None:
    """File ``key`` in the keyring under the book's own identifier once the encrypted file exists (it
    survives a move or a copy), else under its path until then (``name`` chooses explicitly)."""
    backend = check_keyring(allow_insecure)
    entry = name or book_identifier(path) or keyring_username(path)
    backend.set_password(KEYRING_SERVICE, entry, key)
    # A keyring that silently drops secrets would leave the book encrypted with a lost key: prove it kept it.
    if backend.get_password(KEYRING_SERVICE, entry) != key:
        raise InsecureKeyringError("the keyring did not keep the key")


def forget_key(path: Path, identifier: str | None = None) -> None:
    for entry in {identifier or book_identifier(path), keyring_username(path)} - {None}:
        try:
            check_keyring(True).delete_password(KEYRING_SERVICE, entry)
        except Exception:  # nothing stored, or no keyring: nothing to forget
            continue


def forget_key_path(path: Path) -> None:
    try:
        check_keyring(True).delete_password(KEYRING_SERVICE, keyring_username(path))
    except Exception:
        return


def keyring_available() -> bool:
    try:
        check_keyring()
    except InsecureKeyringError:
        return False
    return True


def encryption_state(path: Path) -> str:
    """ "plain", "encrypted", "missing" (no file yet)."""
    plain = looks_plain(path)
    return "missing" if plain is None else "plain" if plain else "encrypted"


def _table_counts(conn: Any) -> dict[str, int]:
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def _export(source: Path, source_key: str | None, target: Path, target_key: str | None) -> dict[str, int]:
    """Copy everything with sqlcipher_export and prove the copy complete; returns the row counts."""
    create_private(target)  # a full copy of the client data: 0600, in the book's folder
    import sqlcipher3

    conn = cipher_connect(source, source_key) if source_key else sqlcipher3.connect(str(source))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        before = _table_counts(conn)
        literal = key_literal(target_key) if target_key else "''"
        conn.execute(f"ATTACH DATABASE ? AS converted KEY {literal}", (str(target),))
        try:
            conn.execute("SELECT sqlcipher_export('converted')")
            version = conn.execute("PRAGMA main.user_version").fetchone()[0]
            conn.execute(f"PRAGMA converted.user_version = {int(version)}")
        finally:
            conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()
    check = cipher_connect(target, target_key) if target_key else sqlcipher3.connect(str(target))
    try:
        rows = [r[0] for r in check.execute("PRAGMA integrity_check")]
        after = _table_counts(check)
        check.execute("PRAGMA journal_mode=WAL")
    finally:
        check.close()
    if rows != ["ok"] or after != before:
        raise EncryptionError(_("The converted copy did not verify; the book was left as it was."))
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return before


def _swap(tmp: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def encrypt_book(path: Path, passphrase: str | None = None) -> ConversionResult:
    """Encrypt a plain book in place. Without a passphrase, a random key goes to the keyring."""
    path = path.resolve()
    if encryption_state(path) != "plain":
        raise EncryptionError(
            _("{name} is not a plain actdesk book (already encrypted?).").format(name=path.name)
        )
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise EncryptionError(_("Choose a passphrase of at least {n} characters.").format(n=MIN_PASSPHRASE))
    key = passphrase if passphrase is not None else generate_key()
    lock = locks.acquire(path)
    tmp = path.with_name(f".{path.name}.encrypting")
    try:
        if passphrase is None:
            try:
                store_key(path, key)
            except InsecureKeyringError as exc:
                raise EncryptionError(
                    _(
                        "No safe keyring on this computer ({reason}); encrypt with a passphrase instead."
                    ).format(reason=exc)
                ) from exc
        try:
            counts = _export(path, None, tmp, key)
            _swap(tmp, path)
            if passphrase is None:  # now that the file exists: under its own identifier, path entry dropped
                store_key(path, key)
                forget_key_path(path)
        except BaseException:
            if passphrase is None:
                forget_key(path)
            raise
    except OSError as exc:
        raise EncryptionError(
            _("The book could not be encrypted ({reason}); it was left as it was.").format(reason=exc)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
        lock.release()
    return ConversionResult(path, True, passphrase is None, len(counts), sum(counts.values()))


def create_encrypted_book(path: Path, passphrase: str | None = None) -> Book:
    """First start with encryption chosen: a new, empty, migrated book encrypted from its first byte."""
    path = path.resolve()
    if encryption_state(path) != "missing":
        raise EncryptionError(_("{name} already exists; encrypt it instead.").format(name=path.name))
    if passphrase is not None and len(passphrase) < MIN_PASSPHRASE:
        raise EncryptionError(_("Choose a passphrase of at least {n} characters.").format(n=MIN_PASSPHRASE))
    key = passphrase if passphrase is not None else generate_key()
    if passphrase is None:
        try:
            store_key(path, key)
        except InsecureKeyringError as exc:
            raise EncryptionError(
                _("No safe keyring on this computer ({reason}); encrypt with a passphrase instead.").format(
                    reason=exc
                )
            ) from exc
    book = open_book(path, key=key)
    if passphrase is None:
        store_key(path, key)  # the file exists now: file the key under its own identifier too
    return book


def decrypt_book(path: Path, key: str | None = None) -> ConversionResult:
    """Turn an encrypted book back into a plain one (and forget its keyring key)."""
    path = path.resolve()
    if encryption_state(path) != "encrypted":
        raise EncryptionError(_("{name} is not encrypted.").format(name=path.name))
    key = key or key_for(path)
    if key is None:
        raise EncryptedBookError(_("The key of this book is not available: give its passphrase."))
    lock = locks.acquire(path)
    tmp = path.with_name(f".{path.name}.decrypting")
    try:
        try:
            cipher_connect(path, key).close()
        except Exception as exc:
            raise EncryptedBookError(
                _("The passphrase or key does not open this book; it was left as it was.")
            ) from exc
        counts = _export(path, key, tmp, None)
        identifier = book_identifier(path)
        _swap(tmp, path)
        forget_key(path, identifier)
    except OSError as exc:
        raise EncryptionError(
            _("The book could not be decrypted ({reason}); it was left as it was.").format(reason=exc)
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
        lock.release()
    return ConversionResult(path, False, False, len(counts), sum(counts.values()))
