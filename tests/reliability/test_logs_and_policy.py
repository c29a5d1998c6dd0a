"""Pure pieces: the log scrubber, the retention policy, the live-location warning."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tests import factories as f

from actdesk.domain.retention_policy import BackupStamp, RetentionPolicy, backups_to_delete, backups_to_keep
from actdesk.services.backup.location import is_network_path, live_location_warning, synced_provider
from actdesk.services.logs import (
    ClientDataFilter,
    install_excepthook,
    register_book_names,
    register_names,
    setup_logging,
)


@pytest.fixture(autouse=True)
def _restore_root_logger():
    """setup_logging() changes the root logger for the app's lifetime; give other tests theirs back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = {h: list(h.filters) for h in handlers}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    for handler, kept in filters.items():
        handler.filters[:] = kept
    root.setLevel(level)


def test_log_files_keep_names_emails_and_amounts_out(book, tmp_path: Path) -> None:
    with book.session() as s:
        hid = f.household(s, "Villanueva household")
        f.contact(s, hid, "Esperanza", "Villanueva", email="esperanza.v@example.com")
    register_book_names(book)
    path = setup_logging(folder=tmp_path)
    log = logging.getLogger("actdesk.test")
    log.warning(
        "saved contact %s %s <%s> net worth $1,250,000.00",
        "Esperanza",
        "Villanueva",
        "esperanza.v@example.com",
    )
    try:
        raise ValueError("bad row for Villanueva household: 1250000.50 USD")
    except ValueError:
        log.exception("import failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in ("Esperanza", "Villanueva", "esperanza.v@example.com", "1,250,000", "1250000.50"):
        assert secret not in text
    assert "<name>" in text and "<email>" in text and "<amount>" in text and "import failed" in text


def test_crash_reports_are_scrubbed_too(tmp_path: Path, monkeypatch) -> None:
    import sys

    register_names(["Thistlewood"])
    path = setup_logging(folder=tmp_path)
    monkeypatch.setattr(sys, "excepthook", lambda *args: None)
    monkeypatch.setattr("threading.excepthook", lambda args: None)
    install_excepthook()
    try:
        raise KeyError("Thistlewood <t@example.net>")
    except KeyError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "uncaught exception" in text and "KeyError" in text
    assert "Thistlewood" not in text and "t@example.net" not in text


def test_scrubber_placeholders() -> None:
    scrub = ClientDataFilter().scrub
    assert scrub("call 555-123-4567 or +1 (555) 123-4567") == "call <phone> or +1 <phone>"
    assert scrub("ssn 123-45-6789, account 123456789012") == "ssn <tax-id>, account <number>"
    assert scrub("opened book in 0.25 s, 42 rows") == "opened book in 0.25 s, 42 rows"


D = datetime(2026, 1, 31, 12, tzinfo=UTC)


def _daily(n: int) -> list[BackupStamp]:
    return [BackupStamp(f"b{i:03}", D - timedelta(days=i)) for i in range(n)]


def test_retention_keeps_recent_daily_weekly_monthly() -> None:
    policy = RetentionPolicy(recent=2, daily=7, weekly=4, monthly=3)
    keep = backups_to_keep(_daily(120), policy)
    days = sorted((D - timedelta(days=int(k[1:]))).date() for k in keep)
    assert len([d for d in days if (D.date() - d).days < 7]) == 7
    # Seven days (Jan 25-31); ISO weeks add Jan 18 and Jan 11 (their Sundays); months add Dec 31 and Nov 30.
    older = [d.isoformat() for d in days if (D.date() - d).days >= 7]
    assert older == ["2025-11-30", "2025-12-31", "2026-01-11", "2026-01-18"]
    assert backups_to_delete(_daily(3), policy) == []


def test_retention_keeps_the_newest_of_a_period_and_pinned_ones() -> None:
    morning = BackupStamp("morning", D.replace(hour=8))
    evening = BackupStamp("evening", D.replace(hour=20))
    pinned = BackupStamp("pre-restore", D - timedelta(days=400), pinned=True)
    keep = backups_to_keep(
        [morning, evening, pinned], RetentionPolicy(recent=0, daily=1, weekly=0, monthly=0)
    )
    assert keep == {"evening", "pre-restore"}
    with pytest.raises(ValueError):
        RetentionPolicy(daily=-1)


def test_live_book_in_synced_or_network_folder_is_warned_about(tmp_path: Path) -> None:
    assert synced_provider(Path.home() / "Dropbox" / "actdesk" / "book.db") == "Dropbox"
    assert synced_provider(Path("/Users/ann/Library/CloudStorage/OneDrive-Personal/book.db")) == "OneDrive"
    assert (
        synced_provider(Path("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/book.db"))
        == "iCloud Drive"
    )
    assert synced_provider(tmp_path / "book.db") is None
    mounts = [("/", "ext4"), ("/mnt/office", "cifs"), ("/mnt/office/local", "ext4")]
    assert is_network_path(Path("/mnt/office/clients/book.db"), mounts)
    assert not is_network_path(Path("/mnt/office/local/book.db"), mounts)
    assert "network drive" in (live_location_warning(Path("/mnt/office/book.db"), mounts) or "")
    assert "Google Drive" in (live_location_warning(Path("/home/ann/Google Drive/book.db"), mounts) or "")
    assert live_location_warning(tmp_path / "book.db", mounts) is None
