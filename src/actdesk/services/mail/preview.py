"""Render a template for one real contact, exactly as it would be sent (the editor's live preview).

The anniversary template shows the fields of the contact's next relationship anniversary, as the automation
will write them (``services/mail/anniversary.py``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from actdesk.i18n import _
from actdesk.services.mail import anniversary
from actdesk.services.mail.config import load_mail_settings
from actdesk.services.mail.merge import merge_context
from actdesk.services.mail.templates import MailTemplate, RenderedMail, render
from actdesk.settings import Settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories.mail_audience import load_recipients


def preview_for_contact(
    book: Book,
    settings: Settings,
    template: MailTemplate,
    contact_id: int,
    now: datetime,
    tz: tzinfo,
    extra: dict[str, Any] | None = None,
) -> RenderedMail:
    with book.reader() as s:
        found = load_recipients(s, now, contact_ids=[contact_id])
    if not found:
        raise LookupError(_("There is no contact {id}.").format(id=contact_id))
    if template.name == anniversary.TEMPLATE:  # the years the note will say on its day, not today's
        due = anniversary.next_anniversary(found[0], now.astimezone(tz).date())
        extra = {**(due.fields() if due else {}), **(extra or {})}
    cfg = load_mail_settings(settings)
    general = settings.general
    context = merge_context(
        found[0],
        language=template.language,
        now=now,
        tz=tz,
        signature=cfg.signature,
        practice=general.practice(),
        advisor=general.advisor_name,
        currency=general.currency,
        extra=extra,
    )
    return render(template, context)
