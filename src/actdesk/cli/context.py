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
from typing import Any

from actdesk.paths import default_database
from actdesk.storage.engine import Book


class UsageError(Exception):
    """Bad usage or bad input on the command line: one line on stderr, exit code 2."""


def database_target(explicit: str | None) -> str:
    return explicit or os.environ.get("ACTDESK_DB") or str(default_database())


class CliContext:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._book: Book | None = None
        self._user: str | None = getattr(args, "user", None)
        if self._user:  # --user: who is working, for roles and the audit trail (else ACTDESK_USER / login)
            from actdesk.services.team import sign_in

            sign_in(self._user)

    @property
    def database(self) -> str:
        return database_target(self.args.db)

    def book(self, *, migrate: bool = True) -> Book:
        """The book named by --db / ACTDESK_DB / the default, opened once and upgraded to the current schema."""
        if self._book is None:
            from actdesk.storage.open import open_book

            self._book = open_book(self.database, migrate=migrate)
        return self._book

    def close(self) -> None:
        if self._user:
            from actdesk.services.team import sign_in

            sign_in(None)
        if self._book is not None:
            self._book.dispose()
            self._book = None

    @staticmethod
    def print_json(payload: Any) -> None:
        json.dump(payload, sys.stdout, default=json_default, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")


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
