"""``actdesk report NAME --as-of YYYY-MM-DD --format pdf|xlsx|csv --out FILE`` and ``actdesk report --list``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _

if TYPE_CHECKING:
    from actdesk.services.reports.catalogue import ReportSpec


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("report",)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "report",
        help=_("print or export a report of the catalogue (PDF, Excel, CSV)"),
        description=_(
            "Build a report of the catalogue as of a date and write it as PDF, Excel or CSV. "
            "'actdesk report --list' names the reports."
        ),
    )
    p.add_argument("name", nargs="?", metavar="NAME", help=_("the report (see --list)"))
    p.add_argument("--list", action="store_true", help=_("list the reports of the catalogue"))
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help=_("date of the figures (default: the last month-end)")
    )
    p.add_argument("--format", dest="fmt", metavar="FORMAT", help=_("pdf, xlsx or csv (default: from --out)"))
    p.add_argument("--out", metavar="FILE", help=_("the file to write"))
    p.add_argument("--paper", choices=("letter", "a4"), help=_("page size of a PDF (default: settings)"))
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a summary"))
    p.set_defaults(handler=run_report)


def run_report(ctx: CliContext) -> int:
    from actdesk.services.reports.catalogue import REPORTS, UnknownReport, get

    args = ctx.args
    if args.list:
        rows = [
            {"name": r.key, "title": _(r.title), "description": _(r.description), "requires": r.requires}
            for r in REPORTS
        ]
        if args.json:
            ctx.print_json(rows)
        else:
            width = max(len(r.key) for r in REPORTS)
            for r in rows:
                print(f"{r['name']:<{width}}  {r['title']}: {r['description']}")
        return 0
    if not args.name:
        raise UsageError(_("name a report (actdesk report --list shows them)"))
    try:
        spec = get(args.name)
    except UnknownReport:
        raise UsageError(
            _("unknown report {name!r}; the reports are: {names}").format(
                name=args.name, names=", ".join(r.key for r in REPORTS)
            )
        ) from None
    out, fmt = _target(args.out, args.fmt)
    from actdesk.cli.cmd_analytics import parse_as_of

    as_of = parse_as_of(args.as_of)
    return _export(ctx, spec, as_of, out, fmt)


def _target(out_text: str | None, fmt_text: str | None) -> tuple[Path, str]:
    from actdesk.services.reports.render import REPORT_FORMATS

    if not out_text:
        raise UsageError(_("say where to write the report: --out FILE"))
    out = Path(out_text).expanduser()
    if out.is_dir():
        raise UsageError(_("{path} is a folder; give a file name").format(path=out))
    fmt = (fmt_text or out.suffix.lstrip(".")).lower()
    if not fmt:
        raise UsageError(_("say which format to write: --format pdf, xlsx or csv, or a file name ending so"))
    if fmt not in REPORT_FORMATS:
        raise UsageError(
            _("unknown format {fmt!r}: choose one of {choices}").format(
                fmt=fmt_text or out.suffix, choices=", ".join(REPORT_FORMATS)
            )
        )
    if not out.parent.is_dir():
        raise UsageError(_("the folder {folder} does not exist").format(folder=out.parent))
    return out, fmt


def _export(ctx: CliContext, spec: ReportSpec, as_of: date, out: Path, fmt: str) -> int:
    from actdesk.gc_tuning import loading
    from actdesk.services.cell_guard import guard_enabled
    from actdesk.services.reports.render import ExportError, PageSetup, export_report, load_writer

    settings = ctx.settings
    with loading():  # the book, the builder and the writer with their libraries, without collections
        book = ctx.book()
        from actdesk.services.reports.base import ReportContext

        spec.builder()
        load_writer(fmt)
    context = ReportContext.from_settings(book, as_of, settings)
    report = spec.build(context)
    setup = PageSetup(settings.general.practice(), ctx.args.paper or context.settings.paper)
    try:
        export_report(report, fmt, out, setup, guard=guard_enabled(settings))
    except ExportError as exc:
        raise UsageError(str(exc)) from None
    if ctx.args.json:
        ctx.print_json(
            {
                "report": spec.key,
                "title": report.title,
                "as_of": as_of,
                "format": fmt,
                "out": str(out),
                "has_data": report.has_data,
                "sections": [s.key for s in report.sections],
            }
        )
    else:
        print(
            _("Wrote {title} as of {date} to {path}").format(
                title=report.title, date=as_of.isoformat(), path=out
            )
        )
        if not report.has_data:
            print(report.empty)
    return 0
