"""Where things live: shipped resources (importlib.resources) and the user's folders (platformdirs)."""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

from actdesk import APP_AUTHOR, APP_NAME


@cache
def _resources_root() -> Traversable:
    """The installed package ``actdesk.resources``; in a source checkout or frozen bundle, the folder itself."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "actdesk" / "resources"
    try:
        return files("actdesk.resources")
    except ModuleNotFoundError:  # editable install: setuptools maps only the top-level package
        return Path(__file__).resolve().parents[2] / "resources"


def resource(*parts: str) -> Traversable:
    """A file or folder shipped in resources/ (icons, translations, templates)."""
    node = _resources_root()
    for part in parts:
        node = node / part
    return node


def data_dir() -> Path:
    override = os.environ.get("ACTDESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    override = os.environ.get("ACTDESK_CONFIG_DIR")
    path = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database() -> Path:
    return data_dir() / "book.db"


def path_kind(path: str | Path) -> str | None:
    """ "file", "folder", "other" or None (nothing there) for a path the advisor typed. A name the system
    cannot even look up (longer than it takes, a NUL) is nothing there too: ``Path.exists`` raises on those
    instead of answering."""
    try:
        target = Path(path)
        if target.is_dir():
            return "folder"
        if target.is_file():
            return "file"
        return "other" if target.exists() else None
    except (OSError, ValueError):
        return None


@contextmanager
def atomic_path(target: Path, *, suffix: str = ".part") -> Iterator[Path]:
    """A temporary file beside ``target`` to write; renamed onto ``target`` (after fsync) only if the block
    succeeds, removed otherwise: a crash or an error never leaves half a file under the real name.

    The one atomic write of the app (settings, manifests, exports, reports, calendars). A folder as the
    target (an empty name is the current folder) is refused before anything is written: the rename would
    fail only at the end, with the operating system's word for it ("Device or resource busy")."""
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    except OSError as exc:  # name the file asked for, not our temporary one
        raise type(exc)(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(
    target: Path, data: str | bytes, *, encoding: str = "utf-8", newline: str | None = None
) -> None:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`)."""
    with atomic_path(target) as tmp:
        if isinstance(data, bytes):
            tmp.write_bytes(data)
        else:
            with tmp.open("w", encoding=encoding, newline=newline) as fh:
                fh.write(data)
