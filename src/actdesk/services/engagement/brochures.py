"""The advisor's brochure library and sending a brochure, only once the advisor approves it.

The library is a folder under the data dir (``brochures/``) of HTML and PDF files. An HTML brochure says
which life events it fits with ``<meta name="actdesk-events" content="inheritance,death">`` and its language
with ``<html lang="es">``; a PDF's events come from the words of its file name (``inheritance-guide.pdf``)
and its language from a parent folder named ``en`` or ``es``. On first use the folder is seeded with the
sample brochures shipped in resources.

An HTML brochure travels as the HTML part of a message composed by the mail module (a plain-text note is the
other part); a PDF goes as an attachment. Either way the message waits in the outbox like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, formataddr, make_msgid
from html.parser import HTMLParser
from pathlib import Path

from actdesk.domain.engagement.questionnaire import KINDS
from actdesk.domain.text import without_invisible
from actdesk.i18n import _
from actdesk.paths import resource
from actdesk.services.engagement.config import EngagementSettings, brochures_dir
from actdesk.services.engagement.followups import event_title
from actdesk.services.mail.campaigns import SKIP_REASONS, Sender, skip_reason
from actdesk.services.mail.compose import compose, mail_address
from actdesk.services.mail.merge import merge_context
from actdesk.services.mail.templates import RenderedMail
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as repo
from actdesk.storage.repositories import mail as mail_repo
from actdesk.storage.repositories.mail_audience import Recipient, load_recipients

SUFFIXES = (".html", ".htm", ".pdf")
NOTE = {
    "en": (
        "A short guide for you: {title}",
        "{salutation},\n\nFollowing the news of the {event}, here is a short guide that may help: "
        '"{title}". I would be glad to go through it with you.\n\n{signature}\n',
    ),
    "es": (
        "Una breve guía para usted: {title}",
        "{salutation},\n\nA raíz de la noticia ({event}), le envío una breve guía que puede serle útil: "
        "«{title}». Será un placer comentarla con usted.\n\n{signature}\n",
    ),
}


class BrochureProblem(Exception):
    """The brochure cannot be sent as asked; the message says why and what to do."""


@dataclass(frozen=True)
class BrochureFile:
    file_name: str
    title: str
    language: str
    kinds: tuple[str, ...]


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.title = ""
        self.kinds: tuple[str, ...] = ()
        self.lang = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = a.get("lang", "")[:2].lower()
        elif tag == "meta" and a.get("name", "").lower() == "actdesk-events":
            self.kinds = tuple(k.strip() for k in a.get("content", "").split(",") if k.strip() in KINDS)
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def describe_file(path: Path, folder: Path) -> BrochureFile:
    rel = path.relative_to(folder).as_posix()
    parent = path.parent.name.lower()
    folder_lang = parent if parent in ("en", "es") else ""
    if path.suffix.lower() == ".pdf":
        words = set(re.split(r"[^a-z_]+", path.stem.lower()))
        kinds = tuple(k for k in KINDS if k in words or k.replace("_", "-") in path.stem.lower())
        title = path.stem.replace("-", " ").replace("_", " ").strip().capitalize()
        return BrochureFile(rel, title, folder_lang or "en", kinds)
    head = _Head()
    head.feed(path.read_text(encoding="utf-8", errors="replace")[:20000])
    title = " ".join(without_invisible(head.title).split()) or path.stem.replace("-", " ").capitalize()
    return BrochureFile(rel, title, head.lang or folder_lang or "en", head.kinds)


def seed_samples(folder: Path) -> None:
    for lang in ("en", "es"):
        source = resource("brochures", lang)
        if not source.is_dir():
            continue
        target = folder / lang
        target.mkdir(parents=True, exist_ok=True)
        for node in source.iterdir():
            if node.name.endswith(SUFFIXES) and not (target / node.name).exists():
                (target / node.name).write_bytes(node.read_bytes())


def sync_library(book: Book, cfg: EngagementSettings) -> list[repo.Brochure]:
    """Register every brochure file in the folder (seeding the samples the first time) and list the library."""
    folder = brochures_dir(cfg)
    if not folder.exists():
        seed_samples(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    described = [describe_file(p, folder) for p in files]
    with book.session() as s:
        known = {b.file_name: b for b in repo.list_brochures(s)}
        for f in described:
            old = known.get(f.file_name)
            if old is None:
                repo.save_brochure(s, f.file_name, f.title, f.language, f.kinds)
        return repo.list_brochures(s)


def _recipient(book: Book, suggestion: repo.BrochureSuggestion, now: datetime) -> Recipient:
    with book.reader() as s:
        people = load_recipients(s, now, household_ids=[suggestion.household_id])
    chosen = [r for r in people if r.contact.id == suggestion.contact_id] or [
        r for r in people if str(r.contact.role) == "primary"
    ]
    if not chosen:
        raise BrochureProblem(
            _("{household} has no primary contact to send it to.").format(household=suggestion.household)
        )
    r = chosen[0]
    reason = skip_reason(r)
    if reason:
        raise BrochureProblem(
            _("Not sent to {name}: {reason}.").format(
                name=r.contact.full_name, reason=_(SKIP_REASONS[reason])
            )
        )
    return r


def build_brochure_message(
    suggestion: repo.BrochureSuggestion,
    path: Path,
    r: Recipient,
    sender: Sender,
    language: str,
    now: datetime,
    tz: tzinfo,
) -> tuple[str, bytes, str]:
    """(Message-ID, raw message, subject)."""
    ctx = merge_context(
        r,
        language=language,
        now=now,
        tz=tz,
        signature=sender.signature,
        practice=sender.practice,
        advisor=sender.advisor,
        currency=sender.currency,
    )
    subject_t, body_t = NOTE.get(language, NOTE["en"])
    event = event_title(suggestion.kind).lower()
    subject = subject_t.format(title=suggestion.brochure_title)
    text = body_t.format(
        salutation=ctx["salutation"], event=event, title=suggestion.brochure_title, signature=ctx["signature"]
    )
    assert r.contact.email is not None
    if path.suffix.lower() in (".html", ".htm"):
        html = path.read_text(encoding="utf-8", errors="replace")
        m = compose(
            RenderedMail(subject, text, html),
            sender=sender.address,
            sender_name=sender.name,
            to_addr=r.contact.email,
            to_name=r.contact.full_name,
            now=now,
            marketing=False,
            language=language,
            practice=sender.practice,
            reply_to=sender.reply_to,
        )
        return m.message_id, m.raw, m.subject
    frm = mail_address(sender.address, sender.name)
    msg = EmailMessage(policy=SMTP)
    msg["Message-ID"] = make_msgid(domain=frm.domain)
    msg["Date"] = format_datetime(now)
    msg["From"] = formataddr((frm.display_name, frm.addr_spec))
    msg["To"] = formataddr((r.contact.full_name, r.contact.email))
    if sender.reply_to:
        msg["Reply-To"] = sender.reply_to
    msg["Subject"] = subject
    msg.set_content(text)
    msg.add_attachment(path.read_bytes(), maintype="application", subtype="pdf", filename=path.name)
    return str(msg["Message-ID"]), msg.as_bytes(), subject


def approve_brochure(
    book: Book,
    life_event_id: int,
    cfg: EngagementSettings,
    sender: Sender,
    *,
    language: str,
    now: datetime,
    tz: tzinfo,
) -> int:
    """Queue the suggested brochure for this life event (the advisor approved it); returns the outbox id."""
    with book.reader() as s:
        suggestion = next((b for b in repo.pending_brochures(s) if b.life_event_id == life_event_id), None)
    if suggestion is None:
        raise BrochureProblem(_("There is no brochure waiting for approval for this life event."))
    path = brochures_dir(cfg) / suggestion.file_name
    if not path.is_file():
        raise BrochureProblem(
            _("The brochure file {path} is missing; put it back or choose another.").format(path=path)
        )
    r = _recipient(book, suggestion, now)
    message_id, raw, subject = build_brochure_message(
        suggestion, path, r, sender, suggestion.language or language, now, tz
    )
    with book.session() as s:
        [pk] = mail_repo.add_messages(
            s,
            [
                mail_repo.NewMessage(
                    message_id,
                    raw,
                    r.contact.email or "",
                    sender.address,
                    subject,
                    now,
                    False,
                    "brochure",
                    None,
                    suggestion.household_id,
                    r.contact.id,
                    None,
                    f"brochure:{life_event_id}",
                )
            ],
        )
        if not repo.decide_brochure(s, life_event_id, "queued", now, pk):
            raise BrochureProblem(_("This brochure was already approved or declined."))
    return pk


def decline_brochure(book: Book, life_event_id: int, now: datetime) -> bool:
    with book.session() as s:
        return repo.decide_brochure(s, life_event_id, "declined", now)
