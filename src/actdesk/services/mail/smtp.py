"""An SMTP client on the standard library's smtplib: verified TLS, keyring password, one connection per batch.

Replies are classified the way the outbox needs them: 4xx and network trouble are temporary (retry later), 5xx
is permanent (fail with the server's words), and a connection lost after the message body went out is
*uncertain* (the server may have accepted it; resending could duplicate it).
"""

from __future__ import annotations

import base64
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

from actdesk.i18n import _
from actdesk.services.mail.config import MailConfigError, MailSettings, read_password

_PERIOD = re.compile(rb"(?m)^\.")


class SmtpError(Exception):
    """A failed exchange with the server. ``code`` and ``reply`` are the server's own when it answered."""

    def __init__(self, message: str, code: int | None = None, reply: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reply = reply or message


class TemporaryFailure(SmtpError):
    """4xx reply or network trouble: try again later."""


class PermanentFailure(SmtpError):
    """5xx reply: the server refused this message for good."""


class UncertainOutcome(SmtpError):
    """The connection broke after the body was sent: the message may or may not have been delivered."""


class ConnectionProblem(SmtpError):
    """The account cannot be used at all (TLS refused, wrong password): stop the batch, touch no message."""


@dataclass(frozen=True)
class SmtpAccount:
    host: str
    port: int
    user: str
    security: str = "starttls"
    cafile: str | None = None
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, cfg: MailSettings) -> SmtpAccount:
        if not cfg.host:
            raise MailConfigError(_("No mail account is set up. Run 'actdesk mail configure' first."))
        return cls(cfg.host, int(cfg.port), cfg.user, cfg.security, cfg.cafile or None, cfg.timeout_seconds)


def tls_context(cafile: str | None) -> ssl.SSLContext:
    """Verification always on; a user-trusted certificate file replaces the system's authorities, never disables them."""
    try:
        return ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
    except (OSError, ssl.SSLError) as exc:
        raise ConnectionProblem(
            _("The trusted certificate file {path} could not be read: {error}").format(path=cafile, error=exc)
        ) from exc


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def classify(code: int, reply: bytes | str) -> SmtpError:
    words = f"{code} {_text(reply)}".strip()
    if 400 <= code < 500:
        return TemporaryFailure(words, code, words)
    return PermanentFailure(words, code, words)


def _utf8_base64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _authenticate(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """One AUTH attempt with one mechanism (PLAIN, else LOGIN): smtplib's login() tries every mechanism in
    turn after a refusal, which looks like a password-guessing burst to providers and can lock the account."""
    smtp.ehlo_or_helo_if_needed()
    offered = (smtp.esmtp_features.get("auth") or "").upper().split()
    if not offered:
        raise smtplib.SMTPNotSupportedError("AUTH not offered")
    # Our own exchange instead of smtplib.auth(), which encodes as ASCII: a non-ASCII password failed with
    # "'\xe4' in position 22", telling a character of the password and where it is. RFC 4616 (PLAIN) and
    # every server we know take UTF-8.
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _utf8_base64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _utf8_base64(user))
        if code == 334:
            code, reply = smtp.docmd(_utf8_base64(password))
    else:
        raise smtplib.SMTPNotSupportedError("no supported AUTH mechanism: " + " ".join(offered))
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


