"""How the command line ends: one exit code per kind of failure, one line on stderr, never a traceback.

    0    done
    1    a failure of the world: disk full, book locked or damaged, server unreachable, permission denied
    2    a refusal of bad input: usage, values out of range, unknown ids, missing files, wrong passphrase;
         also the reader of our output went away (``actdesk ... --json | head -c 10``): one short line
    130  interrupted (Ctrl+C)

The table lives here, by class name, so that it needs no imports (``--help`` stays fast) and so that a new
error class is placed by saying which kind it is. Exceptions of our own that subclass ``ValueError`` are
refusals of input by convention; an exception nobody placed is an internal error (exit 1) whose message is
still cut to one line without SQL or parameters. README.md carries the same table.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from actdesk.i18n import _

EXIT_OK = 0
EXIT_WORLD = 1
EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = EXIT_REFUSED  # was 141 (quiet, as git does); issue 25 asks for one line and 2
MESSAGE_MAX = 400
_REFUSED_ERRNOS = frozenset({errno.ENAMETOOLONG, errno.ELOOP})

REFUSED = frozenset(
    {
        "UsageError",
        "ArgumentTypeError",
        "ValidationError",
        "NotFoundError",
        "NotABookError",
        "EncryptedBookError",
        "KeyFileError",
        "PermissionDeniedError",
        "BookFormatError",
        "BookNotEmptyError",
        "ReplaceNotConfirmedError",
        "ImportFileError",
        "UndoRefusedError",
        "MergeRefusedError",
        "CopyRefusedError",
        "BackupNotFoundError",
        "BackupKeyError",
        "MailConfigError",
        "ReplyFileError",
        "UnknownReport",
        "TemplateRefused",
        "FileNotFoundError",
        "IsADirectoryError",
        "NotADirectoryError",
        "FileExistsError",
        "UnicodeError",
        "IntegrityError",
    }
)
WORLD = frozenset(
    {
        "DiskFullError",
        "BookNotWritableError",
        "BookLockedError",
        "CorruptBookError",
        "NewerBookError",
        "ConflictError",
        "CopyMismatchError",
        "BackupError",
        "EncryptionError",
        "InsecureKeyringError",
        "KeyringError",
        "KeyringUnavailableError",
        "SmtpError",
        "ExportError",
        "PermissionError",
        "ConnectionError",
        "TimeoutError",
        "OSError",
    }
)


def classify(exc: BaseException) -> int | None:
    """EXIT_REFUSED or EXIT_WORLD for a known kind of failure; None for an internal error. A file name
    the system cannot take (too long, a loop of links) is the user's input, not a failure of the disk."""
    if isinstance(exc, OSError) and exc.errno in _REFUSED_ERRNOS:
        return EXIT_REFUSED
    for cls in type(exc).__mro__:
        if cls.__name__ in REFUSED:
            return EXIT_REFUSED
        if cls.__name__ in WORLD:
            return EXIT_WORLD
        if cls is ValueError and type(exc).__module__.startswith("actdesk."):
            return EXIT_REFUSED
        if cls.__name__ == "BookError":
            return EXIT_REFUSED
    return None


def one_line(message: str, limit: int = MESSAGE_MAX) -> str:
    """The message on one line, without an SQL statement or its parameters, at most ``limit`` characters."""
    for marker in ("\n[SQL:", "[SQL:", "\n[parameters:", "(Background on this error"):
        message = message.split(marker, 1)[0]
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(exc: BaseException) -> str:
    """What the user reads: our messages as written; a database error by its driver's first line only."""
    orig = getattr(exc, "orig", None)
    if orig is not None and type(exc).__module__.startswith("sqlalchemy"):
        return one_line(_("the book refused the change: {reason}").format(reason=str(orig)))
    if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
        return one_line(f"{exc.strerror}: {exc.filename}")
    if isinstance(exc, KeyError) and exc.args:
        return one_line(str(exc.args[0]))
    return one_line(str(exc) or type(exc).__name__)


def log_file_handler() -> logging.FileHandler:
    """The scrubbed, rotating log file of the command line (the window's is ``services.logs.setup_logging``,
    which also filters the other handlers; a command must leave those alone)."""
    from logging.handlers import RotatingFileHandler

    from actdesk.paths import log_dir
    from actdesk.services import logs

    target = log_dir() / logs.LOG_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        target, maxBytes=logs.MAX_BYTES, backupCount=logs.BACKUP_COUNT, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(logs.client_data_filter)
    return handler


def log_internal_error(exc: BaseException) -> Path | None:
    """The traceback of an error the user cannot cause goes to the scrubbed log file; stderr keeps its one
    line. (A ``.debug()`` call here could never run: ``--debug`` re-raises first.) Returns the log file."""
    try:
        handler = log_file_handler()
        target = Path(handler.baseFilename)
        record = logging.getLogger("actdesk.cli").makeRecord(
            "actdesk.cli",
            logging.ERROR,
            __file__,
            0,
            "internal error",
            (),
            (type(exc), exc, exc.__traceback__),
        )
        try:
            handler.handle(record)  # this file only: the console handler would print the traceback
        finally:
            handler.close()
        return target
    except Exception:  # a log that cannot be written must not hide the error itself
        return None


def run_handler(handler: Callable[[Any], Any], ctx: Any, *, debug: bool) -> int:
    """Run one sub-command and turn whatever it raises into an exit code and one line on stderr."""
    try:
        return int(handler(ctx) or 0)
    except KeyboardInterrupt:
        print("actdesk: " + _("interrupted"), file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return broken_pipe()
    except Exception as exc:
        if debug:
            raise
        code = classify(exc)
        if code is not None:
            print(f"actdesk: {describe(exc)}", file=sys.stderr)
            return code
        log_internal_error(exc)
        print(
            f"actdesk: {_('internal error')}: {type(exc).__name__}: {describe(exc)} "
            f"({_('run with --debug for details')})",
            file=sys.stderr,
        )
        return EXIT_WORLD


def close_quietly(close: Callable[[], None]) -> bool:
    """Close and flush what is left; False when the reader had gone (nothing raised: the final flush of the
    interpreter must not raise a second BrokenPipeError either)."""
    try:
        close()
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
        return False
    return True


def broken_pipe() -> int:
    """The reader of our output went away (``| head``): stdout to the null device, one line, exit 2."""
    quiet_stdout()
    with contextlib.suppress(OSError):  # stderr gone too: the exit code still says it
        print(
            "actdesk: " + _("the output was closed before it was all written (broken pipe)"), file=sys.stderr
        )
    return EXIT_BROKEN_PIPE


def quiet_stdout() -> None:
    """Point stdout at the null device so the interpreter's last flush does not fail (Python's own advice)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
