"""``actdesk import ...``, ``actdesk dedupe`` and ``actdesk export contacts``: moving a book in and out."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _
from actdesk.services.importers.presets import PRESET_CHOICES
from actdesk.services.importers.records import KEEP, REPLACE, Rejection

if TYPE_CHECKING:  # the import jobs load SQLAlchemy: imported by the commands that run them, not by --help
    from actdesk.services.importers.preview import ContactPreview


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("import", "dedupe", "export")


def register(sub: argparse._SubParsersAction) -> None:
    imp = sub.add_parser("import", help=_("import contacts or custodian files; undo an import"))
    isub = imp.add_subparsers(dest="import_command", metavar="WHAT", required=True)

    p = isub.add_parser("contacts", help=_("import contacts from CSV or vCard"))
    p.add_argument("file", type=Path)
    p.add_argument("--preset", choices=PRESET_CHOICES, default="auto", help=_("layout of the file"))
    p.add_argument("--mapping", help=_("a saved contact mapping to use instead of a preset"))
    p.add_argument("--dry-run", action="store_true", help=_("show what would happen; write nothing"))
    p.add_argument(
        "--on-conflict",
        choices=(KEEP, REPLACE),
        default=KEEP,
        help=_("when the book and the file disagree: keep the book's value or replace it"),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=import_contacts)

    p = isub.add_parser("balances", help=_("import balances, positions and flows from a custodian file"))
    p.add_argument("file", type=Path)
    p.add_argument("--mapping", required=True, help=_("the saved custodian mapping"))
    p.add_argument("--dry-run", action="store_true", help=_("show what would happen; write nothing"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=import_balances)

    p = isub.add_parser("undo", help=_("undo an import batch completely"))
    p.add_argument("batch_id", type=int)
    p.add_argument("--force", action="store_true", help=_("undo even if records were changed since"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=undo)

    p = isub.add_parser("batches", help=_("list import batches"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=batches)

    p = isub.add_parser("households", help=_("households suggested from shared addresses or surnames"))
    p.add_argument("--apply", nargs="+", metavar="N", help=_("create the suggestions numbered N (or 'all')"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=households)

    mp = isub.add_parser("mapping", help=_("save, list or delete column mappings"))
    msub = mp.add_subparsers(dest="mapping_command", metavar="ACTION", required=True)
    p = msub.add_parser("save", help=_("save a mapping by name"))
    p.add_argument("name")
    p.add_argument("--kind", choices=("custodian", "contacts"), default="custodian")
    p.add_argument("--file", type=Path, help=_("a JSON file holding the mapping"))
    p.add_argument("--account-col")
    p.add_argument("--date-col")
    p.add_argument("--value-col", help=_("market value column (balances and positions)"))
    p.add_argument("--amount-col", help=_("transaction amount column (flows)"))
    p.add_argument("--type-col", help=_("transaction type column"))
    p.add_argument("--symbol-col", help=_("symbol column: rows are positions, summed per account and date"))
    p.add_argument("--date-order", choices=("mdy", "dmy", "ymd"), default="mdy")
    p.add_argument("--decimal-comma", action="store_true", help=_("amounts are written 1.234,56"))
    p.add_argument(
        "--type", action="append", default=[], metavar="TEXT=KIND", help=_("map a type to a flow kind")
    )
    p.add_argument("--column", action="append", default=[], metavar="FIELD=HEADER", help=_("contact mapping"))
    p.set_defaults(handler=mapping_save)
    p = msub.add_parser("list", help=_("list saved mappings"))
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=mapping_list)
    p = msub.add_parser("delete", help=_("delete a saved mapping"))
    p.add_argument("name")
    p.set_defaults(handler=mapping_delete)

    from actdesk.cli import dedupe_export

    dedupe_export.register(sub)


def _now() -> datetime:
    return datetime.now(UTC)


def _pairs(items: list[str], what: str) -> dict[str, str]:
    result = {}
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key.strip():
            raise UsageError(_("{what} must look like NAME=VALUE, not {item!r}").format(what=what, item=item))
        result[key.strip()] = value.strip()
    return result


def rejected_json(rows: list[Rejection]) -> list[dict[str, Any]]:
    return [{"line": r.line, "reason": r.reason, "text": r.text} for r in rows]


def preview_json(preview: ContactPreview) -> dict[str, Any]:
    return {
        "file": preview.file_name,
        "source": preview.source,
        "encoding": preview.encoding,
        "delimiter": preview.delimiter,
        **preview.counts,
        "rejected_rows": rejected_json(preview.rejected),
        "merges": [
            {
                "line": m.record.line,
                "contact_id": m.contact_id,
                "contact": m.contact_name,
                "matched_by": m.matched_by,
                "changes": [
                    {"field": c.field, "old": c.old, "new": c.new, "action": c.action} for c in m.changes
                ],
            }
            for m in preview.merges
        ],
        "new_households": preview.new_households,
        "households_upgraded": preview.upgrades,
        "notes": list(preview.notes),
        "warnings": [{"line": w.line, "message": w.reason, "text": w.text} for w in preview.warnings],
    }


def _print_rejected(rows: list[Rejection]) -> None:
    if rows:
        print(_("Rejected rows:"))
        for r in rows:
            print(f"  {_('line')} {r.line}: {r.reason}" + (f"  [{r.text}]" if r.text else ""))


def import_contacts(ctx: CliContext) -> int:
    from actdesk.services.importers import jobs
    from actdesk.services.importers import mappings as saved

    args = ctx.args
    mapping = None
    if args.mapping:
        from actdesk.settings import load_settings

        mapping = saved.contact_mapping(load_settings(), args.mapping)
    book = ctx.book()
    preview = jobs.preview_contacts(book, args.file, args.preset, mapping, args.on_conflict)
    payload = preview_json(preview)
    payload["dry_run"] = bool(args.dry_run)
    payload["batch_id"] = None
    if not args.dry_run and (preview.adds or preview.upgrades or any(m.applied for m in preview.merges)):
        result = jobs.import_contacts(book, preview, _now())
        payload["batch_id"] = result.batch_id
    if args.json:
        ctx.print_json(payload)
    else:
        print(
            _("{added} to add, {merged} to merge, {rejected} rejected ({source}, {encoding})").format(
                added=payload["added"],
                merged=payload["merged"],
                rejected=payload["rejected"],
                source=preview.source,
                encoding=preview.encoding,
            )
        )
        _print_rejected(preview.rejected)
        if preview.warnings:
            print(_("Warnings (these people are kept):"))
            for w in preview.warnings:
                where = f"{_('line')} {w.line}: " if w.line else ""
                print(f"  {where}{w.reason}" + (f"  [{w.text}]" if w.text else ""))
        if payload["batch_id"] is not None:
            print(
                _("Imported as batch {id}; undo with 'actdesk import undo {id}'.").format(
                    id=payload["batch_id"]
                )
            )
        elif args.dry_run:
            print(_("Dry run: nothing was written."))
    return 0


def import_balances(ctx: CliContext) -> int:
    from actdesk.services.importers import jobs
    from actdesk.services.importers import mappings as saved
    from actdesk.settings import load_settings

    mapping = saved.custodian_mapping(load_settings(), ctx.args.mapping)
    book = ctx.book()
    preview = jobs.preview_balances(book, ctx.args.file, mapping)
    batch_id = None
    if not ctx.args.dry_run and (preview.balances or preview.flows):
        batch_id = jobs.import_balances(book, preview, _now())
    payload = {
        "file": preview.file_name,
        "mapping": preview.mapping,
        **preview.counts,
        "rejected_rows": rejected_json(preview.rejected),
        "unmatched": [
            {"account_number": k, "lines": v} for k, v in sorted(preview.unmatched_accounts.items())
        ],
        "dry_run": bool(ctx.args.dry_run),
        "batch_id": batch_id,
    }
    if ctx.args.json:
        ctx.print_json(payload)
        return 0
    print(
        _("{balances} balances, {flows} flows, {rejected} rejected").format(
            balances=payload["balances"], flows=payload["flows"], rejected=payload["rejected"]
        )
    )
    for number, lines in sorted(preview.unmatched_accounts.items()):
        print(
            _("Account {number} is not in the book (lines {lines})").format(
                number=number, lines=", ".join(map(str, lines))
            )
        )
    _print_rejected(preview.rejected)
    if batch_id is not None:
        print(_("Imported as batch {id}; undo with 'actdesk import undo {id}'.").format(id=batch_id))
    return 0


def undo(ctx: CliContext) -> int:
    from actdesk.services.importers import jobs
    from actdesk.services.importers.errors import UndoRefusedError

    try:
        counts = jobs.undo_batch(ctx.book(), ctx.args.batch_id, _now(), force=ctx.args.force)
    except UndoRefusedError as exc:
        hint = " " + _("Use --force to undo anyway.") if exc.forceable else ""
        raise UsageError(f"{exc}{hint}") from None  # a refusal: exit 2, one line
    if ctx.args.json:
        ctx.print_json({"batch_id": ctx.args.batch_id, **counts})
    else:
        print(
            _("Batch {id} undone: {removed} rows removed, {restored} restored.").format(
                id=ctx.args.batch_id, **counts
            )
        )
    return 0


def batches(ctx: CliContext) -> int:
    from actdesk.services.importers import jobs

    rows = jobs.list_batches(ctx.book())
    if ctx.args.json:
        ctx.print_json(rows)
        return 0
    if not rows:
        print(_("No imports yet."))
    for b in rows:
        print(
            f"{b.id:>5}  {b.created_at:%Y-%m-%d %H:%M}  {b.kind:<10} {b.state:<8} "
            f"+{b.added} ~{b.changed} !{b.rejected}  {b.file_name or ''}"
        )
    return 0


def households(ctx: CliContext) -> int:
    from actdesk.services.importers.households import confirm_households, suggest_households

    book = ctx.book()
    with book.reader() as s:
        suggestions = suggest_households(s)
    batch_id = None
    if ctx.args.apply:
        if ctx.args.apply == ["all"]:
            chosen = suggestions
        else:
            try:
                numbers = [int(n) for n in ctx.args.apply]
            except ValueError:
                raise UsageError(_("give suggestion numbers or 'all'")) from None
            if any(n < 1 or n > len(suggestions) for n in numbers):
                raise UsageError(_("there are {n} suggestions").format(n=len(suggestions)))
            chosen = [suggestions[n - 1] for n in numbers]
        with book.session() as s:
            batch_id = confirm_households(s, ((x.name, x.contact_ids) for x in chosen), _now())
    if ctx.args.json:
        ctx.print_json(
            {
                "suggestions": [
                    {
                        "number": n,
                        "name": x.name,
                        "contact_ids": x.contact_ids,
                        "contacts": x.contact_names,
                        "reason": x.reason,
                    }
                    for n, x in enumerate(suggestions, start=1)
                ],
                "batch_id": batch_id,
            }
        )
        return 0
    for n, x in enumerate(suggestions, start=1):
        print(f"{n:>3}. {x.name}: {', '.join(x.contact_names)} ({_(x.reason)})")
    if not suggestions:
        print(_("No household suggestions."))
    if batch_id is not None:
        print(_("Households created as batch {id}.").format(id=batch_id))
    return 0


def mapping_save(ctx: CliContext) -> int:
    from actdesk.services.importers import mappings as saved
    from actdesk.services.importers.custodian import CustodianMapping
    from actdesk.settings import load_settings

    args = ctx.args
    settings = load_settings()
    if args.kind == "contacts":
        data: dict[str, Any] = (
            saved.load_mapping_file(args.file) if args.file else {"columns": _pairs(args.column, "--column")}
        )
        data.setdefault("date_order", args.date_order)
        saved.save_contact_mapping(settings, saved.contact_mapping_from_dict(args.name, data))
    else:
        if args.file:
            mapping = saved.custodian_mapping_from_dict(args.name, saved.load_mapping_file(args.file))
        else:
            if not args.account_col or not args.date_col:
                raise UsageError(_("a custodian mapping needs --account-col and --date-col (or --file)"))
            mapping = CustodianMapping(
                name=args.name,
                account_col=args.account_col,
                date_col=args.date_col,
                market_value_col=args.value_col,
                amount_col=args.amount_col,
                type_col=args.type_col,
                symbol_col=args.symbol_col,
                date_order=args.date_order,
                decimal_comma=args.decimal_comma,
                types=_pairs(args.type, "--type"),
            )
        saved.save_custodian_mapping(settings, mapping)
    print(_("Mapping {name} saved.").format(name=args.name))
    return 0


def mapping_list(ctx: CliContext) -> int:
    from actdesk.services.importers import mappings as saved
    from actdesk.settings import load_settings

    found = saved.list_mappings(load_settings())
    if ctx.args.json:
        ctx.print_json(found)
        return 0
    for kind, items in found.items():
        for name in sorted(items):
            print(f"{kind:<10} {name}")
    return 0


def mapping_delete(ctx: CliContext) -> int:
    from actdesk.services.importers import mappings as saved
    from actdesk.settings import load_settings

    if not saved.delete_mapping(load_settings(), ctx.args.name):
        raise UsageError(_("no saved mapping named {name!r}").format(name=ctx.args.name))
    print(_("Mapping {name} deleted.").format(name=ctx.args.name))
    return 0
