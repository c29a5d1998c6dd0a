"""Log files that help support without exposing clients: rotated, in the data folder, scrubbed.

The filter rewrites every record before any handler sees it: e-mail addresses, money amounts, phone and
account/tax numbers, and the names of the book's clients (registered with :func:`register_names` when a
book opens) become placeholders. Exceptions are formatted first and scrubbed too, since a traceback can
quote a value.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import TYPE_CHECKING

from actdesk.paths import log_dir

if TYPE_CHECKING:
    from actdesk.storage.engine import Book  # the window sets up logging before SQLAlchemy is loaded

LOG_FILE = "actdesk.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "<email>"),
    # Money: a currency sign or code, thousands separators, or 4+ digits with cents (timings like 0.25 s stay).
    (
        re.compile(
            r"[$€£]\s?-?\d[\d,.]*\d|\b\d[\d,.]*\d\s?(?:USD|EUR|GBP|MXN)\b"
            r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b|\b\d{4,}\.\d{2}\b"
        ),
        "<amount>",
    ),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "<tax-id>"),
    (re.compile(r"(?<!\w)\+?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"), "<phone>"),
    (re.compile(r"\b\d{8,17}\b"), "<number>"),
)


_WORD = re.compile(r"\w+")


class ClientDataFilter(logging.Filter):
    """Replaces client data in log records with placeholders (never drops the record).

    Client names are looked up, not matched by one regular expression: an alternation of the 40,000 names of
    a 10,000-household book took a second and about 30 MB to compile. A name matches, case-insensitively,
    a run of whole words of the message that is exactly the name (the longest one first)."""

    def __init__(self) -> None:
        super().__init__()
        self._names: set[str] = set()  # casefolded
        self._longest = 0  # the most words in a registered name
        self._lock = threading.Lock()

    def register_names(self, names: Iterable[str]) -> None:
        with self._lock:
            for name in names:
                name = (name or "").strip()
                # Matched as a run of whole words, so it must begin and end with a word character.
                if len(name) < 3 or not (_WORD.match(name[0]) and _WORD.match(name[-1])):
                    continue
                self._names.add(name.casefold())
                self._longest = max(self._longest, len(_WORD.findall(name)))

    def _scrub_names(self, text: str) -> str:
        names, longest = self._names, self._longest
        if not names:
            return text
        words = list(_WORD.finditer(text))
        out: list[str] = []
        done = i = 0
        while i < len(words):
            start = words[i].start()
            for j in range(min(len(words), i + longest) - 1, i - 1, -1):
                if text[start : words[j].end()].casefold() in names:
                    out += [text[done:start], "<name>"]
                    done, i = words[j].end(), j
                    break
            i += 1
        out.append(text[done:])
        return "".join(out)

    def scrub(self, text: str) -> str:
        for pattern, placeholder in _PATTERNS:
            text = pattern.sub(placeholder, text)
        return self._scrub_names(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        return True


client_data_filter = ClientDataFilter()


def register_names(names: Iterable[str]) -> None:
    """Tell the log filter the client names of the open book (households and contacts)."""
    client_data_filter.register_names(names)


def register_book_names(book: Book) -> int:
    """Load the open book's household and contact names into the filter; returns how many."""
    from actdesk.storage.repositories.import_lookups import client_names

    with book.reader() as s:
        names = client_names(s)
    register_names(names)
    return len(names)


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Rotating file log in the data folder (5 x 1 MB), scrubbed; returns the log file's path."""
    target = (folder or log_dir()) / LOG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == target:
            return target
    handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(client_data_filter)
    root.addHandler(handler)
    for existing in root.handlers:
        if client_data_filter not in existing.filters:
            existing.addFilter(client_data_filter)
    root.setLevel(min(root.level or level, level))
    return target


def install_excepthook() -> None:
    """Uncaught exceptions (main thread and workers) go to the scrubbed log: crash reports carry no client data."""
    crash_log = logging.getLogger("actdesk.crash")
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: object) -> None:
        crash_log.critical("uncaught exception", exc_info=(exc_type, exc, tb))  # type: ignore[arg-type]
        previous(exc_type, exc, tb)  # type: ignore[arg-type]

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        crash_log.critical(
            "uncaught exception in thread %s",
            args.thread.name if args.thread else "?",
            exc_info=(args.exc_type, args.exc_value, args.exc_traceback),  # type: ignore[arg-type]
        )

    sys.excepthook = hook
    threading.excepthook = thread_hook
