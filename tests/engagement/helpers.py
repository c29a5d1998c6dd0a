"""A small book for the engagement tests and a reply built the way a mail client builds one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import format_datetime, make_msgid
from typing import Any

from tests import factories as f

from actdesk.storage.engine import Book

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class SmallBook:
    smith: int
    ann: int
    bob: int
    jones: int
    cat: int
    lee: int
    dan: int
    shared: int  # a second household sharing Dan's address


def small_book(book: Book) -> SmallBook:
    """Smith (Ann + Bob) and Jones (Cat) with reviews coming up; Lee (Dan); Dan's address is also on Ro."""
    with book.session() as s:
        smith = f.household(s, "Smith household", since=date(2015, 1, 1))
        ann = f.contact(s, smith, "Ann", "Smith", email="ann@example.org")
        bob = f.contact(s, smith, "Bob", "Smith", role="spouse", email="bob@example.org")
        jones = f.household(s, "Jones household", since=date(2019, 6, 1))
        cat = f.contact(s, jones, "Cat", "Jones", email="cat@example.org")
        lee = f.household(s, "Lee household")
        dan = f.contact(s, lee, "Dan", "Lee", email="dan@example.org")
        ro = f.household(s, "Ro household")
        f.contact(s, ro, "Kim", "Ro", email="dan@example.org")
        f.activity(s, smith, kind="review", start=NOW + timedelta(days=20), subject="Semi-annual review")
        f.activity(s, jones, kind="review", start=NOW + timedelta(days=10), subject="Semi-annual review")
    return SmallBook(smith, ann, bob, jones, cat, lee, dan, ro)


def quoted(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.rstrip("\n").split("\n"))


def reply_to(
    original: bytes,
    body_above: str,
    *,
    fill: dict[str, str] | None = None,
    sender: str | None = None,
    html_only: bool = False,
    keep_references: bool = True,
) -> bytes:
    """A reply as a mail client writes it: Re: subject, In-Reply-To/References, the original quoted below
    (with ``fill`` replacements applied inside the quote, as a client typing in the quoted text)."""
    msg = message_from_bytes(original, policy=default)
    plain = msg.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
    for old, new in (fill or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    to = msg["To"].addresses[0].addr_spec
    reply = EmailMessage()
    reply["From"] = sender or to
    reply["To"] = msg["From"]
    reply["Subject"] = "Re: " + str(msg["Subject"])
    reply["Date"] = format_datetime(NOW + timedelta(days=2))
    reply["Message-ID"] = make_msgid(domain="example.org")
    if keep_references:
        reply["In-Reply-To"] = msg["Message-ID"]
        reply["References"] = msg["Message-ID"]
    body = body_above + "\n\nOn Mon, 2 Mar 2026, Pat Advisor wrote:\n" + quoted(text) + "\n"
    if html_only:
        lines = "".join(f"{line}<br>" for line in body_above.split("\n"))
        quote = "".join(f"{line}<br>\n" for line in text.split("\n"))
        reply.set_content(
            f"<html><body><div>{lines}</div><blockquote>{quote}</blockquote></body></html>", subtype="html"
        )
    else:
        reply.set_content(body)
    return reply.as_bytes()


def delivered_to(server: Any, address: str) -> bytes:
    found = [e for e in server.delivered if e.rcpt_tos == [address]]
    assert len(found) == 1, [e.rcpt_tos for e in server.delivered]
    return bytes(found[0].original_content)
