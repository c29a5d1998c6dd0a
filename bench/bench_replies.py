"""Reply-watcher benchmarks on a real Dovecot: 500 households' questionnaire replies filed, the window's event
loop while the watcher files them on its thread, and the CPU of an idle watcher (IDLE and polling).

``sudo python bench/bench_replies.py`` (Dovecot must be installed: ``apt-get install dovecot-imapd``; it runs a
throwaway instance on 127.0.0.1). Targets (issue 23): 500 replies filed in < 10 s; no stall of the event
loop over 50 ms; an idle watcher < 1 % CPU.
"""

from __future__ import annotations

import os
import resource
import ssl
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from email.utils import make_msgid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import keyring  # noqa: E402
from sqlalchemy import select  # noqa: E402

from actdesk.services.engagement.config import EngagementSettings  # noqa: E402
from actdesk.services.engagement.questionnaire import run_questionnaire_automation  # noqa: E402
from actdesk.services.mail.campaigns import Sender  # noqa: E402
from actdesk.services.mail.config import MailSettings, store_password  # noqa: E402
from actdesk.services.mail.imap_watch import ReplyWatcher, WatchContext, check_replies  # noqa: E402
from actdesk.services.mail.replies_inbox import CheckReport  # noqa: E402
from actdesk.settings import GeneralSettings  # noqa: E402
from actdesk.storage.engine import Book  # noqa: E402
from actdesk.storage.open import open_book  # noqa: E402
from actdesk.storage.tables.mail import MailMessageRow  # noqa: E402
from bench_mail import BenchKeyring  # noqa: E402

NOW = datetime.now(UTC).replace(microsecond=0)
HOUSEHOLDS = 500


def _book(folder: Path, n: int) -> tuple[Book, list[bytes]]:
    """``n`` households with a review in 20 days, the questionnaire queued for each; returns its raw messages."""
    from tests import factories as f

    book = open_book(folder / "bench.db")
    with book.session() as s:
        for i in range(n):
            hh = f.household(s, f"Household {i}")
            f.contact(s, hh, f"First{i}", f"Last{i}", email=f"client{i}@example.org")
            f.activity(s, hh, kind="review", start=NOW + timedelta(days=20), subject="Annual review")
    cfg = MailSettings(host="127.0.0.1", user="pat@harbor.example", from_addr="pat@harbor.example")
    sender = Sender.from_settings(cfg, GeneralSettings(practice_name="Harbor", advisor_name="Pat"))
    eng = EngagementSettings(questionnaire_days_before=30, brochures_folder=str(folder / "brochures"))
    report = run_questionnaire_automation(book, cfg, eng, sender, now=NOW, tz=UTC)
    assert sum(report.queued.values()) == n, report
    with book.reader() as s:
        raws = [bytes(r) for r in s.scalars(select(MailMessageRow.raw).order_by(MailMessageRow.id))]
    return book, raws


def _reply(raw: bytes) -> bytes:
    original = message_from_bytes(raw, policy=default)
    plain = original.get_body(preferencelist=("plain",))
    assert plain is not None
    text = plain.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
    quoted = "\n".join("> " + line for line in text.split("\n"))
    reply = EmailMessage()
    reply["From"] = original["To"]
    reply["To"] = original["From"]
    reply["Subject"] = "Re: " + str(original["Subject"])
    reply["Message-ID"] = make_msgid(domain="example.org")
    reply["In-Reply-To"] = reply["References"] = original["Message-ID"]
    reply.set_content(
        "Hi Pat,\n\n1. [x] Date: 2026-02-03 Notes: a granddaughter\n\nOn Monday you wrote:\n" + quoted
    )
    return reply.as_bytes()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(households: int = HOUSEHOLDS, idle_seconds: float = 30.0) -> dict[str, Any]:
    import trustme
    from imapclient import IMAPClient
    from tests.mail import dovecot

    reason = dovecot.available()
    if reason:
        raise SystemExit("bench_replies: " + reason)
    keyring.set_keyring(BenchKeyring())
    store_password(dovecot.IMAP_USER, dovecot.IMAP_PASSWORD, allow_insecure=False)
    out: dict[str, Any] = {"households": households}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.chmod(folder, 0o755)
        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1")
        cafile = str(folder / "ca.pem")
        ca.cert_pem.write_to_path(cafile)
        os.chmod(cafile, 0o644)
        server = dovecot.make(b"".join(p.bytes() for p in cert.cert_chain_pems).decode(),
                              cert.private_key_pem.bytes().decode(), cafile, "https://127.0.0.1:9/introspect")  # fmt: skip
        server.start()
        try:
            cfg = MailSettings(imap_enabled=True, imap_host="127.0.0.1", imap_port=server.port, imap_security="ssl",
                               user=dovecot.IMAP_USER, from_addr=dovecot.IMAP_USER, cafile=cafile,
                               imap_poll_seconds=10)  # fmt: skip

            def deliver(raws: list[bytes]) -> float:
                client = IMAPClient("127.0.0.1", port=server.port, ssl=True,
                                    ssl_context=ssl.create_default_context(cafile=cafile))  # fmt: skip
                client.login(dovecot.IMAP_USER, dovecot.IMAP_PASSWORD)
                client.select_folder("INBOX")
                old = client.search(["ALL"])
                if old:
                    client.delete_messages(old)
                    client.expunge()
                start = time.perf_counter()
                for raw in raws:
                    client.append("INBOX", _reply(raw))
                client.logout()
                return time.perf_counter() - start

            # 1. One pass over 500 replies (as `actdesk mail check-replies`).
            (folder / "a").mkdir()
            book, raws = _book(folder / "a", households)
            out["append_seconds"] = round(deliver(raws), 2)
            eng = EngagementSettings(brochures_folder=str(folder / "a" / "brochures"))
            ctx = WatchContext(book, cfg, eng, UTC, "en")
            start = time.perf_counter()
            report = check_replies(ctx)
            out["filed"] = len(report.filed)
            out["check_replies_seconds"] = round(time.perf_counter() - start, 2)
            book.dispose()

            # 1b. What filing alone costs (read_reply + apply_reply, the engagement feature's own functions).
            (folder / "c").mkdir()
            book, raws = _book(folder / "c", 100)
            out["filing_only_ms_per_reply"] = round(_filing_only(book, raws, folder / "c"), 1)
            out["watcher_ms_per_reply"] = round(out["check_replies_seconds"] / households * 1000, 1)
            book.dispose()

            # 2. The same work by the background watcher while a Qt event loop runs: its longest stall.
            (folder / "b").mkdir()
            book, raws = _book(folder / "b", households)
            deliver(raws)
            eng = EngagementSettings(brochures_folder=str(folder / "b" / "brochures"))
            out.update(
                _stall_while_watching(WatchContext(book, cfg, eng, UTC, "en"), households, idle_seconds)
            )
            book.dispose()
        finally:
            server.stop()
    return out


