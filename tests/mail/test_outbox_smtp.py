"""The outbox against a real SMTP server on 127.0.0.1: delivery, failures, retries, crash recovery, rate limit."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes
from email.policy import default

from tests.mail.conftest import FakeClock, SmtpServer, message_text
from tests.mail.helpers import queue, small_book

from actdesk.services.mail.outbox import send_due
from actdesk.storage.repositories import mail as repo


def states(book) -> dict[str, str]:
    with book.reader() as s:
        return {m.to: m.state for m in repo.list_messages(s)}


def test_delivers_personalised_messages_over_starttls_with_auth(
    book, smtp_server: SmtpServer, password, clock: FakeClock, general
) -> None:
    small_book(book)
    cfg = smtp_server.settings()
    result = queue(book, cfg, general, clock.now())
    assert result.queued == 2  # Ann and Bob; Cat do-not-email, Dan opted out, Eve no address; Fay a prospect
    assert result.skipped == {"do_not_email": 1, "no_email": 1, "opted_out": 1}

    report = send_due(book, cfg, clock=clock)

    assert report.sent == 2 and report.failed == 0
    assert sorted(e.rcpt_tos[0] for e in smtp_server.delivered) == ["ann@example.org", "bob@example.org"]
    ann = next(e for e in smtp_server.delivered if e.rcpt_tos == ["ann@example.org"])
    parsed = message_from_bytes(ann.original_content, policy=default)
    assert parsed["Subject"] == "Hello Ann"
    assert "Dear Ann," in message_text(ann) and "Smith household" in message_text(ann)
    assert parsed["List-Unsubscribe"] == "<mailto:advisor@example.com?subject=unsubscribe>"
    assert "UNSUBSCRIBE" in message_text(ann)
    with book.reader() as s:
        sent = repo.list_messages(s)
        assert {m.state for m in sent} == {"sent"}
        assert all(m.smtp_reply and m.smtp_reply.startswith("250 OK queued as") for m in sent)
        assert parsed["Message-ID"] in {m.message_id for m in sent}
        archived = repo.archive_for_household(s, sent[0].household_id)
        assert len(archived) == 2 and archived[0].recipients.endswith("@example.org")
    # Sending again finds nothing due: nothing goes twice.
    assert send_due(book, cfg, clock=clock).sent == 0
    assert len(smtp_server.delivered) == 2


def test_implicit_tls_account(book, smtp_factory, password, clock, general) -> None:
    server = smtp_factory(mode="ssl")
    small_book(book)
    cfg = server.settings()
    queue(book, cfg, general, clock.now())
    assert send_due(book, cfg, clock=clock).sent == 2


def test_wrong_password_stops_the_batch_and_keeps_messages_queued(book, smtp_server, clock, general) -> None:
    from actdesk.services.mail.config import store_password

    store_password("advisor@example.com", "not-the-password", allow_insecure=False)
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now())
    report = send_due(book, cfg, clock=clock)
    assert report.sent == 0 and report.stopped is not None
    assert "refused the user name or password" in report.stopped and "535" in report.stopped
    assert "not-the-password" not in report.stopped
    assert set(states(book).values()) == {"queued"}
    assert smtp_server.delivered == []


def test_untrusted_self_signed_certificate_is_refused(book, smtp_server, password, clock, general) -> None:
    small_book(book)
    cfg = smtp_server.settings(cafile=None)  # the system's authorities do not know the test CA
    queue(book, cfg, general, clock.now())
    report = send_due(book, cfg, clock=clock)
    assert report.sent == 0
    assert report.stopped is not None and "--cafile" in report.stopped
    assert set(states(book).values()) == {"queued"}
    assert smtp_server.delivered == []


def test_server_down_then_up_retries_with_backoff(book, smtp_factory, password, clock, general) -> None:
    server = smtp_factory(start=False)
    small_book(book)
    cfg = server.settings()
    queue(book, cfg, general, clock.now())

    first = send_due(book, cfg, clock=clock)
    assert first.sent == 0 and first.retrying == 2 and "Could not reach" in (first.stopped or "")
    with book.reader() as s:
        waiting = repo.list_messages(s)
    assert {m.state for m in waiting} == {"queued"}
    assert {m.next_attempt_at for m in waiting} == {clock.now() + timedelta(seconds=60)}

    server.start()
    clock.advance(seconds=30)  # still backing off: nothing is attempted
    assert send_due(book, cfg, clock=clock).handled == 0
    assert server.delivered == []

    clock.advance(seconds=31)
    assert send_due(book, cfg, clock=clock).sent == 2
    assert len(server.delivered) == 2


def test_temporary_4xx_then_success(book, smtp_server, password, clock, general) -> None:
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now(), audience="household=Smith household,role=primary")
    smtp_server.handler.replies = ["451 4.3.0 Mailbox busy, try later"]
    report = send_due(book, cfg, clock=clock)
    assert report.retrying == 1
    with book.reader() as s:
        (msg,) = repo.list_messages(s)
    assert msg.state == "queued" and msg.smtp_reply == "451 4.3.0 Mailbox busy, try later"
    assert msg.next_attempt_at == clock.now() + timedelta(seconds=60)
    clock.advance(minutes=2)
    assert send_due(book, cfg, clock=clock).sent == 1
    assert len(smtp_server.delivered) == 1


def test_permanent_5xx_fails_with_the_servers_words(book, smtp_server, password, clock, general) -> None:
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now())
    smtp_server.handler.rcpt_replies["bob@example.org"] = "550 5.1.1 <bob@example.org>: no such user"
    report = send_due(book, cfg, clock=clock)
    assert report.sent == 1 and report.failed == 1
    with book.reader() as s:
        failed = repo.list_messages(s, states=["failed"])
    assert [m.to for m in failed] == ["bob@example.org"]
    assert failed[0].smtp_reply == "550 5.1.1 <bob@example.org>: no such user"
    clock.advance(hours=3)
    assert send_due(book, cfg, clock=clock).handled == 0  # a failure is final until the advisor retries


def test_message_left_in_sending_becomes_uncertain_and_is_not_resent(
    book, smtp_server, password, clock, general
) -> None:
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now(), audience="household=Smith household,role=primary")
    with book.session() as s:
        (msg,) = repo.list_messages(s)
        assert repo.claim(s, msg.id, clock.now())  # the process dies right after this commit
    book.dispose()
    from actdesk.storage.open import open_book

    reopened = open_book(book.path)
    try:
        clock.advance(minutes=1)  # a sender that started a minute ago may still be talking to the server
        assert send_due(reopened, cfg, clock=clock).recovered == []
        clock.advance(minutes=10)
        report = send_due(reopened, cfg, clock=clock)
        assert report.recovered == [msg.id] and report.sent == 0
        with reopened.reader() as s:
            after = repo.get_message(s, msg.id)
        assert after.state == "uncertain" and "may or may not" in (after.smtp_reply or "")
        assert smtp_server.delivered == []
        # Only an explicit decision sends it again.
        with reopened.session() as s:
            repo.requeue(s, msg.id, clock.now())
        assert send_due(reopened, cfg, clock=clock).sent == 1
    finally:
        reopened.dispose()


def test_rate_limit_is_honoured_with_an_injected_clock(book, smtp_server, password, clock, general) -> None:
    from tests import factories as f

    with book.session() as s:
        for i in range(5):
            hh = f.household(s, f"H{i}")
            f.contact(s, hh, f"P{i}", "Q", email=f"p{i}@example.org")
    cfg = smtp_server.settings(rate_per_minute=2)
    queue(book, cfg, general, clock.now())
    start = clock.now()
    report = send_due(book, cfg, clock=clock)
    assert report.sent == 5 and report.rate_waits > 0
    with book.reader() as s:
        times = sorted(m.sent_at for m in repo.list_messages(s))
    for i in range(2, 5):
        assert times[i] - times[i - 2] >= timedelta(seconds=60)
    assert clock.now() - start >= timedelta(seconds=120)


def test_connection_lost_after_the_body_is_uncertain_not_resent(
    book, smtp_server, password, clock, general
) -> None:
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now())
    smtp_server.handler.drop_after_data = True
    report = send_due(book, cfg, clock=clock)
    assert report.uncertain == 1 and report.sent == 1  # the connection is reopened for the next message
    assert len(smtp_server.delivered) == 2
    clock.advance(hours=2)
    assert send_due(book, cfg, clock=clock).handled == 0
    assert len(smtp_server.delivered) == 2
    assert sorted(states(book).values()) == ["sent", "uncertain"]


def test_plaintext_keyring_stops_sending_with_a_clear_message(book, smtp_server, clock, general) -> None:
    import keyring
    from tests.conftest import MemoryKeyring

    class PlaintextKeyring(MemoryKeyring):
        pass

    plain = PlaintextKeyring()
    plain.set_password("actdesk-smtp", "advisor@example.com", "s3cret-app-password")
    keyring.set_keyring(plain)
    small_book(book)
    cfg = smtp_server.settings()
    queue(book, cfg, general, clock.now())
    report = send_due(book, cfg, clock=clock)
    assert report.sent == 0 and "plain file" in (report.stopped or "")
    assert set(states(book).values()) == {"queued"}
    assert send_due(book, smtp_server.settings(allow_insecure_keyring=True), clock=clock).sent == 2
