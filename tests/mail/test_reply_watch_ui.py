"""The reply watcher behind the window: files on its own thread, refreshes the card, tells the advisor."""

from __future__ import annotations

from typing import Any

from tests.engagement.helpers import delivered_to, reply_to
from tests.mail import fixtures_imap
from tests.mail import test_imap_watch as tw
from tests.mail.dovecot import IMAP_PASSWORD, IMAP_USER
from tests.mail.fixtures_imap import ImapWorld

from actdesk.services.mail.config import save_mail_settings, store_password
from actdesk.settings import load_settings
from actdesk.storage.engine import Book
from actdesk.storage.repositories import mail_inbox as inbox_repo

imap_world = fixtures_imap.imap_world
imap = fixtures_imap.imap
eng = tw.eng
sent = tw.sent
ANSWER = tw.ANSWER


def test_filed_replies_are_announced_and_the_card_is_refreshed(
    qtbot: Any,
    qapp: Any,
    book: Book,
    sent: Any,
    smtp_server: Any,
    imap: ImapWorld,
) -> None:
    from actdesk.ui.context import AppContext
    from actdesk.ui.mail.reply_watch import ReplyWatchService
    from actdesk.ui.tasks import TaskRunner

    store_password(IMAP_USER, IMAP_PASSWORD, allow_insecure=False)
    settings = load_settings()
    save_mail_settings(settings, imap.settings(imap_poll_seconds=1))
    ctx = AppContext(book=book, settings=settings, tasks=TaskRunner())
    changed: list[str] = []
    status: list[str] = []
    ctx.signals.data_changed.connect(changed.append)
    ctx.signals.status_message.connect(status.append)
    service = ReplyWatchService(ctx)
    try:
        with qtbot.waitSignal(service.sig_report, timeout=20_000):
            service.start()  # the first pass finds nothing
        imap.deliver(reply_to(delivered_to(smtp_server, "ann@example.org"), ANSWER))
        with qtbot.waitSignal(service.sig_notified, timeout=30_000) as notified:
            service.check_now()
        title, message = notified.args
        assert title == "1 reply came back" and "Smith household" in message
        assert "life_events" in changed and any("Smith household" in s for s in status)  # no tray offscreen
        with book.reader() as s:
            assert [i.household for i in inbox_repo.unseen(s)] == ["Smith household"]
    finally:
        assert service.shutdown()
    ctx.tasks.shutdown()


def test_no_client_names_while_the_meeting_view_is_up() -> None:
    from actdesk.services.mail.replies_inbox import CheckReport, TakenReply
    from actdesk.ui.mail.reply_watch import notification_text

    report = CheckReport("pat@harbor.example", "INBOX")
    report.taken.append(
        TakenReply(
            1, 7, "questionnaire", "filed", "ann@example.org", "Re: ...", 3, "Smith household", 1, None
        )
    )
    title, message = notification_text(report, discreet=True) or ("", "")
    assert "Smith" not in title + message
    assert "Smith household" in (notification_text(report, discreet=False) or ("", ""))[1]
