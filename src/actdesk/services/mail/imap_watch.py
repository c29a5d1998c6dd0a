"""The reply watcher: one check on demand (``check_replies``), or a background loop (``ReplyWatcher``) that
waits with IMAP IDLE where the server has it and polls otherwise.

Qt-free: the window runs ``ReplyWatcher.run`` on a thread of its own and receives reports through callbacks.
While idle it sleeps in ``select()`` on the IDLE socket (or on an Event when polling), so it costs nothing;
offline periods back off (5 s doubling up to the poll interval) and resume where they left off; an account
that needs the advisor (sign in again, wrong password) is reported once and retried slowly.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from actdesk.i18n import _
from actdesk.services.engagement.config import EngagementSettings
from actdesk.services.mail.config import MailSettings
from actdesk.services.mail.imap_client import (
    ImapAccount,
    ImapAccountProblem,
    ImapOffline,
    connect,
    logout_quietly,
)
from actdesk.services.mail.replies_inbox import CheckReport, Observer, ReplyPass
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail_inbox as repo

log = logging.getLogger(__name__)
IDLE_SLICE = 5.0  # seconds per select() while idling, so that stopping is prompt
BACKGROUND_PAUSE = 0.003  # seconds the background watcher sleeps after each reply (GIL for the window)


@dataclass(frozen=True)
class WatchContext:
    book: Book
    mail: MailSettings
    engagement: EngagementSettings
    tz: tzinfo
    language: str = "en"


def _pass(ctx: WatchContext, observe: Observer | None = None, pause: float = 0.0) -> ReplyPass:
    acc = ImapAccount.from_settings(ctx.mail)
    return ReplyPass(ctx.book, ctx.engagement, account=acc.user, folder=acc.folder,
                     now=lambda: datetime.now(UTC), tz=ctx.tz, language=ctx.language, observe=observe,
                     pause=pause)  # fmt: skip


def _record_error(ctx: WatchContext, error: str) -> None:
    try:
        acc = ImapAccount.from_settings(ctx.mail)
    except ImapAccountProblem:
        return
    with ctx.book.session() as s:
        repo.record_error(s, acc.user.lower(), acc.folder, error, datetime.now(UTC))


def check_replies(ctx: WatchContext, observe: Observer | None = None) -> CheckReport:
    """Connect, take every new reply, log out. Raises ImapOffline / ImapAccountProblem (also recorded for the
    status line)."""
    try:
        client = connect(ctx.mail)
    except (ImapOffline, ImapAccountProblem) as exc:
        _record_error(ctx, str(exc))
        raise
    try:
        return _pass(ctx, observe).run(client)
    except (OSError, IMAPClientError) as exc:
        _record_error(ctx, str(exc))
        raise ImapOffline(_("The connection to the mail server broke ({error}).").format(error=exc)) from exc
    finally:
        logout_quietly(client)


class ReplyWatcher:
    """The background loop. ``load`` is called before each connection so settings changes take effect."""

    def __init__(
        self,
        load: Callable[[], WatchContext],
        on_report: Callable[[CheckReport], None],
        on_problem: Callable[[str], None],
        *,
        use_idle: bool = True,
    ) -> None:
        self.load, self.on_report, self.on_problem = load, on_report, on_problem
        self.use_idle = use_idle
        self.stop_event = threading.Event()
        self.wake_event = threading.Event()  # "check now" from the window
        self.idling = False

    def stop(self) -> None:
        self.stop_event.set()
        self.wake_event.set()

    def check_now(self) -> None:
        self.wake_event.set()

    def _sleep(self, seconds: float) -> None:
        self.wake_event.wait(seconds)
        self.wake_event.clear()

    def run(self) -> None:
        backoff = 5.0
        while not self.stop_event.is_set():
            ctx = self.load()
            if not ctx.mail.imap_enabled:
                self._sleep(60)
                continue
            try:
                client = connect(ctx.mail)
            except ImapOffline as exc:
                _record_error(ctx, str(exc))
                self.on_problem(str(exc))
                self._sleep(min(backoff, ctx.mail.imap_poll_seconds))
                backoff = min(backoff * 2, max(ctx.mail.imap_poll_seconds, 5.0))
                continue
            except ImapAccountProblem as exc:
                _record_error(ctx, str(exc))
                self.on_problem(str(exc))
                self._sleep(max(ctx.mail.imap_poll_seconds, 300))
                continue
            backoff = 5.0
            try:
                self._session(ctx, client)
            except (OSError, IMAPClientError, ImapOffline) as exc:
                _record_error(ctx, str(exc))
                self.on_problem(_("The connection to the mail server broke ({error}).").format(error=exc))
                self._sleep(backoff)
            except Exception:  # never let one bad message kill the watcher; it is logged with context
                log.exception("reply watcher pass failed")
                self.on_problem(_("Reading replies failed; see the log. actdesk tries again later."))
                self._sleep(ctx.mail.imap_poll_seconds)
            finally:
                self.idling = False
                logout_quietly(client)

    def _session(self, ctx: WatchContext, client: IMAPClient) -> None:
        work = _pass(ctx, None, BACKGROUND_PAUSE)
        idle = self.use_idle and b"IDLE" in client.capabilities()
        while not self.stop_event.is_set():
            self.on_report(work.run(client))
            if idle:
                self._idle(client, ctx.mail.imap_idle_seconds)
            else:
                self._sleep(ctx.mail.imap_poll_seconds)
                client.noop()
            if self.load().mail != ctx.mail:
                return  # settings changed: reconnect with the new ones

    def _idle(self, client: IMAPClient, renew_seconds: float) -> None:
        """Wait for the server to say something arrived (EXISTS), a renewal, a stop or a "check now"."""
        deadline = time.monotonic() + renew_seconds
        self.idling = True
        client.idle()
        try:
            while not self.stop_event.is_set() and not self.wake_event.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                responses = client.idle_check(timeout=min(IDLE_SLICE, left))
                if any(len(r) > 1 and r[1] == b"EXISTS" for r in responses):
                    break
        finally:
            self.idling = False
            self.wake_event.clear()
            client.idle_done()
