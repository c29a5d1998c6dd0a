"""Send what is due, at most once: claim (committed) -> hand to the server -> record the verdict (committed).

A message is never sent twice silently: it is committed as "sending" before the server sees it, so a crash
leaves it in "sending", and the next run marks it "uncertain" for the advisor to decide. Temporary trouble
(4xx, network down) backs off exponentially; permanent refusals (5xx) fail with the server's words. The rate
limit counts hand-overs recorded in the book, so it holds across runs and restarts.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from actdesk.i18n import _
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.smtp import (
    ConnectionProblem,
    PermanentFailure,
    TemporaryFailure,
    UncertainOutcome,
)
from actdesk.services.mail.transports import Transport, open_transport
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail as repo

# A "sending" row younger than this may belong to a run still talking to the server (the window and the
# command line can both send); older ones were interrupted.
STALE_SENDING = timedelta(minutes=3)


class Clock(Protocol):
    def now(self) -> datetime: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@dataclass
class SendReport:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    uncertain: int = 0
    recovered: list[int] = field(default_factory=list)
    stopped: str | None = None  # why the run ended early (account unusable, network down, cancelled)
    rate_waits: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.retrying + self.uncertain


def backoff(attempts: int, cfg: MailSettings) -> timedelta:
    """60 s, 2 min, 4 min ... capped (one hour by default)."""
    seconds = cfg.retry_base_seconds * (2 ** max(0, attempts - 1))
    return timedelta(seconds=min(seconds, cfg.retry_max_seconds))


class RateLimiter:
    """At most ``per_minute`` hand-overs in any 60-second window, seeded from the book's recent history."""

    def __init__(self, per_minute: int, clock: Clock, history: list[datetime]) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self.window: deque[datetime] = deque(history)

    def wait(self, should_stop: Callable[[], bool]) -> int:
        waits = 0
        if self.per_minute <= 0:
            return waits
        while True:
            now = self.clock.now()
            while self.window and self.window[0] <= now - timedelta(seconds=60):
                self.window.popleft()
            if len(self.window) < self.per_minute or should_stop():
                return waits
            waits += 1
            pause = (self.window[0] + timedelta(seconds=60) - now).total_seconds()
            self.clock.sleep(min(max(pause, 0.01), 1.0))

    def record(self, when: datetime) -> None:
        self.window.append(when)


def recover_interrupted(book: Book, now: datetime) -> list[int]:
    with book.session() as s:
        return repo.recover_interrupted(
            s, now - STALE_SENDING, _("Interrupted while sending: it may or may not have been delivered.")
        )


def send_due(
    book: Book,
    cfg: MailSettings,
    *,
    clock: Clock | None = None,
    smtp: Transport | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
) -> SendReport:
    """Send every message due now over one connection, oldest first; return what happened."""
    clock = clock or SystemClock()
    report = SendReport(recovered=recover_interrupted(book, clock.now()))
    with book.reader() as s:
        due = repo.due_messages(s, clock.now(), limit=100_000)
        history = repo.attempts_since(s, clock.now() - timedelta(seconds=60))
    if not due:
        return report
    session = smtp or open_transport(cfg)
    limiter = RateLimiter(cfg.rate_per_minute, clock, history)
    try:
        for index, message in enumerate(due):
            if should_stop():
                report.stopped = _("Stopped before the end; the rest stays queued.")
                break
            report.rate_waits += limiter.wait(should_stop)
            if not session.connected:
                try:
                    session.connect()
                except ConnectionProblem as exc:
                    report.stopped = str(exc)
                    break
                except (TemporaryFailure, PermanentFailure) as exc:
                    _postpone_rest(book, cfg, due[index:], str(exc), clock.now())
                    report.retrying += len(due) - index
                    report.stopped = str(exc)
                    break
            _send_one(book, cfg, session, message, clock, limiter, report)
            if progress:
                progress(index + 1, len(due))
            if report.stopped:
                break
    finally:
        session.close()
    return report


def _postpone_rest(
    book: Book, cfg: MailSettings, rest: list[repo.DueMessage], reply: str, now: datetime
) -> None:
    attempts = max(m.attempts for m in rest) + 1
    with book.session() as s:
        repo.postpone(s, [m.id for m in rest], reply, now + backoff(attempts, cfg))


def _send_one(
    book: Book,
    cfg: MailSettings,
    session: Transport,
    message: repo.DueMessage,
    clock: Clock,
    limiter: RateLimiter,
    report: SendReport,
) -> None:
    started = clock.now()
    with book.session() as s:
        if not repo.claim(s, message.id, started):
            return  # cancelled or taken by another sender meanwhile
    limiter.record(started)
    attempts = message.attempts + 1
    try:
        reply = session.send(message.raw, message.from_addr, [message.to_addr])
    except UncertainOutcome as exc:
        with book.session() as s:
            repo.mark_uncertain(s, message.id, exc.reply)
        report.uncertain += 1
        return
    except TemporaryFailure as exc:
        with book.session() as s:
            if exc.code is not None and attempts >= cfg.max_attempts:
                note = _("Gave up after {n} attempts: {reply}").format(n=attempts, reply=exc.reply)
                repo.mark_failed(s, message.id, note, exc.code)
                report.failed += 1
            else:
                repo.mark_retry(s, message.id, exc.reply, exc.code, clock.now() + backoff(attempts, cfg))
                report.retrying += 1
        return
    except PermanentFailure as exc:
        with book.session() as s:
            repo.mark_failed(s, message.id, exc.reply, exc.code)
        report.failed += 1
        return
    except ConnectionProblem as exc:
        with book.session() as s:
            repo.mark_retry(s, message.id, exc.reply, None, clock.now() + backoff(attempts, cfg))
        report.retrying += 1
        report.stopped = str(exc)
        return
    with book.session() as s:
        repo.mark_sent(s, message.id, reply, clock.now())
    report.sent += 1
