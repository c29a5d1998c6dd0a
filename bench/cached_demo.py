"""A demo book for a single benchmark script, built once per (name, households, seed, demo generator) in the
temp folder (a changed generator makes a new book: `books.generator_digest`).

The runner's own books live in books.py (bench/out/); this is for running one bench_*.py by hand.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path


def demo_book(name: str, households: int, seed: int, as_of: date) -> Path:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book
    from books import generator_digest

    path = Path(tempfile.gettempdir()) / f"actdesk-bench-{name}-{households}-{seed}-g{generator_digest()}.db"
    if not path.exists():
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        book = open_book(partial)
        try:
            generate_demo(book, DemoOptions(households=households, seed=seed, as_of=as_of))
        finally:
            book.dispose()
        os.replace(partial, path)
        for leftover in (".partial-wal", ".partial-shm", ".partial.lock"):
            path.with_suffix(leftover).unlink(missing_ok=True)
    return path
