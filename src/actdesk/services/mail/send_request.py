"""``outbox send`` while the window holds the book: the command line hands the work to the window.

A scheduled ``actdesk outbox send`` (cron, Task Scheduler) cannot write to a book the window holds, and
failing every time the advisor has the window open would make the schedule useless. Like git's and SQLite's
tools, the command line does not wait for or fight the writer: it reads the lock, and when the holder is the
window (``LockHolder.program``) it leaves a request file beside the book, ``<book>.outbox-send`` (0600,
written atomically), and ends with exit 0 saying that the window will send. The window watches the book's
folder (and looks again at every send tick, so a request left while it was busy or closed is not lost),
takes the request (reads and removes it) and sends what is due itself.

At-most-once is not the request's job: the request carries no messages, only "send what is due now". The
window sends through the same ``send_due`` as the command line, whose claim of each message (queued ->
sending, committed before the SMTP conversation) is what keeps a message from going out twice, whatever
the number of requests, ticks or processes. Two requests before the window looks are one; a request taken
while a send is running makes the window send once more after it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from actdesk.paths import atomic_write
from actdesk.storage.audit_log import current_actor
from actdesk.storage.lock import LockHolder, read_holder

SUFFIX = ".outbox-send"


@dataclass(frozen=True, slots=True)
class SendRequest:
    requested_at: str
    by: str
    pid: int


def request_path(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def window_holder(database: Path) -> LockHolder | None:
    """The window holding ``database``, if the holder named in its lock file is a window."""
    holder = read_holder(database)
    return holder if holder is not None and holder.program == "window" else None


def leave_request(database: Path, now: datetime | None = None) -> Path:
    """Write (or replace) the request beside the book, private and atomically; returns its path."""
    target = request_path(database)
    moment = (now or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    payload = json.dumps({"requested_at": moment, "by": current_actor(), "pid": os.getpid()})
    atomic_write(target, payload)  # mkstemp's file: 0600 before anything is written
    return target


def take_request(database: Path) -> SendRequest | None:
    """The pending request, removed; None when there is none. Reading and removing need no lock: a request
    written in between is covered by the send that follows (it sends everything due by then)."""
    target = request_path(database)
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError:
        text = ""
    target.unlink(missing_ok=True)
    try:
        data = json.loads(text)
        return SendRequest(str(data["requested_at"]), str(data["by"]), int(data["pid"]))
    except (ValueError, KeyError, TypeError):  # damaged or empty: still a request to send
        return SendRequest("", "", 0)