class SmtpSession:
    """One authenticated connection, reused for every message of a batch (``with SmtpSession(...) as s``).

    ``token_source(force_refresh)`` makes it log in with SASL XOAUTH2 (Microsoft 365, Google) instead of a
    password."""

    def __init__(
        self,
        account: SmtpAccount,
        password: str | None = None,
        *,
        password_source: Callable[[], str] | None = None,
        token_source: Callable[[bool], str] | None = None,
    ) -> None:
        self.account = account
        self._password = password
        self._password_source = password_source
        self._token_source = token_source
        self._smtp: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, cfg: MailSettings) -> SmtpSession:
        if cfg.uses_oauth:
            from actdesk.services.mail.oauth import access_token

            return cls(
                SmtpAccount.from_settings(cfg),
                token_source=lambda force: access_token(cfg, "mail", force_refresh=force),
            )
        return cls(
            SmtpAccount.from_settings(cfg),
            password_source=lambda: read_password(cfg.user, allow_insecure=cfg.allow_insecure_keyring),
        )

    def __enter__(self) -> SmtpSession:
        self.connect()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def connected(self) -> bool:
        return self._smtp is not None

    def connect(self) -> None:
        opened: list[smtplib.SMTP] = []
        try:
            smtp = self._open(opened)
            if self.account.user:
                self._login(smtp)
        except BaseException:
            for half_open in opened:  # never leave a socket behind a refused certificate or password
                half_open.close()
            raise
        self._smtp = smtp

    def _open(self, opened: list[smtplib.SMTP]) -> smtplib.SMTP:
        acc = self.account
        context = tls_context(acc.cafile)
        try:
            if acc.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    acc.host, acc.port, timeout=acc.timeout, context=context
                )
                opened.append(smtp)
            else:
                smtp = smtplib.SMTP(acc.host, acc.port, timeout=acc.timeout)
                opened.append(smtp)
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    raise ConnectionProblem(
                        _(
                            "{host} does not offer STARTTLS, so the password and messages would travel "
                            "unencrypted. Check the port (587 for STARTTLS, 465 for SSL)."
                        ).format(host=acc.host)
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
        except ssl.SSLCertVerificationError as exc:
            raise ConnectionProblem(
                _(
                    "The server's certificate could not be verified ({reason}). If this is your own server "
                    "with a self-signed certificate, trust it explicitly with --cafile."
                ).format(reason=exc.verify_message or exc)
            ) from exc
        except ssl.SSLError as exc:
            raise ConnectionProblem(
                _("A secure connection could not be made: {error}").format(error=exc)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(
                _("Could not reach {host}:{port} ({error}).").format(host=acc.host, port=acc.port, error=exc)
            ) from exc
        return smtp

    def _login(self, smtp: smtplib.SMTP) -> None:
        if self._token_source is not None:
            from actdesk.services.mail.smtp_oauth import login_xoauth2

            login_xoauth2(smtp, self.account.user, self._token_source)
            return
        password = self._password
        if password is None:
            if self._password_source is None:
                raise ConnectionProblem(_("No password was given for {user}.").format(user=self.account.user))
            try:
                password = self._password_source()
            except MailConfigError as exc:
                smtp.close()
                raise ConnectionProblem(str(exc)) from exc
        try:
            _authenticate(smtp, self.account.user, password)
        except smtplib.SMTPAuthenticationError as exc:
            smtp.close()
            raise ConnectionProblem(
                _(
                    "The server refused the user name or password ({reply}). Check them in the account settings."
                ).format(reply=f"{exc.smtp_code} {_text(exc.smtp_error)}"),
                exc.smtp_code,
                _text(exc.smtp_error),
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            smtp.close()
            raise ConnectionProblem(_("The server does not accept a login on this connection.")) from exc
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise TemporaryFailure(_("The login was interrupted ({error}).").format(error=exc)) from exc

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                self._smtp.close()
            self._smtp = None

    def send(self, raw: bytes, sender: str, recipients: list[str]) -> str:
        """Send one stored message exactly as built; return the server's final reply ("250 ... queued as ...")."""
        if self._smtp is None:
            self.connect()
        smtp = self._smtp
        assert smtp is not None
        body_sent = False
        try:
            code, reply = smtp.mail(sender)
            if code != 250:
                self._reset(smtp)
                raise classify(code, reply)
            for rcpt in recipients:
                code, reply = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    self._reset(smtp)
                    raise classify(code, reply)
            smtp.putcmd("data")
            code, reply = smtp.getreply()
            if code != 354:
                self._reset(smtp)
                raise classify(code, reply)
            payload = _PERIOD.sub(b"..", raw)
            if not payload.endswith(b"\r\n"):
                payload += b"\r\n"
            body_sent = True
            smtp.send(payload + b".\r\n")
            code, reply = smtp.getreply()
        except (TimeoutError, OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            if body_sent:
                raise UncertainOutcome(
                    _("The connection broke after the message was handed over ({error}).").format(error=exc)
                ) from exc
            raise TemporaryFailure(_("The connection broke ({error}).").format(error=exc)) from exc
        if code != 250:
            if code == -1:
                self._drop()
                raise UncertainOutcome(_("The server closed the connection without confirming the message."))
            raise classify(code, reply)
        return f"{code} {_text(reply)}".strip()

    def _reset(self, smtp: smtplib.SMTP) -> None:
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        if self._smtp is not None:
            self._smtp.close()
            self._smtp = None
