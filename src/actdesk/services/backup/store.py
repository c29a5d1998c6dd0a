"""Backups on disk: where they go, their manifests, and reading one back to say what it holds.

Each backup is a complete SQLite (or SQLCipher) database ``<id>.db`` plus a manifest ``<id>.json`` with
its date, reason, schema revision, counts and checksum, so that the list and the restore dialog can say
what a backup holds without opening (or decrypting) it.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from actdesk.paths import atomic_write, data_dir
from actdesk.settings import Settings
from actdesk.storage.cipher import cipher_connect, driver_errors, key_for, looks_plain

MANIFEST_VERSION = 1
COUNTED_TABLES = ("households", "contacts", "activities")
PINNED_REASONS = frozenset({"pre-restore", "pre-migration", "pre-replace"})


@dataclass
class BackupSettings:
    """Settings section "backup"."""

    SECTION: ClassVar[str] = "backup"  # its section of the settings file
    folder: str = ""  # empty: <data dir>/backups
    interval_hours: float = 4.0
    at_exit: bool = True
    recent: int = 5
    daily: int = 7
    weekly: int = 4
    monthly: int = 12


@dataclass
class BackupInfo:
    id: str
    path: Path
    created_at: datetime
    reason: str
    source: str
    schema_revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    size: int = 0
    sha256: str = ""
    encrypted: bool = False
    integrity: str = "ok"
    app_version: str = ""

    @property
    def pinned(self) -> bool:
        return self.reason in PINNED_REASONS

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["path"] = str(self.path)
        data["created_at"] = self.created_at.isoformat()
        data["manifest_version"] = MANIFEST_VERSION
        return data

    @classmethod
    def from_manifest(cls, manifest: Path) -> BackupInfo:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        return cls(
            id=str(data["id"]),
            path=manifest.with_suffix(".db"),
            created_at=datetime.fromisoformat(data["created_at"]),
            reason=str(data.get("reason", "")),
            source=str(data.get("source", "")),
            schema_revision=data.get("schema_revision"),
            counts={str(k): int(v) for k, v in dict(data.get("counts", {})).items()},
            size=int(data.get("size", 0)),
            sha256=str(data.get("sha256", "")),
            encrypted=bool(data.get("encrypted", False)),
            integrity=str(data.get("integrity", "unknown")),
            app_version=str(data.get("app_version", "")),
        )


def backup_settings(settings: Settings | None = None) -> BackupSettings:
    """The backup section of ``settings``; without settings, the defaults. The window and the CLI pass the
    user's settings to every backup function (nothing here reads the settings file)."""
    return (settings or Settings()).section(BackupSettings)


def backup_root(settings: Settings | None = None) -> Path:
    chosen = backup_settings(settings).folder
    return Path(chosen).expanduser() if chosen else data_dir() / "backups"


def book_folder(database: Path, settings: Settings | None = None) -> Path:
    """One sub-folder per book (name plus a short hash of its location), so books never mix."""
    resolved = os.path.normcase(str(Path(database).resolve()))
    tag = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:8]
    return backup_root(settings) / f"{Path(database).stem}-{tag}"


def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in a book's folder, newest first (manifests without their database are skipped)."""
    if not folder.is_dir():
        return []
    found = []
    for manifest in folder.glob("*.json"):
        try:
            info = BackupInfo.from_manifest(manifest)
        except (OSError, ValueError, KeyError):
            continue
        if info.path.exists():
            found.append(info)
    return sorted(found, key=lambda b: (b.created_at, b.id), reverse=True)


def find_backup(folder: Path, backup_id: str) -> BackupInfo | None:
    backups = list_backups(folder)
    exact = [b for b in backups if b.id == backup_id]
    if exact:
        return exact[0]
    matches = [b for b in backups if b.id.startswith(backup_id)]
    return matches[0] if len(matches) == 1 else None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def open_database(path: Path, key: str | None, *, read_only: bool = True) -> Any:
    """A raw connection to a backup or book file (SQLCipher when it is not a plain SQLite file)."""
    if looks_plain(path) is not False:
        uri = f"file:{path.as_posix()}?mode=ro" if read_only else str(path)
        return sqlite3.connect(uri, uri=read_only, check_same_thread=False)
    if key is None:
        raise PermissionError("this backup is encrypted and its key is not available")
    return cipher_connect(path, key, read_only=read_only)


