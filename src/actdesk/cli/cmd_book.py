"""``actdesk export-book DIR`` and ``actdesk import-book DIR``: the open book format on the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _, format_number

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("export-book", "import-book")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "export-book", help=_("write the whole book to a folder of CSV files (open book format)")
    )
    p.add_argument("folder", metavar="DIR", help=_("folder to write (created if missing)"))
    p.add_argument("--json", action="store_true", help=_("print a JSON summary"))
    p.set_defaults(handler=export_command)

    p = sub.add_parser("import-book", help=_("read a folder of CSV files (open book format) into the book"))
    p.add_argument("folder", metavar="DIR", help=_("folder holding households.csv, contacts.csv, ..."))
    how = p.add_mutually_exclusive_group()
    how.add_argument(
        "--replace", action="store_true", help=_("delete the book's records first, keep the files' ids")
    )
    how.add_argument(
        "--append", action="store_true", help=_("add the records under new ids after the book's own")
    )
    p.add_argument(
        "--max-errors", type=int, default=100, metavar="N", help=_("stop after N problems (default 100)")
    )
    p.add_argument(
        "--yes", action="store_true", help=_("confirm a replace that deletes more records than it adds")
    )
    p.add_argument("--json", action="store_true", help=_("print a JSON summary (or the list of problems)"))
    p.set_defaults(handler=import_command)


def export_command(ctx: CliContext) -> int:
    from actdesk.services.book_format import export_book
    from actdesk.services.cell_guard import guard_enabled

    folder = Path(ctx.args.folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("{path} exists and is not a folder").format(path=folder))
    summary = export_book(ctx.book(), folder, guard=guard_enabled(ctx.settings))
    if ctx.args.json:
        ctx.print_json({"folder": str(summary.folder.resolve()), "files": summary.rows})
    else:
        print(_("Book exported to {path}").format(path=summary.folder))
        _print_counts(summary.rows)
    return 0


def import_command(ctx: CliContext) -> int:
    from actdesk.services.book_format import BookFormatError, BookNotEmptyError, ImportMode

    folder = Path(ctx.args.folder).expanduser()
    if not folder.is_dir():
        raise UsageError(_("{path} is not a folder").format(path=folder))
    if ctx.args.max_errors < 1:
        raise UsageError(_("--max-errors must be at least 1"))
    mode = (
        ImportMode.REPLACE
        if ctx.args.replace
        else ImportMode.APPEND
        if ctx.args.append
        else ImportMode.EMPTY_ONLY
    )
    try:
        summary = _import_confirmed(ctx, folder, mode)
    except BookFormatError as exc:
        for issue in exc.issues:
            print(f"actdesk: {issue}", file=sys.stderr)
        print("actdesk: " + _("nothing was imported: fix the files and try again"), file=sys.stderr)
        if ctx.args.json:
            payload: dict[str, Any] = {
                "ok": False,
                "errors": [
                    {"file": i.file, "line": i.line, "column": i.column, "reason": i.reason}
                    for i in exc.issues
                ],
                "truncated": exc.truncated,
            }
            ctx.print_json(payload)
        return 2
    except BookNotEmptyError as exc:
        held = ", ".join(f"{table} {format_number(n)}" for table, n in exc.counts.items() if n)
        raise UsageError(
            _(
                "this book already holds records ({held}); nothing was imported. Import into a new or empty "
                "book, or say how: --replace deletes the book's records first, --append adds the files' "
                "records under new ids"
            ).format(held=held)
        ) from None
    for notice in summary.notices:
        print(f"actdesk: {notice}", file=sys.stderr)
    if ctx.args.json:
        ctx.print_json(
            {
                "ok": True,
                "mode": summary.mode.value,
                "files": summary.rows,
                "replaced": summary.replaced,
                "id_offsets": summary.id_offsets,
                "notices": summary.notices,
                "backup": summary.backup_id,
            }
        )
        return 0
    if summary.replaced:
        print(_("Replaced the book's previous records:"))
        _print_counts(summary.replaced)
    if summary.backup_id:
        print(
            _(
                "The book as it was is kept as backup {id}; go back with 'actdesk backup restore {id}'."
            ).format(id=summary.backup_id)
        )
    if summary.id_offsets:
        print(_("Records were added under new ids (the files' ids were shifted)."))
    print(_("Book imported from {path}").format(path=folder))
    _print_counts(summary.rows)
    return 0


def _import_confirmed(ctx: CliContext, folder: Path, mode: Any) -> Any:
    """Import; a replace that deletes more than it adds needs --yes, or a yes typed at a terminal."""
    from actdesk.services.book_format import import_book
    from actdesk.services.book_format.safety import ReplaceNotConfirmedError

    try:
        return import_book(
            ctx.book(),
            folder,
            mode,
            max_errors=ctx.args.max_errors,
            confirmed=ctx.args.yes,
            settings=ctx.settings,
        )
    except ReplaceNotConfirmedError as exc:
        if not sys.stdin.isatty():
            raise
        print(f"actdesk: {exc}", file=sys.stderr)
        answer = input(_("Replace the book anyway? A verified backup is taken first. [y/N] "))
        if answer.strip().lower() not in ("y", "yes", "s", "si", "sí"):
            raise
        return import_book(
            ctx.book(), folder, mode, max_errors=ctx.args.max_errors, confirmed=True, settings=ctx.settings
        )


def _print_counts(counts: dict[str, int]) -> None:
    width = max((len(name) for name in counts), default=0)
    for name, n in counts.items():
        print(f"  {name:<{width}}  {format_number(n):>12}")
