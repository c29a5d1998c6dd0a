"""One writer at a time: an OS-level exclusive lock on ``<book>.lock`` whose content names the holder.

Why an OS lock: the operating system releases it when the holding process dies (crash, SIGKILL, power
button), so a stale lock clears by itself; the file's content only says *who* holds it, for the
GnuCash-style "opened by Ann on LAPTOP since 09:12 - open read-only?" question.

Where the OS lock is unavailable (some network shares refuse ``flock``), the content alone decides:
a holder on this host whose process is gone, or any holder whose heartbeat is older than
``STALE_AFTER``, is stale and is cleared. The window refreshes the heartbeat from a timer.

The lock is per process and per book: a second ``open_book`` of the same file in the same process
shares it (reference counted), which is what a CLI command or a background job running inside the
app needs; only another process is refused.

The lock file also serves as the clean-shutdown marker: it is emptied on a clean release, so a
non-empty lock file found when acquiring means the last session ended without closing the book.
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import logging
import os
import socket
import sys
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Any

from actdesk import __version__
from actdesk.i18n import _, os_reason
from actdesk.storage.errors import BookLockedError, BookNotWritableError

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)
_program = "command"

# Windows byte-range locks block reads of the locked bytes: lock one far past the holder's text.
_WIN_LOCK_OFFSET = 0x7FFF_0000


@dataclass(frozen=True)
class LockHolder:
    """Who holds (or last held) a book."""

    user: str
    host: str
    pid: int
    app_version: str
    since: str
    heartbeat: str
    program: str = "command"  # "window" when the window holds the book: the command line may hand it work

    def describe(self) -> str:
        since = self.since.replace("T", " ")[:16]
        return _("{user} on {host} (process {pid}, actdesk {version}) since {since} UTC").format(
            user=self.user, host=self.host, pid=self.pid, version=self.app_version, since=since
        )

    @classmethod
    def current(cls) -> LockHolder:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return cls(
            user=_user(),
            host=socket.gethostname(),
            pid=os.getpid(),
            app_version=__version__,
            since=now,
            heartbeat=now,
            program=_program,
        )

    @classmethod
    def parse(cls, text: str) -> LockHolder | None:
        try:
            data: dict[str, Any] = json.loads(text)
            return cls(
                user=str(data["user"]),
                host=str(data["host"]),
                pid=int(data["pid"]),
                app_version=str(data.get("app_version", "?")),
                since=str(data["since"]),
                heartbeat=str(data.get("heartbeat", data["since"])),
                program=str(data.get("program", "command")),
            )
        except (ValueError, KeyError, TypeError):
            return None

    def is_stale(self, now: datetime | None = None) -> bool:
        """True when the holder certainly is gone: its process died on this host, or it stopped beating."""
        if self.host == socket.gethostname() and not _pid_alive(self.pid):
            return True
        try:
            beat = datetime.fromisoformat(self.heartbeat)
        except ValueError:
            return True
        return (now or datetime.now(UTC)) - beat > STALE_AFTER


def set_program(name: str) -> None:
    """Say what this process is ("window" or "command") in the locks it takes from now on (app.py sets it)."""
    global _program
    _program = name


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers); the pid still identifies the holder
        return "unknown"


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def read_holder(database: Path) -> LockHolder | None:
    """The holder named in the lock file, if any (a crashed session leaves its name behind)."""
    try:
        return LockHolder.parse(lock_path(database).read_text(encoding="utf-8"))
    except OSError:
        return None


def _try_os_lock(fh: IO[str]) -> bool | None:
    """True if locked, False if someone else holds it, None if this filesystem has no locks."""
    try:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(_WIN_LOCK_OFFSET)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK) or (
            sys.platform == "win32" and exc.errno == errno.EDEADLK
        ):
            return False
        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            return None
        raise


def _os_unlock(fh: IO[str]) -> None:
    if sys.platform == "win32":
        import msvcrt

        fh.seek(_WIN_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
    else:
        import fcntl

        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


class BookLock:
    """The writer lock on one book; obtain it with :func:`acquire` and give it back with :meth:`release`."""

    def __init__(
        self,
        database: Path,
        fh: IO[str],
        holder: LockHolder,
        previous: LockHolder | None,
        closed_at_ns: int | None = None,
    ) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fh: IO[str] | None = fh
        self.holder = holder
        # The holder a crashed session left behind (None after a clean shutdown): callers run an
        # integrity check when this is set.
        self.previous = previous
        # When the last session closed the book cleanly (the emptied lock file's modification time, read
        # before this holder wrote its name), None when the file was not empty or is new: ``open_book``
        # skips the page scan only for a book unchanged since then (storage/open.py).
        self.closed_at_ns = closed_at_ns
        self._refs = 1

    @property
    def unclean_shutdown(self) -> bool:
        return self.previous is not None

    def takeover_note(self) -> str:
        """Said once when the lock of a process that is gone (crashed, killed) is taken over."""
        if self.previous is None:
            return ""
        return _(
            "{name} was not closed cleanly by {holder}; that process is gone, so its lock was taken over and "
            "the book checked in full"
        ).format(name=self.database.name, holder=self.previous.describe())

    def _write(self, holder: LockHolder) -> None:
        assert self._fh is not None
        fh = self._fh
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(asdict(holder), sort_keys=True))
        fh.flush()
        os.fsync(fh.fileno())

    def refresh(self) -> None:
        """Heartbeat: proves the holder is alive where the OS lock is unavailable (called from a timer)."""
        if self._fh is None:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self.holder = LockHolder(**{**asdict(self.holder), "heartbeat": now})
        self._write(self.holder)

    def release(self) -> None:
        """Drop one reference; the last one empties the file (clean-shutdown marker) and unlocks."""
        with _registry_lock:
            self._refs -= 1
            if self._refs > 0 or self._fh is None:
                return
            _registry.pop(_key(self.database), None)
            fh, self._fh = self._fh, None
        try:
            fh.seek(0)
            fh.truncate()
            fh.flush()
            os.fsync(fh.fileno())
        except OSError:
            pass  # read-only medium or disk gone: the OS lock still goes away below
        with contextlib.suppress(OSError):
            _os_unlock(fh)
        fh.close()

    @property
    def held(self) -> bool:
        return self._fh is not None


_registry: dict[str, BookLock] = {}
_registry_lock = threading.Lock()


def _key(database: Path) -> str:
    return os.path.normcase(str(database.resolve()))


def acquire(database: Path) -> BookLock:
    """Take the writer lock or raise :class:`BookLockedError` naming the holder."""
    database = database.resolve()
    with _registry_lock:
        existing = _registry.get(_key(database))
        if existing is not None and existing.held:
            existing._refs += 1
            return existing
        lock = _acquire_new(database)
        _registry[_key(database)] = lock
        return lock


def _locked_error(database: Path, holder: LockHolder | None) -> BookLockedError:
    who = holder.describe() if holder else _("another actdesk")
    return BookLockedError(
        _("{name} is open in {who}. Close it there, or open this book read-only.").format(
            name=database.name, who=who
        ),
        holder=who,
    )


def _acquire_new(database: Path) -> BookLock:
    path = lock_path(database)
    existed = path.exists()  # a lock file created now says nothing about how the book was last closed
    try:
        fh = open(path, "a+", encoding="utf-8")  # noqa: SIM115  (kept open while the lock is held)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise BookNotWritableError(
                _(
                    "actdesk may not write in the folder of {name} ({reason}). Move the book to a folder you can "
                    "write to, or open it read-only."
                ).format(name=database.name, reason=os_reason(exc))
            ) from exc
        raise
    try:
        got = _try_os_lock(fh)
        stat = os.fstat(fh.fileno())
        closed_at_ns = stat.st_mtime_ns if existed and stat.st_size == 0 and got is not False else None
        fh.seek(0)
        previous = LockHolder.parse(fh.read()) if fh.seekable() else None
        if got is False:
            raise _locked_error(database, previous)
        if got is None and previous is not None and not previous.is_stale():
            raise _locked_error(database, previous)
        if previous is not None and previous.pid == os.getpid() and previous.host == socket.gethostname():
            previous = None  # our own earlier handle in this process (e.g. re-opened after a restore)
        if previous is not None:
            closed_at_ns = None
        lock = BookLock(database, fh, LockHolder.current(), previous, closed_at_ns)
        lock._write(lock.holder)
        if previous is not None:
            log.info("%s", lock.takeover_note())
        return lock
    except BaseException:
        fh.close()
        raise
