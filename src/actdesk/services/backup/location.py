"""Is a folder on a network share or inside a sync client's folder? Fine for backups, never for the live book.

Sync clients (Dropbox, OneDrive, iCloud, Google Drive) upload a database file while SQLite writes it and
its WAL separately, and later "resolve conflicts" by overwriting one with the other; network file
systems often lie about locks and fsync. Either can corrupt a live book.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from actdesk.i18n import _

SYNCED_MARKERS = (
    ("dropbox", "Dropbox"),
    ("onedrive", "OneDrive"),
    ("icloud drive", "iCloud Drive"),
    ("icloud", "iCloud"),
    ("mobile documents", "iCloud Drive"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
    ("box sync", "Box"),
    ("nextcloud", "Nextcloud"),
    ("owncloud", "ownCloud"),
    ("pcloud", "pCloud"),
    ("sync.com", "Sync.com"),
)
NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afpfs", "webdav", "davfs", "fuse.sshfs", "sshfs",
    "9p", "afs", "ncpfs", "glusterfs", "ceph", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "lustre",
}  # fmt: skip


def synced_provider(path: Path) -> str | None:
    """The sync service whose folder holds ``path`` (by its well-known folder names), if any."""
    parts = [p.lower() for p in Path(path).expanduser().resolve().parts]
    for (
        marker,
        name,
    ) in SYNCED_MARKERS:  # specific names first: ".../CloudStorage/OneDrive-Personal" is OneDrive
        for low in parts:
            if low == marker or low.startswith((marker + " ", marker + "-")):
                return name
    if "cloudstorage" in parts:  # macOS File Provider folder of any other service
        return _("a cloud storage service")
    return None


def _mounts_linux() -> list[tuple[str, str]]:
    try:
        text = Path("/proc/mounts").read_text(encoding="utf-8")
    except OSError:
        return []
    out = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            out.append((fields[1].replace("\\040", " "), fields[2]))
    return out


def _mounts_macos() -> list[tuple[str, str]]:
    try:
        text = subprocess.run(["mount"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    out = []
    for line in text.splitlines():
        if " on " in line and "(" in line:
            point = line.split(" on ", 1)[1].rsplit(" (", 1)[0]
            fstype = line.rsplit("(", 1)[1].split(",")[0].strip(") ")
            out.append((point, fstype))
    return out


def filesystem_type(path: Path, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """The file-system type of the mount holding ``path`` (longest matching mount point)."""
    if mounts is None:
        mounts = _mounts_macos() if sys.platform == "darwin" else _mounts_linux()
    target = str(Path(path).expanduser().resolve())
    best: tuple[int, str] | None = None
    for point, fstype in mounts:
        inside = target == point or target.startswith(point.rstrip("/") + "/") or point == "/"
        if inside and (best is None or len(point) > best[0]):
            best = (len(point), fstype)
    return best[1] if best else None


def is_network_path(path: Path, mounts: list[tuple[str, str]] | None = None) -> bool:
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":
        import ctypes

        drive = os.path.splitdrive(str(Path(path).resolve()))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # type: ignore[attr-defined]
    fstype = filesystem_type(path, mounts)
    return fstype is not None and fstype.lower() in NETWORK_FS


def live_location_warning(database: Path, mounts: list[tuple[str, str]] | None = None) -> str | None:
    """A warning to show when the live book sits on a network share or in a synced folder, else None."""
    provider = synced_provider(database)
    if provider:
        return _(
            "This book is in a folder synced by {provider}. Syncing a database while actdesk writes it can "
            "corrupt it: move the book to a local folder and point backups at the synced folder instead."
        ).format(provider=provider)
    if is_network_path(database, mounts):
        return _(
            "This book is on a network drive. Network drives can lose or corrupt database writes: move the "
            "book to this computer's disk and keep backups on the network drive instead."
        )
    return None
