"""Open a book the way the app and the CLI do: refuse what is not ours, then migrate with a backup first."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL

from actdesk.storage import migrate as migrations
from actdesk.storage.engine import Book, connect


def open_book(target: str | Path | URL, *, migrate: bool = True, read_only: bool = False) -> Book:
    book = connect(target, read_only=read_only)
    try:
        if migrate and not read_only:
            migrations.upgrade(book)
    except BaseException:
        book.dispose()
        raise
    return book