@dataclass
class Inspection:
    integrity: str
    schema_revision: str | None
    counts: dict[str, int]


def inspect_database(conn: Any) -> Inspection:
    """Integrity check, schema revision and counts of what a database holds."""
    rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check").fetchall()]
    integrity = "ok" if rows == ["ok"] else "; ".join(rows[:5])
    return Inspection(integrity, *_revision_and_counts(conn))


def _revision_and_counts(conn: Any) -> tuple[str | None, dict[str, int]]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()}
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    counts = {
        t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
        for t in COUNTED_TABLES
        if t in tables
    }
    return revision, counts


def verify_file(info: BackupInfo, key: str | None = None) -> Inspection:
    """Re-read a backup trusting nothing in its manifest: the file must match its recorded SHA-256 (a missing
    checksum is a failure, as in git), pass PRAGMA integrity_check, and hold what the manifest says it holds
    (counts and schema revision recounted from the file). Raises PermissionError when the key does not open it."""
    if not info.sha256:
        return Inspection("no checksum recorded: the manifest was changed or is incomplete", None, {})
    if sha256_file(info.path) != info.sha256:
        return Inspection("checksum mismatch: the file changed since it was written", None, {})
    found = _inspect(info, key)
    if found.integrity == "ok":
        problems = manifest_mismatches(info, found)
        if problems:
            found.integrity = "the manifest does not match the file: " + "; ".join(problems)
    return found


def _inspect(info: BackupInfo, key: str | None, *, counts_only: bool = False) -> Inspection:
    conn = None
    try:
        conn = open_database(info.path, key or (key_for(Path(info.source)) if info.encrypted else None))
        if counts_only:
            return Inspection("unchecked", *_revision_and_counts(conn))
        return inspect_database(conn)
    except driver_errors() as exc:
        if looks_plain(info.path) is False:
            raise PermissionError("the key does not open this backup") from exc
        return Inspection(f"unreadable: {exc}", None, {})
    finally:
        if conn is not None:
            conn.close()


def manifest_mismatches(info: BackupInfo, found: Inspection) -> list[str]:
    """Where the manifest's counts or schema revision differ from the file's."""
    problems = [
        f"{table}: manifest {info.counts.get(table)}, file {found.counts.get(table)}"
        for table in sorted(set(info.counts) | set(found.counts))
        if info.counts.get(table) != found.counts.get(table)
    ]
    if info.schema_revision != found.schema_revision:
        problems.append(f"schema: manifest {info.schema_revision}, file {found.schema_revision}")
    return problems


def recount(info: BackupInfo, key: str | None = None) -> BackupInfo:
    """The backup as its file describes it: counts and schema read from the database (milliseconds), not
    from the manifest, which anyone can edit; ``integrity`` says when the two disagree. A backup whose key
    is not at hand keeps the manifest's figures, marked unverified."""
    try:
        found = _inspect(info, key, counts_only=True)
    except (PermissionError, OSError):
        return replace(info, integrity="unverified (encrypted, key not available)")
    problems = manifest_mismatches(info, found)
    integrity = "the manifest does not match the file: " + "; ".join(problems) if problems else info.integrity
    return replace(info, counts=found.counts, schema_revision=found.schema_revision, integrity=integrity)


def write_manifest(info: BackupInfo) -> None:
    atomic_write(info.path.with_suffix(".json"), json.dumps(info.to_json(), indent=2, sort_keys=True))


def new_backup_id(folder: Path, reason: str, now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    safe = "".join(c if c.isalnum() or c == "-" else "-" for c in reason.lower())[:24] or "manual"
    candidate = f"{stamp}-{safe}"
    n = 2
    while (folder / f"{candidate}.db").exists() or (folder / f"{candidate}.json").exists():
        candidate = f"{stamp}-{safe}-{n}"
        n += 1
    return candidate


def stale_partials(database: Path, settings: Settings | None = None) -> list[Path]:
    """Temporary files of interrupted backups of this book (``.<id>.partial``, ``.manifest-*``)."""
    folder = book_folder(database, settings)
    if not folder.is_dir():
        return []
    return sorted([*folder.glob(".*.partial"), *folder.glob(".manifest-*")])
