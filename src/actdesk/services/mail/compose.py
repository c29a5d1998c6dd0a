"""Build the complete message (headers, plain and HTML parts) before any sending; sending is someone else's job."""

from __future__ import annotations

import binascii
import html as html_lib
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.header import Header
from email.headerregistry import Address
from email.utils import format_datetime, formataddr, make_msgid

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


def _header(name: str, value: str) -> bytes:
    """One header, RFC 2047-encoded when not ASCII, folded below 78 characters."""
    charset = "us-ascii" if value.isascii() else "utf-8"
    encoded = Header(value, charset, header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}\r\n".encode("ascii")


def _address(address: Address) -> str:
    return formataddr((address.display_name, address.addr_spec), charset="utf-8")


def _qp(text: str) -> bytes:
    """Quoted-printable UTF-8 with CRLF line ends: 7-bit safe, lines never longer than 76."""
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    return binascii.b2a_qp(normal.encode("utf-8"), istext=True).replace(b"\n", b"\r\n")


def _part(subtype: str, text: str) -> bytes:
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
    body = _qp(text)
    return head.encode("ascii") + body + (b"" if body.endswith(b"\r\n") else b"\r\n")


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
    """An RFC 5322 message with its own Message-ID; marketing mail carries List-Unsubscribe and an unsubscribe line.

    Written directly rather than through ``email.message.EmailMessage``: the structure is always the same
    (one text part, or text and HTML alternatives) and the header registry costs milliseconds per message,
    which a 5,000-recipient campaign notices. The tests parse every message back with the email package.
    """
    from_address = mail_address(sender, sender_name)
    to_address = mail_address(to_addr, to_name)
    message_id = make_msgid(domain=from_address.domain)
    subject = header_safe(rendered.subject)
    text, html = rendered.text, rendered.html
    headers = [
        _header("Message-ID", message_id),
        _header("Date", format_datetime(now)),
        b"From: " + _address(from_address).encode("ascii") + b"\r\n",
        b"To: " + _address(to_address).encode("ascii") + b"\r\n",
    ]
    if reply_to:
        headers.append(b"Reply-To: " + _address(mail_address(reply_to)).encode("ascii") + b"\r\n")
    headers.append(_header("Subject", subject))
    if marketing:
        line = unsubscribe_line(language, practice or sender_name or sender, sender)
        headers.append(_header("List-Unsubscribe", f"<mailto:{from_address.addr_spec}?subject=unsubscribe>"))
        text = text.rstrip("\n") + "\n\n-- \n" + line + "\n"
        if html is not None:
            footer = f'<p style="color:#6b7280;font-size:12px">{html_lib.escape(line)}</p>'
            html = html.replace("</body>", footer + "</body>") if "</body>" in html else html + footer
    headers.append(b"MIME-Version: 1.0\r\n")
    if html is None:
        raw = b"".join(headers) + _part("plain", text)
    else:
        boundary = "=_actdesk_" + secrets.token_hex(12)  # "=_" never occurs in quoted-printable text
        headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'.encode("ascii"))
        delimiter = f"--{boundary}\r\n".encode("ascii")
        raw = (
            b"".join(headers)
            + b"\r\n"
            + delimiter
            + _part("plain", text)
            + delimiter
            + _part("html", html)
            + f"--{boundary}--\r\n".encode("ascii")
        )
    return Composed(message_id, raw, to_address.addr_spec, from_address.addr_spec, subject)
