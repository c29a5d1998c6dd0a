"""Who may unlock a locked window: the book's passphrase, a lock passphrase, or the operating-system account.

Qt-free (a service; the lock screen in ui/privacy asks it), so that it is tested without a window. Secrets never leave memory or the keyring: the lock
passphrase is kept only as a salted scrypt hash in the keyring; a passphrase-encrypted book is unlocked
with its own passphrase, compared in constant time with the key already in memory.

OS-account check, where feasible: Windows (``LogonUserW``), macOS (``dscl . -authonly``), Linux when the
``python-pam`` package is installed. Elsewhere the user sets a lock passphrase.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import ClassVar

from actdesk.i18n import _
from actdesk.storage.cipher import check_keyring, is_raw_key

log = logging.getLogger(__name__)

LOCK_SERVICE = "actdesk-lock"
LOCK_USER = "unlock-passphrase"
_N, _R, _P = 2**14, 8, 1


@dataclass
class PrivacySettings:
    """Settings section "privacy" (``settings.section(PrivacySettings)``)."""

    SECTION: ClassVar[str] = "privacy"  # its section of the settings file
    lock_after_minutes: int = 10  # 0: never lock
    unlock_with: str = "auto"  # auto, passphrase, os


def _hash(secret: str, salt: bytes) -> bytes:
    return hashlib.scrypt(secret.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)


def set_lock_passphrase(secret: str) -> None:
    salt = os.urandom(16)
    record = (
        "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(_hash(secret, salt)).decode()
    )
    check_keyring().set_password(LOCK_SERVICE, LOCK_USER, record)


class KeyringUnavailable(Exception):
    """The keyring could not be read: whether a lock passphrase exists is unknown."""


def has_lock_passphrase() -> bool:
    """Whether a lock passphrase is stored. Raises KeyringUnavailable when the keyring cannot be read
    (no keyring, a locked one, D-Bus gone): the caller must say so, not act as if none were set."""
    try:
        return bool(check_keyring().get_password(LOCK_SERVICE, LOCK_USER))
    except Exception as exc:
        raise KeyringUnavailable(str(exc) or type(exc).__name__) from exc


def verify_lock_passphrase(secret: str) -> bool:
    try:
        record = check_keyring().get_password(LOCK_SERVICE, LOCK_USER)
    except Exception:
        log.warning("lock passphrase: the keyring could not be read", exc_info=True)
        return False
    if not record or not record.startswith("scrypt$"):
        return False
    _kind, salt, digest = record.split("$", 2)
    return hmac.compare_digest(_hash(secret, base64.b64decode(salt)), base64.b64decode(digest))


def os_account_supported() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    try:
        import pam  # noqa: F401
    except ImportError:
        return False
    return True


def verify_os_account(password: str) -> bool:
    """True if ``password`` is the signed-in user's operating-system password."""
    user = getpass.getuser()
    if sys.platform == "win32":
        import ctypes

        token = ctypes.c_void_p()
        ok = ctypes.windll.advapi32.LogonUserW(user, None, password, 2, 0, ctypes.byref(token))  # type: ignore[attr-defined]
        if ok:
            ctypes.windll.kernel32.CloseHandle(token)  # type: ignore[attr-defined]
        return bool(ok)
    if sys.platform == "darwin":
        done = subprocess.run(
            ["dscl", ".", "-authonly", user, password], capture_output=True, timeout=10, check=False
        )
        return done.returncode == 0
    try:
        import pam
    except ImportError:
        return False
    return bool(pam.pam().authenticate(user, password))


class Unlocker:
    """Decides which secret unlocks this session and checks it."""

    def __init__(self, book_key: str | None, settings: PrivacySettings) -> None:
        self._book_passphrase = book_key if book_key is not None and not is_raw_key(book_key) else None
        self.settings = settings
        self.problem: str | None = None  # why the window cannot lock, when it is a failure, not a choice

    @property
    def method(self) -> str | None:
        """ "book", "passphrase", "os", or None when nothing can unlock (then the app does not lock; when
        that is because the keyring failed, ``problem`` says so and the failure is logged)."""
        wanted = self.settings.unlock_with
        if wanted in ("auto", "passphrase") and self._book_passphrase is not None:
            return "book"
        if wanted in ("auto", "passphrase"):
            try:
                if has_lock_passphrase():
                    self.problem = None
                    return "passphrase"
            except KeyringUnavailable as exc:
                if self.problem is None:
                    log.warning("window lock: the keyring could not be read: %s", exc)
                # The keyring's own words go to the log above, never into the sentence.
                self.problem = _(
                    "The window cannot lock: the system keyring could not be read. "
                    "Unlock the keyring, or set the lock again in Preferences."
                )
        if wanted in ("auto", "os") and os_account_supported():
            return "os"
        return None

    def verify(self, secret: str) -> bool:
        method = self.method
        if method == "book" and self._book_passphrase is not None:
            return hmac.compare_digest(secret.encode("utf-8"), self._book_passphrase.encode("utf-8"))
        if method == "passphrase":
            return verify_lock_passphrase(secret)
        if method == "os":
            return verify_os_account(secret)
        return False
