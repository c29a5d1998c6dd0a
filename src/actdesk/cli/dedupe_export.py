"""``actdesk dedupe`` and ``actdesk export contacts`` (registered by cmd_import, the feature's entry point)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from actdesk.cli.context import CliContext
from actdesk.i18n import _
from actdesk.services.importers.presets import PRESETS


def register(sub: argparse._SubParsersAction) -> None:
    dd = sub.add_parser("dedupe", help=_("find duplicate contacts in the book and merge them"))
    dd.add_argument("--json", action="store_true")
    dd.set_defaults(handler=dedupe_list)
    dsub = dd.add_subparsers(dest="dedupe_command", metavar="ACTION")
    p = dsub.add_parser("merge", help=_("merge the second contact into the first, keeping all history"))
    p.add_argument("keep_id", type=int)
    p.add_argument("drop_id", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=dedupe_merge)

    ex = sub.add_parser("export", help=_("export contacts (the whole book: 'actdesk book export')"))
    esub = ex.add_subparsers(dest="export_command", metavar="WHAT", required=True)
    p = esub.add_parser("contacts", help=_("export every contact to CSV or vCard"))
    p.add_argument("file", type=Path)
    p.add_argument("--format", choices=("csv", "vcard"), default="csv")
    p.add_argument("--preset", choices=sorted(PRESETS), default="google", help=_("CSV layout"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=export_contacts)


def dedupe_list(ctx: CliContext) -> int:
    from actdesk.services.importers.dedupe import find_duplicates

    with ctx.book().reader() as s:
        pairs = find_duplicates(s)
    if ctx.args.json:
        ctx.print_json(pairs)
        return 0
    if not pairs:
        print(_("No duplicates found."))
    for p in pairs:
        print(f"{p.keep_id:>6} {p.keep_name:<30} {p.drop_id:>6} {p.drop_name:<30} {_(p.reason)}")
    return 0


def dedupe_merge(ctx: CliContext) -> int:
    from actdesk.services.importers.dedupe import merge_contacts

    with ctx.book().session() as s:
        batch_id = merge_contacts(s, ctx.args.keep_id, ctx.args.drop_id, datetime.now(UTC))
    if ctx.args.json:
        ctx.print_json({"keep_id": ctx.args.keep_id, "drop_id": ctx.args.drop_id, "batch_id": batch_id})
    else:
        print(_("Merged; undo with 'actdesk import undo {id}'.").format(id=batch_id))
    return 0


def export_contacts(ctx: CliContext) -> int:
    from actdesk.services.cell_guard import guard_enabled
    from actdesk.services.importers.export import export_contacts as run

    with ctx.book().reader() as s:
        count = run(s, ctx.args.file, ctx.args.format, ctx.args.preset, guard=guard_enabled(ctx.settings))
    if ctx.args.json:
        ctx.print_json({"file": ctx.args.file, "format": ctx.args.format, "contacts": count})
    else:
        print(_("{n} contacts written to {file}.").format(n=count, file=ctx.args.file))
    return 0
