"""One pass of the reply watcher: take new replies from the mailbox, file them, mark them, say what happened.

A message is a reply for us when it answers one of our sent messages (In-Reply-To/References: a questionnaire
or an event invitation) or comes from a contact of the book and carries questionnaire answers or its token.
Anything else in the inbox is left untouched (fetched with BODY.PEEK: not even marked read).

Each reply goes: read (nothing written) -> claim committed by UIDVALIDITY/UID -> filed exactly as
``actdesk questionnaire read --apply`` files it (``read_reply`` + ``apply_reply``, one unit of work that also
records the reply's fingerprint) -> ``filed`` committed -> keyword stored on the server -> ``marked``. A crash
at any step is finished by the next pass: a claim without a filing is filed (the fingerprint makes that
at-most-once), a filing without the keyword gets its keyword. Messages are never deleted or moved.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, tzinfo
from email import message_from_bytes
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default
from email.utils import parseaddr
from typing import Any, cast

from imapclient import IMAPClient
from sqlalchemy.exc import IntegrityError

from actdesk.domain.text import without_invisible
from actdesk.i18n import _
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.engagement.events import EventProblem, record_rsvp
from actdesk.services.engagement.replies import (
    ReplyResult,
    apply_reply,
    body_text,
    read_reply,
)
from actdesk.services.mail.rsvp import rsvp_answer
from actdesk.storage.engine import Book
from actdesk.storage.repositories import engagement as people_repo
from actdesk.storage.repositories import mail_inbox as repo

FILED = "$ActdeskFiled"  # filed in the book
REVIEW = "$ActdeskReview"  # read, but the advisor must look (unknown sender, unclear answer)
HEADERS = b"BODY.PEEK[HEADER.FIELDS (FROM MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT)]"
HEADERS_KEY = b"BODY[HEADER.FIELDS (FROM MESSAGE-ID IN-REPLY-TO REFERENCES SUBJECT)]"
BODY = b"BODY.PEEK[]"
CHUNK = 200
FIRST_SCAN = timedelta(days=365)

Observer = Callable[[str, int], None]  # (stage, uid): "claimed", "filed", "marked"


@dataclass(frozen=True)
class TakenReply:
    item_id: int
    uid: int
    kind: str  # questionnaire | rsvp
    outcome: str
    sender: str
    subject: str
    household_id: int | None
    household: str
    events_filed: int
    problem: str | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class CheckReport:
    account: str
    folder: str
    uidvalidity: int = 0
    examined: int = 0
    taken: list[TakenReply] = field(default_factory=list)
    finished_after_crash: int = 0
    keywords_supported: bool = True

    @property
    def filed(self) -> list[TakenReply]:
        return [t for t in self.taken if t.outcome in ("filed", "yes", "no", "maybe")]

    @property
    def needs_review(self) -> list[TakenReply]:
        return [t for t in self.taken if t not in self.filed and t.outcome != "already_filed"]

    def to_json(self) -> dict[str, Any]:
        return {
            "account": self.account,
            "folder": self.folder,
            "uidvalidity": self.uidvalidity,
            "examined": self.examined,
            "filed": len(self.filed),
            "needs_review": len(self.needs_review),
            "finished_after_crash": self.finished_after_crash,
            "replies": [t.to_json() for t in self.taken],
        }


@dataclass(frozen=True)
class _Candidate:
    uid: int
    kind: str  # questionnaire | rsvp | maybe
    sender: str
    subject: str
    message_id: str | None
    invitation: repo.SentRef | None


def _refs(headers: Any) -> list[str]:
    ids: list[str] = []
    for name in ("In-Reply-To", "References"):
        ids += [p for p in str(headers.get(name, "")).split() if p.startswith("<")]
    return ids


def _classify(book: Book, headers: dict[int, Any]) -> list[_Candidate]:
    with book.reader() as s:
        refs = repo.sent_refs(s, sorted({r for h in headers.values() for r in _refs(h)}))
        by_id = {r.message_id: r for r in refs}
        out: list[_Candidate] = []
        for uid, h in sorted(headers.items()):
            sender = without_invisible(parseaddr(str(h.get("From", "")))[1]).strip()
            mine = [by_id[r] for r in _refs(h) if r in by_id]
            invitation = next((r for r in mine if r.kind == "invitation"), None)
            if invitation is not None:
                kind = "rsvp"
            elif any(r.kind == "questionnaire" for r in mine):
                kind = "questionnaire"
            elif sender and people_repo.people_by_email(s, sender):
                kind = "maybe"
            else:
                continue
            # Kept in the book: a header's stray control character or bidi mark is taken out (domain/text.py)
            mid = without_invisible(str(h.get("Message-ID", ""))).strip() or None
            subject = without_invisible(str(h.get("Subject", "")))
            out.append(_Candidate(uid, kind, sender, subject, mid, invitation))
    return out


def _parse(raw: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(raw, policy=default))


class ReplyPass:
    """Everything one pass needs; ``run(client)`` works on a logged-in connection."""

    def __init__(
        self,
        book: Book,
        engagement: EngagementSettings,
        *,
        account: str,
        folder: str,
        now: Callable[[], datetime],
        tz: tzinfo,
        language: str = "en",
        observe: Observer | None = None,
        pause: float = 0.0,
    ) -> None:
        self.book, self.engagement = book, engagement
        self.account, self.folder = account.lower(), folder
        self.now, self.tz, self.language = now, tz, language
        self.observe = observe or (lambda stage, uid: None)
        # Behind the window, a short sleep after each reply leaves the GIL to the GUI thread even on a
        # loaded machine (the watcher is not in a hurry; the window is).
        self.pause = pause

    def run(self, client: IMAPClient) -> CheckReport:
        report = CheckReport(self.account, self.folder)
        info = client.select_folder(self.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        report.uidvalidity = uidvalidity
        report.keywords_supported = b"\\*" in tuple(info.get(b"PERMANENTFLAGS", ()))
        with self.book.reader() as s:
            sync = repo.sync_state(s, self.account, self.folder)
            pending = repo.unfinished(s, self.account, self.folder, uidvalidity)
        last_uid = sync.last_uid if sync and sync.uidvalidity == uidvalidity else 0
        self._finish(client, pending, report)
        criteria: list[Any] = ["UID", f"{last_uid + 1}:*", "UNKEYWORD", FILED, "UNKEYWORD", REVIEW]
        if last_uid == 0:
            # First look at this folder: only what arrived since our first questionnaire or invitation of the
            # past year, not years of ordinary mail from clients.
            with self.book.reader() as s:
                first = repo.first_outreach(s, self.now() - FIRST_SCAN)
            since = (first or self.now()) - timedelta(days=1)
            criteria += ["SINCE", since.date()]
        found = client.search(criteria)
        uids = sorted(u for u in found if u > last_uid)
        for start in range(0, len(uids), CHUNK):
            chunk = uids[start : start + CHUNK]
            report.examined += len(chunk)
            self._chunk(client, uidvalidity, chunk, report)
            with self.book.session() as s:
                repo.save_sync(s, self.account, self.folder, uidvalidity, chunk[-1], self.now())
        if not uids:
            with self.book.session() as s:
                repo.save_sync(s, self.account, self.folder, uidvalidity, last_uid, self.now())
        return report

    def _finish(self, client: IMAPClient, pending: list[repo.InboxItem], report: CheckReport) -> None:
        """Complete what a crash interrupted: file claims again (the reply's fingerprint, recorded with its
        filing, makes that a no-op for those already filed), store the missing keywords."""
        if not pending:
            return
        claimed = [p for p in pending if p.state == "claimed"]
        if claimed:
            bodies = client.fetch([p.uid for p in claimed], [BODY])
            work: list[tuple[int, _Candidate, EmailMessage | None]] = []
            for p in claimed:
                raw = bodies.get(p.uid, {}).get(b"BODY[]")
                msg = _parse(raw) if raw is not None else None
                invitation = None
                if msg is not None and p.kind == "rsvp":
                    with self.book.reader() as s:
                        refs = repo.sent_refs(s, _refs(msg))
                    invitation = next((r for r in refs if r.kind == "invitation"), None)
                cand = _Candidate(p.uid, p.kind, p.sender, p.subject, p.message_id, invitation)
                work.append((p.id, cand, msg))
            self._file_all(work, report)
        with self.book.reader() as s:
            done = [p for p in repo.unfinished(s, self.account, self.folder, report.uidvalidity)
                    if p.state == "filed"]  # fmt: skip
        self._mark(client, done, report)
        report.finished_after_crash += len(pending)

    def _chunk(self, client: IMAPClient, uidvalidity: int, uids: list[int], report: CheckReport) -> None:
        parser = BytesHeaderParser(policy=default)
        fetched = client.fetch(uids, [HEADERS])
        headers = {uid: parser.parsebytes(data.get(HEADERS_KEY, b"")) for uid, data in fetched.items()}
        candidates = _classify(self.book, headers)
        if not candidates:
            return
        with self.book.reader() as s:
            known = repo.known_uids(s, self.account, self.folder, uidvalidity, [c.uid for c in candidates])
        candidates = [c for c in candidates if c.uid not in known]
        bodies = client.fetch([c.uid for c in candidates], [BODY]) if candidates else {}
        chosen: list[tuple[_Candidate, EmailMessage, ReplyResult | None]] = []
        for c in candidates:
            raw = bodies.get(c.uid, {}).get(b"BODY[]")
            if raw is None:
                continue
            msg = _parse(raw)
            result = None
            if c.kind != "rsvp":
                result = read_reply(self.book, msg, self.engagement, self.language)  # reads, writes nothing
                if c.kind == "maybe" and not (result.parsed.tokens or result.parsed.answers):
                    continue  # an ordinary e-mail from a client: not ours to touch
                c = replace(c, kind="questionnaire")
            chosen.append((c, msg, result))
        if not chosen:
            return
        claims = [repo.NewClaim(c.uid, c.message_id, c.sender, c.subject, c.kind) for c, _m, _r in chosen]
        try:
            with self.book.session() as s:
                ids = repo.claim_all(s, account=self.account, folder=self.folder, uidvalidity=uidvalidity,
                                     claims=claims, now=self.now())  # fmt: skip
        except IntegrityError:
            return  # another actdesk (window and command line) claimed these meanwhile: they are its
        for c, _m, _r in chosen:
            if c.uid in ids:
                self.observe("claimed", c.uid)
        self._file_all([(ids[c.uid], c, m) for c, m, _r in chosen if c.uid in ids], report,
                       {c.uid: r for c, _m, r in chosen if r is not None})  # fmt: skip
        with self.book.reader() as s:
            filed = [
                p for p in repo.unfinished(s, self.account, self.folder, uidvalidity) if p.state == "filed"
            ]
        self._mark(client, filed, report)

    def _file_all(
        self,
        work: list[tuple[int, _Candidate, EmailMessage | None]],
        report: CheckReport,
        read: dict[int, ReplyResult] | None = None,
    ) -> None:
        """File each claimed reply (each filing is its own unit of work, as ``questionnaire read`` does), then
        record all verdicts in one transaction: a crash in between only repeats no-op filings."""
        filings: list[repo.Filing] = []
        for item_id, c, msg in work:
            taken = self._file(item_id, c, msg, (read or {}).get(c.uid))
            if self.pause:
                time.sleep(self.pause)
            report.taken.append(taken)
            filings.append(repo.Filing(item_id, taken.outcome, taken.household_id, taken.events_filed,
                                       taken.problem))  # fmt: skip
        with self.book.session() as s:
            repo.mark_filed(s, filings, self.now())
        for _item_id, c, _msg in work:
            self.observe("filed", c.uid)

    def _file(
        self, item_id: int, c: _Candidate, msg: EmailMessage | None, result: ReplyResult | None
    ) -> TakenReply:
        household_id: int | None = None
        household, problem, events = "", None, 0
        if msg is None:  # the advisor deleted it meanwhile: nothing to file
            outcome = "gone"
        elif c.kind == "rsvp":
            if c.invitation is None:  # the invitation was deleted meanwhile
                outcome = "unmatched"
            else:
                outcome, household_id, household, problem = self._rsvp(msg, c)
        else:
            now = self.now()
            if result is None:
                result = read_reply(self.book, msg, self.engagement, self.language)
            result = apply_reply(self.book, result, self.engagement, now=now,
                                 today=now.astimezone(self.tz).date(), language=self.language)  # fmt: skip
            outcome, household_id, household = result.status, result.household_id, result.household
            events = len(result.filed)
            problem = "; ".join(result.problems) or None
        kind = "rsvp" if c.kind == "rsvp" else "questionnaire"
        return TakenReply(item_id, c.uid, kind, outcome, c.sender, c.subject, household_id, household or "",
                          events, problem)  # fmt: skip

    def _rsvp(self, msg: EmailMessage, c: _Candidate) -> tuple[str, int | None, str, str | None]:
        inv = c.invitation
        assert inv is not None and inv.event_id is not None and inv.contact_id is not None
        with self.book.reader() as s:
            invited = people_repo.person(s, inv.contact_id)
            senders = people_repo.people_by_email(s, c.sender)
        if invited is None or all(p.household_id != invited.household_id for p in senders):
            return (
                "unmatched",
                None,
                "",
                _(
                    "The answer comes from {address}, who is not in the invited household: nothing was recorded."
                ).format(address=c.sender or "?"),
            )
        answer = rsvp_answer(msg, body_text(msg))
        if answer is None:
            return "unclear", invited.household_id, invited.household_name or "", None
        try:
            record_rsvp(self.book, inv.event_id, inv.contact_id, answer)
        except EventProblem as exc:
            return "unmatched", invited.household_id, invited.household_name or "", str(exc)
        return answer, invited.household_id, invited.household_name or "", None

    def _mark(self, client: IMAPClient, items: list[repo.InboxItem], report: CheckReport) -> None:
        if not items:
            return
        done = [i for i in items if i.outcome in ("filed", "already_filed", "yes", "no", "maybe")]
        review = [i for i in items if i not in done]
        if report.keywords_supported:
            if done:
                client.add_flags([i.uid for i in done], [FILED], silent=True)
            if review:
                client.add_flags([i.uid for i in review], [REVIEW], silent=True)
        for i in items:
            self.observe("marked", i.uid)
        with self.book.session() as s:
            repo.mark_marked(s, [i.id for i in items], self.now())
