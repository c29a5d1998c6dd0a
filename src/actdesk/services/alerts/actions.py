"""The advisor's actions on an alert, each one unit of work: seen, snooze until a date, dismiss with a reason."""

from __future__ import annotations

from datetime import date, datetime

from actdesk.domain.alerts import lifecycle
from actdesk.domain.alerts.model import Alert
from actdesk.storage.engine import Book
from actdesk.storage.repositories import alerts as repo


def mark_seen(book: Book, alert_id: int, now: datetime) -> Alert:
    with book.session() as s:
        alert = repo.get_alert(s, alert_id)
        lifecycle.mark_seen(alert, now)
        repo.save_alert(s, alert)
    return alert


def snooze_alert(book: Book, alert_id: int, until: date, now: datetime, today: date) -> Alert:
    with book.session() as s:
        alert = repo.get_alert(s, alert_id)
        lifecycle.snooze(alert, until, now, today)
        repo.save_alert(s, alert)
    return alert


def dismiss_alert(book: Book, alert_id: int, reason: str, now: datetime) -> Alert:
    with book.session() as s:
        alert = repo.get_alert(s, alert_id)
        lifecycle.dismiss(alert, reason, now)
        repo.save_alert(s, alert)
    return alert


def list_current(book: Book) -> list[Alert]:
    with book.reader() as s:
        return repo.list_alerts(s)


def count_new(book: Book) -> int:
    with book.reader() as s:
        return repo.count_new(s)
