"""``actdesk backup``, ``actdesk db`` and ``actdesk audit``: the command-line face of issue 11's guarantees."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _, format_date, format_number, ngettext
from actdesk.storage.errors import BookLockedError, CorruptBookError

if TYPE_CHECKING:  # the services load SQLAlchemy: imported by the commands that run them, not by --help
    from actdesk.services.backup import BackupInfo
    from actdesk.storage.engine import Book


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("backup", "db", "audit")


def register(sub: Any) -> None:
    backup = sub.add_parser("backup", help=_("create, list, verify and restore backups of the book"))
    bsub = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    p = bsub.add_parser("create", help=_("write a verified backup now"))
    p.add_argument("--reason", default="manual", help=_("why (kept in the backup's name)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_create)
    p = bsub.add_parser("list", help=_("list this book's backups, newest first"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_list)
    p = bsub.add_parser("verify", help=_("re-check a backup's checksum and integrity"))
    p.add_argument("id", help=_("backup id (or its unique beginning)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_verify)
    p = bsub.add_parser("restore", help=_("replace the book by a backup (after a safety backup)"))
    p.add_argument("id", help=_("backup id (or its unique beginning)"))
    p.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_restore)

    db = sub.add_parser("db", help=_("check, encrypt or decrypt the book's database"))
    dsub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    p = dsub.add_parser("check", help=_("integrity, audit chain, encryption, lock and schema"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_db_check)
    for name, handler, text in (
        ("encrypt", cmd_db_encrypt, _("encrypt the book (key in the keyring, or a passphrase)")),
        ("decrypt", cmd_db_decrypt, _("turn an encrypted book back into a plain one")),
    ):
        p = dsub.add_parser(name, help=text)
        p.add_argument(
            "--passphrase-stdin", action="store_true", help=_("read the passphrase from standard input")
        )
        p.add_argument("--json", action="store_true", help=_("print JSON"))
        p.set_defaults(handler=handler)

    key = dsub.add_parser("key", help=_("move a keyring-encrypted book's key to another computer"))
    ksub = key.add_subparsers(dest="key_command", metavar="ACTION", required=True)
    for name, handler, text in (
        ("export", cmd_key_export, _("write the book's key to a passphrase-protected file")),
        ("import", cmd_key_import, _("put a key exported elsewhere into this computer's keyring")),
    ):
        p = ksub.add_parser(name, help=text)
        p.add_argument("file", type=Path, metavar="FILE", help=_("the key file"))
        p.add_argument(
            "--passphrase-stdin", action="store_true", help=_("read the passphrase from standard input")
        )
        p.set_defaults(handler=handler)

    audit = sub.add_parser("audit", help=_("verify and read the audit trail, recover deleted records"))
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    p = asub.add_parser("verify", help=_("check the audit trail's hash chain"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_audit_verify)
    p = asub.add_parser("log", help=_("show the newest audit entries"))
    p.add_argument("--table", help=_("only this table"))
    p.add_argument("--id", dest="row_id", help=_("only this record"))
    p.add_argument("--limit", type=int, default=50, help=_("how many entries (default 50)"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_audit_log)
    p = asub.add_parser("recover", help=_("bring back a deleted record from the audit trail"))
    p.add_argument("table", help=_("table name, e.g. households"))
    p.add_argument("id", help=_("the deleted record's id"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_audit_recover)


def _path(ctx: CliContext) -> Path:
    if "://" in ctx.database:
        raise UsageError(_("this command works on a book kept in a file, not on a server"))
    return Path(ctx.database).expanduser().resolve()


def _summary(info: BackupInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "created_at": info.created_at,
        "reason": info.reason,
        "schema_revision": info.schema_revision,
        "counts": info.counts,
        "size": info.size,
        "encrypted": info.encrypted,
        "integrity": info.integrity,
        "path": info.path,
    }


def _describe(info: BackupInfo) -> str:
    counts = info.counts
    return _(
        "Backup {id} taken {date} ({reason}): {households} households, {contacts} contacts, "
        "{activities} activities; schema {revision}; {size} KB{encrypted}."
    ).format(
        id=info.id,
        date=format_date(info.created_at.date()) + info.created_at.strftime(" %H:%M UTC"),
        reason=info.reason,
        households=format_number(counts.get("households", 0)),
        contacts=format_number(counts.get("contacts", 0)),
        activities=format_number(counts.get("activities", 0)),
        revision=info.schema_revision or "?",
        size=format_number(info.size // 1024),
        encrypted=_(", encrypted") if info.encrypted else "",
    )


def cmd_create(ctx: CliContext) -> int:
    from actdesk.services.backup import backup_now

    info = backup_now(ctx.book(), ctx.args.reason, ctx.settings)
    if ctx.args.json:
        ctx.print_json(_summary(info))
    else:
        print(_describe(info))
        print(_("Saved to {path}").format(path=info.path))
    return 0


def cmd_list(ctx: CliContext) -> int:
    from actdesk.services.backup import book_folder, list_backups, recount

    # what the files hold, not what their manifests say
    backups = [recount(b) for b in list_backups(book_folder(_path(ctx), ctx.settings))]
    if ctx.args.json:
        ctx.print_json([_summary(b) for b in backups])
        return 0
    if not backups:
        print(_("No backups of this book yet. Create one with 'actdesk backup create'."))
        return 0
    for info in backups:
        print(_describe(info))
    return 0


def cmd_verify(ctx: CliContext) -> int:
    from actdesk.services.backup import get_backup, verify_backup

    info = get_backup(_path(ctx), ctx.args.id, ctx.settings)
    found = verify_backup(info)
    payload = {"id": info.id, "ok": found.integrity == "ok", "integrity": found.integrity,
               "schema_revision": found.schema_revision, "counts": found.counts}  # fmt: skip
    if ctx.args.json:
        ctx.print_json(payload)
    elif payload["ok"]:
        print(_("Backup {id} is intact.").format(id=info.id))
    else:
        print(
            _("Backup {id} is damaged: {reason}").format(id=info.id, reason=found.integrity), file=sys.stderr
        )
    return 0 if payload["ok"] else 1


def cmd_restore(ctx: CliContext) -> int:
    from actdesk.services.backup import get_backup, recount, restore_backup

    book = ctx.book()
    assert book.path is not None
    info = recount(get_backup(book.path, ctx.args.id, ctx.settings))
    print(_describe(info), file=sys.stderr if ctx.args.json else sys.stdout)
    if not ctx.args.yes:
        if not sys.stdin.isatty():
            raise UsageError(_("restoring replaces the book: add --yes to confirm"))
        answer = input(_("Replace the current book with this backup? A safety backup is taken first. [y/N] "))
        if answer.strip().lower() not in ("y", "yes", "s", "si", "sí"):
            print(_("Nothing was changed."))
            return 1
    result = restore_backup(book, info.id, ctx.settings)
    if ctx.args.json:
        safety = result.safety_backup.id if result.safety_backup else None
        ctx.print_json(
            {"restored": info.id, "safety_backup": safety, "schema_revision": result.schema_revision}
        )
    else:
        print(_("Restored backup {id}. The book as it was is kept as backup {safety}.").format(
            id=info.id, safety=result.safety_backup.id if result.safety_backup else "-"))  # fmt: skip
    return 0


def _open_for_inspection(ctx: CliContext) -> Book:
    from actdesk.cli.context import check_book_path
    from actdesk.storage.open import open_book

    check_book_path(ctx.database, creates=False)
    try:
        return open_book(ctx.database, migrate=False, integrity_check=False)
    except BookLockedError:
        return open_book(ctx.database, migrate=False, read_only=True)


def cmd_db_check(ctx: CliContext) -> int:
    from actdesk.services.integrity import book_health

    try:
        book = _open_for_inspection(ctx)
    except CorruptBookError as exc:
        from actdesk.services.backup import latest_good_backup

        good = latest_good_backup(_path(ctx), ctx.settings)
        if not ctx.args.json:
            raise
        ctx.print_json({"ok": False, "path": ctx.database, "integrity": {"ok": False, "problems": [str(exc)]},
                        "latest_good_backup": good.id if good else None})  # fmt: skip
        return 1
    try:
        health = book_health(book)
    finally:
        book.dispose()
    if ctx.args.json:
        ctx.print_json(health)
    else:
        yes, no = _("ok"), _("PROBLEM")
        print(_("Integrity: {state}").format(state=yes if health["integrity"]["ok"] else no))
        for problem in health["integrity"]["problems"]:
            print("  " + problem)
        chain = health["audit_chain"]
        print(
            _("Audit trail: {state} ({n} entries)").format(
                state=yes if chain["ok"] else no, n=chain["entries"]
            )
        )
        for problem in chain["problems"]:
            print("  " + problem)
        print(
            _("Encrypted: {state}").format(state=_("yes") if health["encryption"]["encrypted"] else _("no"))
        )
        print(
            _("Schema: {rev} (current {head})").format(
                rev=health["schema"]["revision"], head=health["schema"]["head"]
            )
        )
        if health["lock"]["holder"] and not health["lock"]["held_by_us"]:
            print(_("Open elsewhere by {holder}").format(holder=health["lock"]["holder"]))
        if health["location_warning"]:
            print(health["location_warning"])
        for path in health["leftover_files"]["removed"]:
            print(_("Removed {path}, left behind by an interrupted operation").format(path=path))
        for path in health["leftover_files"]["present"]:
            print(_("PROBLEM: {path} was left behind by an interrupted operation; it may hold client data. "
                    "Close every actdesk and run 'actdesk db check' again to remove it").format(path=path))  # fmt: skip
    return 0 if health["ok"] else 1


def _read_passphrase(ctx: CliContext) -> str | None:
    if not ctx.args.passphrase_stdin:
        return None
    text = sys.stdin.readline().rstrip("\r\n")
    if not text:
        raise UsageError(_("no passphrase on standard input"))
    return text


def cmd_db_encrypt(ctx: CliContext) -> int:
    from actdesk.services.backup import book_folder, list_backups
    from actdesk.services.crypto import EncryptionError, encrypt_book

    path = _path(ctx)
    if not path.exists():
        raise UsageError(_("there is no book at {path}").format(path=path))
    passphrase = _read_passphrase(ctx)
    try:
        result = encrypt_book(path, passphrase)
    except EncryptionError as exc:
        raise UsageError(str(exc)) from exc
    plain_backups = [b.id for b in list_backups(book_folder(path, ctx.settings)) if not b.encrypted]
    if ctx.args.json:
        ctx.print_json({"encrypted": True, "key_in_keyring": result.key_in_keyring, "rows": result.rows,
                        "unencrypted_backups": plain_backups})  # fmt: skip
        return 0
    where = (
        _("the system keyring")
        if result.key_in_keyring
        else _("your passphrase (keep it safe: it cannot be recovered)")
    )
    print(_("The book is now encrypted; its key is {where}.").format(where=where))
    if plain_backups:
        text = ngettext(
            "{n} earlier backup is not encrypted; delete it from {folder} once a new backup exists.",
            "{n} earlier backups are not encrypted; delete them from {folder} once a new backup exists.",
            len(plain_backups),
        )
        print(text.format(n=len(plain_backups), folder=book_folder(path, ctx.settings)))
    return 0


def cmd_db_decrypt(ctx: CliContext) -> int:
    from actdesk.services.crypto import EncryptionError, decrypt_book

    path = _path(ctx)
    try:
        result = decrypt_book(path, _read_passphrase(ctx))
    except EncryptionError as exc:
        raise UsageError(str(exc)) from exc
    if ctx.args.json:
        ctx.print_json({"encrypted": False, "rows": result.rows})
    else:
        print(_("The book is no longer encrypted."))
    return 0


def cmd_audit_verify(ctx: CliContext) -> int:
    from actdesk.services.audit import verify_chain

    book = _open_for_inspection(ctx)
    try:
        report = verify_chain(book)
    finally:
        book.dispose()
    if ctx.args.json:
        ctx.print_json(report)
    elif report.ok:
        print(_("The audit trail is intact ({n} entries).").format(n=format_number(report.entries)))
    else:
        print(_("The audit trail was tampered with:"), file=sys.stderr)
        for problem in report.problems[:20]:
            print("  " + problem, file=sys.stderr)
    return 0 if report.ok else 1


def cmd_audit_log(ctx: CliContext) -> int:
    from actdesk.services.audit import audit_log

    if ctx.args.limit < 1:
        raise UsageError(_("--limit must be 1 or more"))
    entries = audit_log(ctx.book(), table=ctx.args.table, row_id=ctx.args.row_id, limit=ctx.args.limit)
    if ctx.args.json:
        ctx.print_json(entries)
        return 0
    for e in entries:
        fields = ", ".join(sorted(e.changes))
        print(
            f"{e.id:>6}  {e.at:%Y-%m-%d %H:%M}  {e.actor:<12} {e.action:<8} {e.table}/{e.row_id or '*'}  {fields}"
        )
    if not entries:
        print(_("No audit entries."))
    return 0


def cmd_audit_recover(ctx: CliContext) -> int:
    from actdesk.services.audit import recover_deleted

    values = recover_deleted(ctx.book(), ctx.args.table, ctx.args.id)
    if ctx.args.json:
        ctx.print_json({"table": ctx.args.table, "id": ctx.args.id, "values": values})
    else:
        print(_("Recovered {table} record {id}.").format(table=ctx.args.table, id=ctx.args.id))
    return 0


def _key_passphrase(ctx: CliContext) -> str:
    if ctx.args.passphrase_stdin or not sys.stdin.isatty():
        text = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        text = getpass.getpass(_("Passphrase of the key file: "))
    if not text:
        raise UsageError(_("no passphrase given"))
    return text


def cmd_key_export(ctx: CliContext) -> int:
    from actdesk.services.book_key import export_key

    check_path = _path(ctx)
    if not check_path.exists():
        raise UsageError(_("there is no book at {path}").format(path=check_path))
    identifier = export_key(check_path, ctx.args.file.expanduser(), _key_passphrase(ctx))
    print(_("The key of {name} ({id}) is in {file}; import it on the other computer with "
            "'actdesk db key import {file}'.").format(name=check_path.name, id=identifier, file=ctx.args.file))  # fmt: skip
    return 0


def cmd_key_import(ctx: CliContext) -> int:
    from actdesk.services.book_key import import_key

    check_path = _path(ctx)
    if not check_path.exists():
        raise UsageError(_("there is no book at {path}").format(path=check_path))
    import_key(check_path, ctx.args.file.expanduser(), _key_passphrase(ctx))
    print(_("The key is in this computer's keyring; {name} opens here now.").format(name=check_path.name))
    return 0
