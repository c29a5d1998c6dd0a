"""``actdesk mail sign-in|sign-out|status|replies|check-replies|autodiscover``: the provider sign-in, the reply
watcher's settings, one check of the inbox, and the account's status."""

from __future__ import annotations

import argparse
import sys
import webbrowser
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _, format_datetime


def register_account(msub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = msub.add_parser(
        "sign-in", help=_("sign in with Microsoft 365 or Google in the browser (no password kept)")
    )
    p.add_argument("provider", choices=["microsoft", "google"], help=_("who hosts the mailbox"))
    p.add_argument("--client-id", help=_("your firm's own app registration (client id)"))
    p.add_argument("--client-secret", help=_("Google only: the secret Google shows for a desktop app"))
    p.add_argument("--tenant", help=_("Microsoft only: your organisation's tenant (domain or id)"))
    p.add_argument("--authority", help=_("Microsoft only: sign-in server address (default: Microsoft's)"))
    p.add_argument("--auth-uri", help=_("Google only: authorization address (default: Google's)"))
    p.add_argument("--token-uri", help=_("Google only: token address (default: Google's)"))
    p.add_argument("--cafile", help=_("trust this certificate for the sign-in servers (a firm's proxy)"))
    p.add_argument(
        "--transport", choices=["smtp", "graph"], help=_("Microsoft only: send with SMTP or Microsoft Graph")
    )
    p.add_argument(
        "--no-browser", action="store_true", help=_("print the sign-in address instead of opening it")
    )
    p.add_argument("--timeout", type=float, default=300.0, help=_("seconds to wait for the browser (300)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=sign_in_command)
    p = msub.add_parser(
        "sign-out", help=_("forget the provider sign-in (sending pauses until you sign in again)")
    )
    p.set_defaults(handler=sign_out_command)
    p = msub.add_parser(
        "status", help=_("how mail is sent, who is signed in, and the reply watcher's last sync")
    )
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=status_command)
    p = msub.add_parser("replies", help=_("where replies arrive (IMAP) and whether actdesk reads them"))
    p.add_argument("--host", help=_("IMAP server, e.g. imap.example.com"))
    p.add_argument("--port", type=int, help=_("993 for SSL, 143 for STARTTLS"))
    p.add_argument("--security", choices=["ssl", "starttls"], help=_("how the connection is encrypted"))
    p.add_argument("--user", help=_("login name (default: the sending account's)"))
    p.add_argument("--folder", help=_("the folder replies arrive in (default INBOX)"))
    p.add_argument("--poll", type=int, help=_("seconds between checks when the server has no IDLE (120)"))
    group = p.add_mutually_exclusive_group()
    group.add_argument("--enable", action="store_true", help=_("read replies in the background"))
    group.add_argument("--disable", action="store_true", help=_("stop reading replies"))
    p.set_defaults(handler=replies_command)
    p = msub.add_parser("check-replies", help=_("file the replies waiting in the mailbox now"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=check_replies_command)
    p = msub.add_parser(
        "autodiscover", help=_("look up an address's server settings where its provider publishes them")
    )
    p.add_argument("address", help=_("the e-mail address"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=autodiscover_command)


def _settings() -> Any:
    from actdesk.settings import load_settings

    return load_settings()


def _opener(no_browser: bool) -> Any:
    def open_url(url: str) -> None:
        print(_("Sign in in your browser. If it did not open, visit:"), file=sys.stderr)
        print(url, file=sys.stderr, flush=True)
        if not no_browser:
            webbrowser.open(url)

    return open_url


def sign_in_command(ctx: CliContext) -> int:
    from actdesk.services.mail import oauth
    from actdesk.services.mail.config import MailConfigError, load_mail_settings, save_mail_settings

    a = ctx.args
    if a.timeout <= 0:
        raise UsageError(_("--timeout must be more than 0 seconds"))
    microsoft_only = [a.tenant, a.authority, a.transport]
    google_only = [a.client_secret, a.auth_uri, a.token_uri]
    if (a.provider == "google" and any(microsoft_only)) or (a.provider == "microsoft" and any(google_only)):
        raise UsageError(_("that option does not apply to {provider}").format(provider=a.provider))
    settings = _settings()
    cfg = load_mail_settings(settings)
    if a.provider == "microsoft":
        cfg.microsoft_client_id = a.client_id or cfg.microsoft_client_id
        if a.tenant:
            cfg.microsoft_authority = f"https://login.microsoftonline.com/{a.tenant}"
        cfg.microsoft_authority = a.authority or cfg.microsoft_authority
        cfg.transport = a.transport or cfg.transport
    else:
        cfg.google_client_id = a.client_id or cfg.google_client_id
        cfg.google_client_secret = a.client_secret or cfg.google_client_secret
        cfg.google_auth_uri = a.auth_uri or cfg.google_auth_uri
        cfg.google_token_uri = a.token_uri or cfg.google_token_uri
    cfg.oauth_cafile = a.cafile or cfg.oauth_cafile
    try:
        cfg = oauth.sign_in(cfg, a.provider, open_url=_opener(a.no_browser), timeout=a.timeout)
    except MailConfigError as exc:
        if getattr(exc, "code", "") == "no_client_id":
            raise UsageError(str(exc)) from None
        print(f"actdesk: {exc}", file=sys.stderr)
        return 1
    save_mail_settings(settings, cfg)
    if a.json:
        ctx.print_json({"provider": cfg.provider, "account": cfg.oauth_account, "transport": cfg.transport})
    else:
        print(_("Signed in as {account}; mail is sent with {provider}. The sign-in is kept in the system keyring.")
              .format(account=cfg.oauth_account, provider=a.provider))  # fmt: skip
    return 0


def sign_out_command(ctx: CliContext) -> int:
    from actdesk.services.mail import oauth
    from actdesk.services.mail.config import load_mail_settings

    cfg = load_mail_settings(_settings())
    if not cfg.uses_oauth:
        raise UsageError(_("this account signs in with a password; nothing to sign out of"))
    oauth.forget_grant(cfg)
    print(
        _("Signed out of {account}; sending waits until you sign in again.").format(account=cfg.oauth_account)
    )
    return 0


def status_command(ctx: CliContext) -> int:
    from actdesk.services.mail.config import load_mail_settings
    from actdesk.services.mail.status import mail_status

    status = mail_status(ctx.book(), load_mail_settings(_settings()))
    if ctx.args.json:
        ctx.print_json(status.to_json())
        return 0
    print(_("Sending: {transport} as {account}").format(transport=status.transport,
                                                        account=status.signed_in_as or _("(nobody)")))  # fmt: skip
    if status.token_expires_at:
        print(_("Access token valid until {when}").format(when=format_datetime(status.token_expires_at)))
    if status.paused_reason:
        print(status.paused_reason)
    if status.imap_enabled:
        when = format_datetime(status.last_sync) if status.last_sync else _("never")
        print(_("Replies: read from {server} ({folder}); last sync {when}").format(
            server=status.imap_server, folder=status.imap_folder, when=when))  # fmt: skip
    else:
        print(_("Replies: not read automatically ('actdesk mail replies --enable')."))
    if status.last_error:
        print(_("Last problem: {error}").format(error=status.last_error))
    return 0


def replies_command(ctx: CliContext) -> int:
    from actdesk.services.mail.config import load_mail_settings, save_mail_settings

    a = ctx.args
    if a.port is not None and not 0 < a.port < 65536:
        raise UsageError(_("--port must be between 1 and 65535"))
    if a.poll is not None and a.poll < 10:
        raise UsageError(_("--poll must be at least 10 seconds"))
    settings = _settings()
    cfg = load_mail_settings(settings)
    cfg.imap_host = a.host or cfg.imap_host
    cfg.imap_port = a.port or cfg.imap_port
    cfg.imap_security = a.security or cfg.imap_security
    cfg.imap_user = a.user if a.user is not None else cfg.imap_user
    cfg.imap_folder = a.folder or cfg.imap_folder
    cfg.imap_poll_seconds = a.poll or cfg.imap_poll_seconds
    if a.enable:
        if not cfg.imap_host:
            raise UsageError(_("give the IMAP server with --host first"))
        cfg.imap_enabled = True
    if a.disable:
        cfg.imap_enabled = False
    save_mail_settings(settings, cfg)
    state = _("on") if cfg.imap_enabled else _("off")
    print(_("Replies: {host}:{port} ({security}), folder {folder}; reading in the background is {state}.").format(
        host=cfg.imap_host or "-", port=cfg.imap_port, security=cfg.imap_security, folder=cfg.imap_folder,
        state=state))  # fmt: skip
    return 0


def check_replies_command(ctx: CliContext) -> int:
    from actdesk.services.engagement.config import load_engagement_settings
    from actdesk.services.mail.config import load_mail_settings
    from actdesk.services.mail.imap_client import ImapAccountProblem, ImapOffline
    from actdesk.services.mail.imap_watch import WatchContext, check_replies
    from actdesk.services.schedule_zone import advisor_zone

    settings = _settings()
    cfg = load_mail_settings(settings)
    if not cfg.imap_host:
        raise UsageError(_("no incoming mail server is set: run 'actdesk mail replies --host ...' first"))
    watch = WatchContext(ctx.book(), cfg, load_engagement_settings(settings), advisor_zone(settings),
                         settings.general.language)  # fmt: skip
    try:
        report = check_replies(watch)
    except (ImapOffline, ImapAccountProblem) as exc:
        print(f"actdesk: {exc}", file=sys.stderr)
        return 1
    if ctx.args.json:
        ctx.print_json(report.to_json())
        return 0
    print(_("{n} new message(s) looked at; {filed} reply(ies) filed, {review} to review.").format(
        n=report.examined, filed=len(report.filed), review=len(report.needs_review)))  # fmt: skip
    for t in report.taken:
        print(f"  {t.outcome:<13} {t.household or '-':<28} {t.sender}  {t.subject}")
    return 0


def autodiscover_command(ctx: CliContext) -> int:
    from actdesk.services.mail.autodiscover import discover

    if "@" not in ctx.args.address:
        raise UsageError(_("{address} is not an e-mail address").format(address=ctx.args.address))
    found = discover(ctx.args.address)
    if ctx.args.json:
        ctx.print_json(found.__dict__ if found else None)
        return 0 if found else 1
    if found is None:
        print(_("No published settings were found (or the lookup is offline); enter them by hand."))
        return 1
    if found.provider != "password":
        print(_("This address is hosted by {provider}: use 'actdesk mail sign-in {provider}'.").format(
            provider=found.provider))  # fmt: skip
        return 0
    print(f"SMTP {found.smtp_host}:{found.smtp_port} ({found.smtp_security})")
    print(f"IMAP {found.imap_host}:{found.imap_port} ({found.imap_security})")
    print(_("login: {user}").format(user=found.username))
    return 0
