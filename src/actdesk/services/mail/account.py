"""The account settings dialog's "send test message": one message straight to the server, nothing queued."""

from __future__ import annotations

from datetime import datetime

from actdesk.i18n import _
from actdesk.services.mail.compose import compose
from actdesk.services.mail.config import MailConfigError, MailSettings, load_mail_settings
from actdesk.services.mail.smtp import SmtpAccount, SmtpSession
from actdesk.services.mail.templates import RenderedMail
from actdesk.services.mail.transports import Transport, open_transport
from actdesk.settings import Settings


def send_test_message(
    settings: Settings,
    to_addr: str,
    now: datetime,
    cfg: MailSettings | None = None,
    password: str | None = None,
) -> str:
    """Connect, log in (password or sign-in token) and send over the account's transport; return the
    server's reply. Raises a readable error at the first problem."""
    session: Transport
    cfg = cfg or load_mail_settings(settings)
    if not cfg.configured:
        raise MailConfigError(_("No mail account is set up. Run 'actdesk mail configure' first."))
    rendered = RenderedMail(
        _("actdesk test message"),
        _("This is a test message from actdesk. If you can read it, the mail account works.") + "\n",
        None,
    )
    message = compose(
        rendered,
        sender=cfg.sender,
        sender_name=cfg.from_name,
        to_addr=to_addr,
        to_name="",
        now=now,
        marketing=False,
    )
    session = SmtpSession(SmtpAccount.from_settings(cfg), password) if password else open_transport(cfg)
    session.connect()
    try:
        return session.send(message.raw, message.from_addr, [message.to_addr])
    finally:
        session.close()
