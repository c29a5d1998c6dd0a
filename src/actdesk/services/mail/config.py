"""The mail account's settings and its password in the operating system keyring (never in settings or the DB)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from actdesk.i18n import _
from actdesk.settings import Settings

KEYRING_SERVICE = "actdesk-smtp"
OAUTH_KEYRING_SERVICE = "actdesk-oauth"  # refresh tokens, user name "<provider>:<address>"
PROVIDERS = ("password", "microsoft", "google")
TRANSPORTS = ("smtp", "graph")
# The publisher's own app registrations (public clients: an id, no secret worth keeping). Empty until the
# publisher registers actdesk with Microsoft Entra and Google Cloud; a firm enters its own in the settings
# (docs/email.md, "Registering your own app").
PUBLISHER_MICROSOFT_CLIENT_ID = ""
PUBLISHER_GOOGLE_CLIENT_ID = ""
PUBLISHER_GOOGLE_CLIENT_SECRET = ""  # Google issues one to installed apps too; it is not a secret there
SECTION = "mail"
MIN_RETENTION_YEARS = 5  # SEC rule 204-2(e)(1): five years from the end of the fiscal year of the last entry


@dataclass
class MailSettings:
    SECTION: ClassVar[str] = SECTION  # its section of the settings file

    host: str = ""
    port: int = 587
    user: str = ""
    security: str = "starttls"  # starttls | ssl
    cafile: str | None = None  # a certificate the user explicitly trusts (self-signed server)
    from_addr: str = ""
    from_name: str = ""
    reply_to: str = ""
    signature: str = ""
    language: str = "en"  # language of the starter templates and automation messages
    rate_per_minute: int = 30
    timeout_seconds: float = 30.0
    max_attempts: int = 8
    retry_base_seconds: int = 60
    retry_max_seconds: int = 3600
    allow_insecure_keyring: bool = False
    # Six, not five: the rule counts five years from the END of the fiscal year of the last entry.
    retention_years: int = 6
    retention_below_minimum_confirmed: bool = False
    review_reminder_days: int = 14
    birthday_enabled: bool = True
    review_reminder_enabled: bool = True
    anniversary_enabled: bool = True
    event_reminder_enabled: bool = True
    event_reminder_days_after: int = 3
    # Sign-in with a provider (OAuth 2.0); "password" is the plain SMTP/IMAP login above.
    provider: str = "password"  # password | microsoft | google
    transport: str = "smtp"  # smtp | graph (Microsoft Graph sendMail, Microsoft only)
    oauth_account: str = ""  # the address signed in; the refresh token is in the keyring
    oauth_cafile: str | None = None  # a certificate the user trusts for the sign-in servers (proxies, tests)
    microsoft_client_id: str = PUBLISHER_MICROSOFT_CLIENT_ID
    microsoft_authority: str = "https://login.microsoftonline.com/organizations"
    graph_url: str = "https://graph.microsoft.com/v1.0"
    google_client_id: str = PUBLISHER_GOOGLE_CLIENT_ID
    google_client_secret: str = PUBLISHER_GOOGLE_CLIENT_SECRET
    google_auth_uri: str = "https://accounts.google.com/o/oauth2/auth"
    google_token_uri: str = "https://oauth2.googleapis.com/token"
    # Replies: the IMAP watcher (same login as SMTP; ``cafile`` is trusted for both servers).
    imap_enabled: bool = False
    imap_host: str = ""
    imap_port: int = 993
    imap_security: str = "ssl"  # ssl | starttls
    imap_user: str = ""  # default: ``user`` (password accounts) or the signed-in address
    imap_folder: str = "INBOX"
    imap_poll_seconds: int = 120  # when the server has no IDLE, or after a connection was lost
    imap_idle_seconds: int = 600  # IDLE is renewed this often (RFC 2177: at most 29 minutes)

    @property
    def configured(self) -> bool:
        if self.provider != "password":
            return bool(self.from_addr and self.oauth_account)
        return bool(self.host and self.from_addr)

    @property
    def uses_oauth(self) -> bool:
        return self.provider in ("microsoft", "google")

    @property
    def login(self) -> str:
        """The IMAP/SMTP login name: the signed-in address for OAuth accounts."""
        return self.oauth_account if self.uses_oauth else self.user

    @property
    def sender(self) -> str:
        return self.from_addr or self.user


class MailConfigError(Exception):
    """The account is not set up, or set up in a way we refuse; the message says what to do next."""


class KeyringUnavailableError(MailConfigError):
    """No password store works on this computer: a failure of the world, not of what was typed (exit 1)."""


def load_mail_settings(settings: Settings) -> MailSettings:
    cfg = settings.section(MailSettings)
    if "language" not in settings.raw.get(SECTION, {}):
        # Until the advisor picks one, the starter templates speak the window's language.
        cfg.language = settings.general.language
    return cfg


def save_mail_settings(settings: Settings, value: MailSettings) -> None:
    settings.set_section(value)
    settings.save()


def _backends(backend: KeyringBackend) -> list[KeyringBackend]:
    inner = getattr(backend, "backends", None)
    return list(inner) if inner else [backend]


def _no_store() -> bool:
    return all(
        type(b).__module__.startswith(("keyring.backends.fail", "keyring.backends.null"))
        for b in _backends(keyring.get_keyring())
    )


def keyring_problem(allow_insecure: bool) -> str | None:
    """Why the current keyring must not hold the password, or None when it is fit for a secret."""
    backend = keyring.get_keyring()
    members = _backends(backend)
    names = {f"{type(b).__module__}.{type(b).__name__}" for b in members}
    if _no_store():
        return _(
            "No secure password store is available on this computer (keyring backend: {name}). "
            "Install or unlock the system keychain (e.g. GNOME Keyring, KWallet, macOS Keychain, "
            "Windows Credential Manager) and try again."
        ).format(name=", ".join(sorted(names)))
    insecure = [b for b in members if _is_plaintext(b)]
    if insecure and not allow_insecure:
        return _(
            "The password store on this computer keeps passwords in a plain file ({name}), readable by "
            "anyone who copies the laptop's disk. Use the system keychain instead, or, if you accept that "
            "risk, turn on 'allow insecure keyring' in the mail settings."
        ).format(name=", ".join(sorted(f"{type(b).__module__}.{type(b).__name__}" for b in insecure)))
    return None


def _is_plaintext(backend: KeyringBackend) -> bool:
    module = type(backend).__module__
    return module.startswith("keyrings.alt.file") or "plaintext" in type(backend).__name__.lower()


def store_password(user: str, password: str, *, allow_insecure: bool) -> None:
    problem = keyring_problem(allow_insecure)
    if problem:
        raise (KeyringUnavailableError if _no_store() else MailConfigError)(problem)
    try:
        keyring.set_password(KEYRING_SERVICE, user, password)
    except keyring.errors.KeyringError as exc:
        raise MailConfigError(
            _("The password could not be saved in the keyring: {error}").format(error=exc)
        ) from None


def read_password(user: str, *, allow_insecure: bool) -> str:
    problem = keyring_problem(allow_insecure)
    if problem:
        raise MailConfigError(problem)
    try:
        password = keyring.get_password(KEYRING_SERVICE, user)
    except keyring.errors.KeyringError as exc:
        raise MailConfigError(_("The keyring could not be read: {error}").format(error=exc)) from None
    if password is None:
        raise MailConfigError(
            _(
                "No password is saved for {user}. Run 'actdesk mail configure' or open the account settings."
            ).format(user=user)
        )
    return password


def retention_warning(years: int) -> str | None:
    if years >= MIN_RETENTION_YEARS:
        return None
    return _(
        "Sent mail would be deleted after {years} years. SEC rule 204-2 asks advisers to keep "
        "written communications for five years; confirm only if another rule applies to you."
    ).format(years=years)
