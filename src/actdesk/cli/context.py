"""What every sub-command gets: parsed arguments, the book (opened and migrated on first use), output helpers."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actdesk.i18n import _
from actdesk.paths import default_database

if TYPE_CHECKING:
    from actdesk.settings import Settings
    from actdesk.storage.engine import Book
from actdesk.storage.errors import BookLockedError


class UsageError(Exception):
    """Bad usage or bad input on the command line: one line on stderr, exit code 2."""


# The window's first run, the demo and a book import create a book; every other command needs one to exist.
CREATES_BOOK = frozenset({None, "gui", "demo", "import-book"})


# Commands (and actions) that never write to the book: they work while the window holds it.
READ_ONLY: frozenset[tuple[str, str | None]] = frozenset(
    {
        *((c, None) for c in ("kpis", "probabilities", "report", "pipeline", "prospects", "profile")),
        *((c, None) for c in ("suggestions", "acquisition", "outbox", "schedule", "referrals", "life-events")),
        ("dedupe", None), ("export-book", None), ("export", "contacts"), ("schedule", "export-ics"),
        ("schedule", "service-level"), ("alerts", "list"), ("audit", "verify"), ("audit", "log"),
        ("campaign", "report"), ("user", "list"), ("spend", "list"), ("backup", "list"), ("backup", "verify"),
    }
)  # fmt: skip


def reads_only(args: argparse.Namespace) -> bool:
    command = getattr(args, "command", None)
    action = next(
        (v for k, v in vars(args).items() if k != "command" and k.endswith(("_command", "_action")) and v),
        None,
    )
    return (command, action if isinstance(action, str) else None) in READ_ONLY


def database_target(explicit: str | None) -> str:
    return explicit or os.environ.get("ACTDESK_DB") or str(default_database())


def check_book_path(target: str, *, creates: bool) -> None:
    """Refuse a folder, and (unless this command creates books) a path where no book is (exit 2)."""
    from actdesk.cli.validation import echo

    if "://" in target:  # a server URL: the server says whether the database exists
        from sqlalchemy.engine import make_url

        url = make_url(target)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return
        target = url.database
    path = Path(target).expanduser()
    if path.is_dir():
        raise UsageError(
            _("{path} is a folder, not a book; give the book's file").format(path=echo(target, 200))
        )
    if not creates and not path.exists():
        raise UsageError(
            _("no book at {path} (check --db or ACTDESK_DB; 'actdesk demo' or the window create one)").format(
                path=echo(target, 200)
            )
        )


class CliContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._book: Book | None = None
        self._settings: Settings | None = None
        self._user: str | None = getattr(args, "user", None)
        if self._user:  # --user: who is working, for roles and the audit trail (else ACTDESK_USER / login)
            from actdesk.services.team import sign_in

            sign_in(self._user)

    @property
    def settings(self) -> Settings:
        """The user's settings, read once; the command passes them (or a section) to the services."""
        if self._settings is None:
            from actdesk.settings import load_settings

            self._settings = load_settings()
        return self._settings

    @property
    def database(self) -> str:
        return database_target(self.args.db)

    def book(self, *, migrate: bool = True) -> Book:
        """The book named by --db / ACTDESK_DB / the default, opened once and upgraded to the current schema.

        Only the commands in ``CREATES_BOOK`` may create a book; the others refuse a path that holds none, so a
        typo in --db is an error instead of a new empty book showing zeros. Ids given on the command line are
        looked up once the book is open (``validation.check_row_ids``)."""
        if self._book is None:
            from actdesk.cli.validation import check_row_ids
            from actdesk.storage.open import open_book

            check_book_path(self.database, creates=getattr(self.args, "command", None) in CREATES_BOOK)
            from actdesk.services import backup_hooks

            backup_hooks.use_settings(self.settings)  # where a backup before a schema upgrade goes
            try:
                self._book = open_book(self.database, migrate=migrate)
            except BookLockedError:
                if not reads_only(self.args):
                    raise
                # The window holds the book: a command that only reads opens it read-only (WAL lets a
                # reader see the last committed state while the writer works), as sqlite3 -readonly does.
                self._book = open_book(self.database, migrate=False, read_only=True)
            if self._book.lock is not None and self._book.lock.unclean_shutdown:
                print("actdesk: " + _("note") + ": " + self._book.lock.takeover_note(), file=sys.stderr)
            check_row_ids(self._book, self.args)
        return self._book

    def close(self) -> None:
        if self._user:
            from actdesk.services.team import sign_in

            sign_in(None)
        if self._book is not None:
            self._book.dispose()
            self._book = None
            from actdesk.services import backup_hooks

            backup_hooks.use_settings(None)  # the command is over (main() may run again in this process)

    @staticmethod
    def print_json(payload: Any) -> None:
        sys.stdout.write(json_text(payload) + "\n")


def json_text(payload: Any) -> str:
    """The JSON every ``--json`` prints (without the final newline)."""
    return json.dumps(payload, default=json_default, ensure_ascii=False, indent=2)


def json_default(value: Any) -> Any:
    """JSON for our types: money and rates as JSON numbers, dates ISO-8601."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
