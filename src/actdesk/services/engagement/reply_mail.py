"""Reading reply messages as mail programs really write them: .eml, .mbox and Outlook .msg files.

Headers are read defensively: a header Python's e-mail package cannot parse (``From: Devon Wilson.<d@x>``,
``Message-ID: <[id@domain.com]>``, an address with a stray CR/LF) is treated as missing, with a note, and the
reply is still matched by its token. Thunderbird's ``format=flowed`` text is unwrapped (RFC 3676) so a note is
never cut at a soft line break. Outlook ``.msg`` files (what an advisor drags out of Outlook) are read with the
``extract-msg`` package and turned into an ordinary message.
"""

from __future__ import annotations

import hashlib
import mailbox
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from email.policy import default
from email.utils import format_datetime, parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any, cast

from actdesk.domain.engagement.html_text import html_to_text
from actdesk.domain.text import without_invisible
from actdesk.i18n import _

MAX_FILE_BYTES = 50 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ReplyFileError(Exception):
    """A file that is not a readable e-mail or mailbox; the message says which and why."""


@dataclass
class Headers:
    """The headers a reply is matched by, each "" when missing or unreadable (``notes`` says which)."""

    sender: str = ""
    subject: str = ""
    message_id: str = ""
    date: str = ""
    references: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _raw(msg: Message, name: str) -> str:
    """The header's raw text, without the e-mail package's parsing (which raises on malformed values)."""
    for key, value in msg.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _decoded(raw: str) -> str:
    try:
        return str(make_header(decode_header(raw)))
    except (ValueError, LookupError, UnicodeError, TypeError):
        return raw


def headers(msg: Message) -> Headers:
    """Sender, subject, id, date and references; an unreadable one is missing, with a note."""
    found = Headers()
    values: dict[str, str] = {}
    for name in ("From", "Subject", "Message-ID", "Date", "In-Reply-To", "References"):
        try:
            values[name] = without_invisible(str(msg.get(name, "") or ""))  # the book keeps none
        except (
            Exception
        ):  # the e-mail package raises AttributeError, IndexError, ValueError... on bad headers
            raw = without_invisible(_raw(msg, name))
            values[name] = raw if name in ("Message-ID", "In-Reply-To", "References") else ""
            if name in ("From", "Subject", "Date"):
                values[name] = _decoded(raw) if name == "Subject" else ""
            found.notes.append(
                _("The {header} header could not be read ({value}); it was treated as missing.").format(
                    header=name, value=" ".join(raw.split())[:80]
                )
            )
    sender = parseaddr(" ".join(values["From"].split()))[1].strip()
    if values["From"] and "@" not in sender:
        sender = ""
        found.notes.append(
            _("The From header could not be read ({value}); it was treated as missing.").format(
                value=" ".join(values["From"].split())[:80]
            )
        )
    found.sender = sender
    found.subject = " ".join(values["Subject"].split())
    found.message_id = " ".join(values["Message-ID"].split())[:250]
    found.date = values["Date"]
    for name in ("In-Reply-To", "References"):
        found.references += [part for part in values[name].split() if part.startswith("<")]
    return found


def unflow(text: str, delsp: bool = False) -> str:
    """Plain text of a ``format=flowed`` part (RFC 3676): lines ending in a space continue on the next line
    of the same quote depth; the space-stuffing of lines starting with a space is undone."""
    out: list[str] = []
    pending: str | None = None
    pending_depth = -1
    for raw in text.replace("\r\n", "\n").split("\n"):
        depth = len(raw) - len(raw.lstrip(">"))
        line = raw[depth:]
        if line.startswith(" "):
            line = line[1:]
        prefix = "> " * depth
        flowed = line.endswith(" ") and line.rstrip() != "--"
        if pending is not None and depth == pending_depth:
            line = pending + line
        elif pending is not None:
            out.append(("> " * pending_depth) + pending.rstrip())
        pending = None
        if flowed:
            pending, pending_depth = (line[:-1] if delsp else line), depth
            continue
        out.append(prefix + line)
    if pending is not None:
        out.append(("> " * pending_depth) + pending.rstrip())
    return "\n".join(out)