def _filing_only(book: Book, raws: list[bytes], folder: Path) -> float:
    from actdesk.services.engagement.replies import apply_reply, read_reply

    eng = EngagementSettings(brochures_folder=str(folder / "brochures"))
    messages = [message_from_bytes(_reply(raw), policy=default) for raw in raws]
    start = time.perf_counter()
    for msg in messages:
        result = read_reply(book, msg, eng, "en")  # type: ignore[arg-type]
        apply_reply(book, result, eng, now=NOW, today=NOW.date(), language="en")
    return (time.perf_counter() - start) / len(messages) * 1000


def _quiet_gap(seconds: float = 10.0) -> float:
    """The longest gap of a 5 ms heartbeat with nothing else running: this machine's own noise."""
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    clock = QElapsedTimer()
    clock.start()
    last, worst = [clock.elapsed()], [0.0]

    def beat() -> None:
        now = clock.elapsed()
        worst[0] = max(worst[0], now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(beat)
    timer.start()
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    timer.stop()
    return worst[0]


def _stall_while_watching(ctx: WatchContext, households: int, idle_seconds: float) -> dict[str, Any]:
    from PySide6.QtCore import QCoreApplication, QElapsedTimer, QTimer

    app = QCoreApplication.instance() or QCoreApplication([])
    reports: list[CheckReport] = []
    watcher = ReplyWatcher(lambda: ctx, reports.append, lambda problem: None, use_idle=True)
    gaps: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(beat)
    timer.start()
    thread = threading.Thread(target=watcher.run, daemon=True)
    started = time.perf_counter()
    thread.start()
    filed_at: list[float] = []
    idle_cpu: list[float] = []

    def poll() -> None:
        filed = sum(len(r.filed) for r in reports)
        if not filed_at and filed >= households:
            filed_at.append(time.perf_counter() - started)
            QTimer.singleShot(2000, measure_idle)  # let the watcher settle into IDLE

    def measure_idle() -> None:
        timer.stop()  # the heartbeat and the poll cost CPU themselves: measure the watcher alone
        checker.stop()
        before, t0 = _cpu(), time.perf_counter()

        def done() -> None:
            idle_cpu.append((_cpu() - before) / (time.perf_counter() - t0) * 100)
            app.quit()

        QTimer.singleShot(int(idle_seconds * 1000), done)

    checker = QTimer()
    checker.setInterval(20)
    checker.timeout.connect(poll)
    checker.start()
    QTimer.singleShot(120_000, app.quit)  # safety net
    app.exec()
    watcher.stop()
    thread.join(15)
    busy_gaps = sorted(gaps)
    return {
        "event_loop_longest_gap_ms_without_watcher": round(_quiet_gap(), 1),
        "watcher_filed": sum(len(r.filed) for r in reports),
        "watcher_seconds_to_file_all": round(filed_at[0], 2) if filed_at else None,
        "event_loop_longest_gap_ms": round(busy_gaps[-1], 1) if busy_gaps else None,
        "event_loop_p99_gap_ms": round(busy_gaps[int(len(busy_gaps) * 0.99)], 1) if busy_gaps else None,
        "idle_watcher_cpu_percent": round(idle_cpu[0], 3) if idle_cpu else None,
        "idle_measured_seconds": idle_seconds,
    }


if __name__ == "__main__":
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for key, value in run().items():
        print(f"{key}: {value}")
