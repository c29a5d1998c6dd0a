"""SMTP login with SASL XOAUTH2 (Microsoft 365 and Google), classified the way the outbox needs it."""

from __future__ import annotations

import smtplib
from collections.abc import Callable

from actdesk.i18n import _
from actdesk.services.mail.config import MailConfigError
from actdesk.services.mail.oauth import xoauth2
from actdesk.services.mail.oauth_errors import OAuthUnavailable
from actdesk.services.mail.smtp import ConnectionProblem, TemporaryFailure


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def _auth(smtp: smtplib.SMTP, user: str, token: str) -> None:
    smtp.ehlo_or_helo_if_needed()
    offered = (smtp.esmtp_features.get("auth") or "").upper().split()
    if "XOAUTH2" not in offered:
        raise smtplib.SMTPNotSupportedError("XOAUTH2 not offered: " + " ".join(offered))

    def respond(challenge: bytes | None = None) -> str:
        # After a refusal the server sends a JSON error as a challenge; the answer is an empty line.
        return xoauth2(user, token) if challenge is None else ""

    code, reply = smtp.auth("XOAUTH2", respond, initial_response_ok=True)
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def refusal_message(code: int, reply: str) -> str:
    if "5.7.139" in reply or "SmtpClientAuthentication is disabled" in reply:
        return _(
            "Microsoft 365 has SMTP sending turned off for this mailbox ({reply}). Choose 'Microsoft Graph' as "
            "the sending method in the account settings, or ask your administrator to allow SMTP AUTH for "
            "the mailbox."
        ).format(reply=f"{code} {reply}")
    return _(
        "The mail server refused the sign-in token ({reply}). Sign in again in the account settings; if it "
        "keeps happening, the mailbox may not allow sending from other programs."
    ).format(reply=f"{code} {reply}")


def login_xoauth2(smtp: smtplib.SMTP, user: str, token_source: Callable[[bool], str]) -> None:
    """One XOAUTH2 attempt; a refused token is refreshed once and tried again (it may have just expired or
    been revoked on the server's side). Token trouble stops the batch with every message kept queued."""
    refused: smtplib.SMTPAuthenticationError | None = None
    for force in (False, True):
        try:
            token = token_source(force)
        except OAuthUnavailable as exc:
            smtp.close()
            raise TemporaryFailure(str(exc)) from exc
        except MailConfigError as exc:  # sign in again, consent, keyring: nothing can be sent now
            smtp.close()
            raise ConnectionProblem(str(exc)) from exc
        try:
            _auth(smtp, user, token)
            return
        except smtplib.SMTPAuthenticationError as exc:
            refused = exc
        except smtplib.SMTPNotSupportedError as exc:
            smtp.close()
            raise ConnectionProblem(
                _("The server does not accept a sign-in token (XOAUTH2) on this connection.")
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            smtp.close()
            raise TemporaryFailure(_("The login was interrupted ({error}).").format(error=exc)) from exc
    smtp.close()
    assert refused is not None
    reply = _text(refused.smtp_error)
    raise ConnectionProblem(refusal_message(refused.smtp_code, reply), refused.smtp_code, reply)
