"""Build the complete message (headers, plain and HTML parts) before any sending; sending is someone else's job."""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid

from actdesk.services.mail.templates import RenderedMail, header_safe

UNSUBSCRIBE_LINES = {
    "en": "You receive this e-mail as a client or friend of {practice}. To stop receiving these e-mails, "
    "reply with the word UNSUBSCRIBE or write to {address}.",
    "es": "Recibe este correo como cliente o amigo de {practice}. Para dejar de recibir estos correos, "
    "responda con la palabra BAJA o escriba a {address}.",
}


class AddressProblem(ValueError):
    """An e-mail address that cannot be put in a header (empty, malformed or containing line breaks)."""


@dataclass(frozen=True)
class Composed:
    message_id: str
    raw: bytes
    to_addr: str
    from_addr: str
    subject: str


def mail_address(addr: str, name: str = "") -> Address:
    cleaned = addr.strip()
    if not cleaned or any(c in cleaned for c in '\r\n <>,;"') or cleaned.count("@") != 1:
        raise AddressProblem(cleaned)
    local, _, domain = cleaned.partition("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
        raise AddressProblem(cleaned)
    try:
        return Address(display_name=header_safe(name), username=local, domain=domain)
    except (ValueError, IndexError) as exc:
        raise AddressProblem(cleaned) from exc


def unsubscribe_line(language: str, practice: str, address: str) -> str:
    return UNSUBSCRIBE_LINES.get(language, UNSUBSCRIBE_LINES["en"]).format(practice=practice, address=address)


def compose(
    rendered: RenderedMail,
    *,
    sender: str,
    sender_name: str,
    to_addr: str,
    to_name: str,
    now: datetime,
    marketing: bool,
    language: str = "en",
    practice: str = "",
    reply_to: str = "",
) -> Composed:
    """An RFC 5322 message with its own Message-ID; marketing mail carries List-Unsubscribe and an unsubscribe line."""
    from_address = mail_address(sender, sender_name)
    to_address = mail_address(to_addr, to_name)
    msg = EmailMessage(policy=SMTP)
    message_id = make_msgid(domain=from_address.domain)
    msg["Message-ID"] = message_id
    msg["Date"] = format_datetime(now)
    msg["From"] = from_address
    msg["To"] = to_address
    if reply_to:
        msg["Reply-To"] = mail_address(reply_to)
    msg["Subject"] = header_safe(rendered.subject)
    text, html = rendered.text, rendered.html
    if marketing:
        line = unsubscribe_line(language, practice or sender_name or sender, sender)
        msg["List-Unsubscribe"] = f"<mailto:{from_address.addr_spec}?subject=unsubscribe>"
        text = text.rstrip("\n") + "\n\n-- \n" + line + "\n"
        if html is not None:
            footer = f'<p style="color:#6b7280;font-size:12px">{html_lib.escape(line)}</p>'
            html = html.replace("</body>", footer + "</body>") if "</body>" in html else html + footer
    msg.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return Composed(
        message_id, msg.as_bytes(policy=SMTP), to_address.addr_spec, from_address.addr_spec, msg["Subject"]
    )
