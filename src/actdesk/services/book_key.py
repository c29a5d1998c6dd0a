"""Moving a keyring-encrypted book to another computer: its key exported to a passphrase-protected file and
imported there (as KeePassXC exports a key file), filed under the book's own identifier.

The file is JSON: the book's identifier (SQLCipher's salt, see ``storage.cipher.book_identifier``), and the
key sealed with AES-256-GCM under a key derived from the passphrase by scrypt (n=2^15, r=8, p=1), the
identifier bound in as associated data so a file cannot be passed off for another book. It is written 0600.
Import checks that the key opens the book before it files it in the keyring.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from actdesk.i18n import _
from actdesk.storage.cipher import book_identifier, cipher_connect, key_for
from actdesk.storage.errors import BookError, EncryptedBookError
from actdesk.storage.files import create_private

FORMAT = "actdesk-book-key"
MIN_PASSPHRASE = 10


class KeyFileError(BookError):
    """The key file is not one, is for another book, or the passphrase does not open it."""


def _derive(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**15, r=8, p=1).derive(passphrase.encode("utf-8"))


def _identifier(book: Path) -> str:
    identifier = book_identifier(book)
    if identifier is None:
        raise KeyFileError(
            _("{name} is not an encrypted book; it has no key to export or import.").format(name=book.name)
        )
    return identifier


def _opens(book: Path, key: str) -> bool:
    try:
        cipher_connect(book, key, read_only=True).close()
    except Exception:
        return False
    return True


def export_key(book: Path, target: Path, passphrase: str) -> str:
    """Write the book's key to ``target`` sealed with ``passphrase``; returns the book's identifier."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileError(_("Choose a passphrase of at least {n} characters.").format(n=MIN_PASSPHRASE))
    identifier = _identifier(book)
    key = key_for(book)
    if key is None or not _opens(book, key):
        raise EncryptedBookError(_("The key of this book is not available here: nothing to export."))
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(passphrase, salt)).encrypt(nonce, key.encode("utf-8"), identifier.encode("ascii"))
    payload = {"format": FORMAT, "version": 1, "book": identifier, "kdf": "scrypt", "n": 2**15, "r": 8, "p": 1,
               "salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode(),
               "sealed": base64.b64encode(sealed).decode()}  # fmt: skip
    create_private(target)
    target.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return identifier


def import_key(book: Path, source: Path, passphrase: str) -> str:
    """Open the key file with ``passphrase``, check the key opens ``book``, file it in the keyring."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from actdesk.services.crypto import store_key

    identifier = _identifier(book)
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
        if payload.get("format") != FORMAT:
            raise ValueError("format")
        salt, nonce, sealed = (base64.b64decode(payload[k]) for k in ("salt", "nonce", "sealed"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise KeyFileError(_("{name} is not an actdesk key file.").format(name=source.name)) from exc
    if payload.get("book") != identifier:
        raise KeyFileError(_("This key file belongs to another book."))
    try:
        key = (
            AESGCM(_derive(passphrase, salt))
            .decrypt(nonce, sealed, identifier.encode("ascii"))
            .decode("utf-8")
        )
    except InvalidTag:
        raise KeyFileError(_("The passphrase does not open this key file.")) from None
    if not _opens(book, key):
        raise KeyFileError(_("This key does not open the book."))
    store_key(book, key, name=identifier)
    return identifier