def body_text(msg: EmailMessage) -> str:
    """The reply's plain text: format=flowed unwrapped; an HTML-only reply converted, keeping lines and quotes;
    without the invisible characters the book does not keep (domain/text.py)."""
    return without_invisible(_body_text(msg))


def _body_text(msg: EmailMessage) -> str:
    try:
        part = msg.get_body(preferencelist=("plain",))
        if part is not None:
            content = str(cast(EmailMessage, part).get_content())
            if str(part.get_param("format", "") or "").lower() == "flowed":
                content = unflow(content, str(part.get_param("delsp", "") or "").lower() == "yes")
            return content
        part = msg.get_body(preferencelist=("html",))
        if part is not None:
            return html_to_text(str(cast(EmailMessage, part).get_content()))
    except (LookupError, ValueError, AttributeError, TypeError, IndexError):
        payload = msg.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload.decode("utf-8", errors="replace")
    return ""


def fingerprint(msg: Message, message_id: str) -> str:
    if message_id:
        return message_id[:250]
    try:
        data = msg.as_bytes()
    except Exception:  # a message with unparseable headers cannot always be serialised again
        data = str(msg.get_payload()).encode("utf-8", errors="replace")
    return "sha256:" + hashlib.sha256(data).hexdigest()


def received_at(date_header: str) -> Any:
    try:
        when = parsedate_to_datetime(date_header)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else None


def _from_msg_file(path: Path) -> EmailMessage:
    """An Outlook .msg file as an ordinary message (sender, subject, date, ids, plain or HTML body)."""
    try:
        import extract_msg
    except ImportError:  # pragma: no cover - a dependency
        raise ReplyFileError(_("{path}: Outlook .msg files cannot be read here.").format(path=path)) from None
    try:
        source = extract_msg.openMsg(str(path), strict=False)
    except Exception as exc:  # the library raises its own errors for damaged files
        raise ReplyFileError(
            _("{path} could not be read as an Outlook message: {error}").format(path=path, error=exc)
        ) from None
    try:
        msg = EmailMessage()
        for name, value in (
            ("From", getattr(source, "sender", None)),
            ("To", getattr(source, "to", None)),
            ("Subject", getattr(source, "subject", None)),
            ("Message-ID", getattr(source, "messageId", None)),
            ("In-Reply-To", getattr(source, "inReplyTo", None)),
        ):
            if value:
                try:
                    msg[name] = " ".join(str(value).split())
                except (ValueError, TypeError):
                    continue
        when = getattr(source, "date", None)
        if when is not None and getattr(when, "tzinfo", None) is not None:
            msg["Date"] = format_datetime(when)
        body = getattr(source, "body", None)
        html = getattr(source, "htmlBody", None)
        if body:
            msg.set_content(str(body))
        elif html:
            text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else str(html)
            msg.set_content(text, subtype="html")
        else:
            msg.set_content("")
        return msg
    finally:
        source.close()


def read_messages(path: Path) -> list[EmailMessage]:
    """The messages of an .eml file (one), an mbox file (any number) or an Outlook .msg file (one)."""
    try:
        size = path.stat().st_size
        head = path.read_bytes()[:8] if size else b""
    except OSError as exc:
        raise ReplyFileError(
            _("{path} could not be read: {error}").format(path=path, error=exc.strerror)
        ) from None
    if size > MAX_FILE_BYTES:
        raise ReplyFileError(
            _("{path} is too large to be a reply ({mb} MB).").format(path=path, mb=size // 2**20)
        )
    if head == OLE_MAGIC or path.suffix.lower() == ".msg":
        return [_from_msg_file(path)]
    if path.suffix.lower() == ".mbox" or head[:5] == b"From ":
        box = mailbox.mbox(str(path), create=False)
        try:
            return [
                cast(EmailMessage, message_from_bytes(box.get_bytes(k), policy=default))
                for k in box.iterkeys()
            ]
        finally:
            box.close()
    raw = path.read_bytes()
    msg = cast(EmailMessage, message_from_bytes(raw, policy=default))
    if not _raw(msg, "From") and not _raw(msg, "Message-ID"):
        raise ReplyFileError(_("{path} does not look like an e-mail message (.eml).").format(path=path))
    return [msg]
