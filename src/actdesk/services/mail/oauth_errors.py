"""What a sign-in server's refusal means, in plain words, with the next step.

Microsoft answers with ``AADSTS`` codes in ``error_codes``/``error_description``; Google with an ``error``
word. The codes that an advisor meets in practice are translated; anything else is shown with the server's
own words and the generic next step.
"""

from __future__ import annotations

import re

from actdesk.i18n import N_, _
from actdesk.services.mail.config import MailConfigError

PROVIDER_NAMES = {"microsoft": N_("Microsoft 365"), "google": N_("Google")}


class OAuthError(MailConfigError):
    """The sign-in server refused; the message says why in plain words and what to do next."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code


class SignInRequired(OAuthError):
    """The grant is gone (revoked, expired, password changed, never signed in): the advisor signs in again.
    Sending pauses with every message kept queued."""


class ConsentRequired(OAuthError):
    """The organisation's administrator must approve actdesk (or the tenant does not allow it)."""


class SignInCancelled(OAuthError):
    """The advisor closed the browser or the sign-in took too long; nothing changed."""


class OAuthUnavailable(OAuthError):
    """The sign-in server could not be reached (offline, proxy, outage): try later, nothing is lost."""


def provider_name(provider: str) -> str:
    return _(PROVIDER_NAMES.get(provider, provider))


def sign_in_hint(provider: str) -> str:
    return _(
        "Sign in again: Campaigns > Account > Sign in with {name}, or 'actdesk mail sign-in {provider}'. "
        "Queued messages wait in the outbox until then."
    ).format(name=provider_name(provider), provider=provider)


_AADSTS = re.compile(r"AADSTS(\d+)")
_SIGN_IN_AGAIN = {50173, 70000, 70008, 70043, 700082, 700084, 50078, 50076, 50079, 54005, 9002313, 50132}
_CONSENT = {65001, 65004, 90094, 90095, 50105, 53003, 530003, 700016, 50020, 500011, 500021, 7000112}


def microsoft_codes(description: str, codes: list[int] | None = None) -> list[int]:
    found = list(codes or [])
    found += [int(m) for m in _AADSTS.findall(description or "")]
    return found


def explain(provider: str, error: str, description: str = "", codes: list[int] | None = None) -> OAuthError:
    """The refusal as the right exception with a plain message (the server's words appended for support)."""
    name = provider_name(provider)
    words = f" ({error}: {description.splitlines()[0][:240]})" if description else f" ({error})"
    ms = microsoft_codes(description, codes) if provider == "microsoft" else []
    if 65004 in ms or (error == "access_denied" and provider == "google" and "admin" not in description):
        return SignInCancelled(
            _(
                "The permission request was declined in the browser, so nothing changed. Sign in again and "
                "choose Accept to let actdesk send and read your mail."
            )
            + words,
            error,
        )
    if {65001, 90094, 90095} & set(ms) or error in ("consent_required", "admin_policy_enforced"):
        return ConsentRequired(
            _(
                "Your organisation's administrator has to approve actdesk before you can sign in with {name}. "
                "Send them docs/email.md (section 'For the administrator'); once they have granted consent, "
                "sign in again."
            ).format(name=name)
            + words,
            error,
        )
    if {50105, 53003, 530003} & set(ms):
        return ConsentRequired(
            _(
                "Your organisation's rules (assignment or conditional access) do not let this account use "
                "actdesk from this computer. Ask your administrator to allow it, then sign in again."
            )
            + words,
            error,
        )
    if {700016, 7000112} & set(ms) or error in ("invalid_client", "unauthorized_client", "org_internal"):
        return ConsentRequired(
            _(
                "{name} does not know the app id actdesk uses, or the app is limited to another organisation. "
                "Check the client id in the account settings (your firm may use its own app registration, see "
                "docs/email.md) or ask your administrator."
            ).format(name=name)
            + words,
            error,
        )
    if {50020, 500011, 500021} & set(ms):
        return ConsentRequired(
            _(
                "This account's organisation does not allow sign-ins to actdesk's app (tenant restriction), or "
                "the mailbox is not in this organisation. Ask your administrator, or sign in with the account "
                "of the mailbox you send from."
            )
            + words,
            error,
        )
    if error in ("invalid_grant", "interaction_required", "login_required") or _SIGN_IN_AGAIN & set(ms):
        return SignInRequired(
            _(
                "{name} no longer accepts actdesk's sign-in for this account (it was revoked, expired, or the "
                "password changed)."
            ).format(name=name)
            + " "
            + sign_in_hint(provider)
            + words,
            error,
        )
    if error in ("temporarily_unavailable", "server_error"):
        return OAuthUnavailable(
            _(
                "{name}'s sign-in service is busy or down; actdesk tries again later and nothing is lost."
            ).format(name=name)
            + words,
            error,
        )
    return OAuthError(
        _(
            "{name} refused the sign-in. Try again; if it keeps failing, show this message to your "
            "administrator."
        ).format(name=name)
        + words,
        error,
    )
