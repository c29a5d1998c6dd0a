"""``actdesk demo``: fill the book with a deterministic, believable practice (see docs/demo-book.md)."""

from __future__ import annotations

import argparse

from actdesk.cli.context import CliContext, UsageError
from actdesk.cli.validation import parse_day
from actdesk.i18n import _, current_language, format_number

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("demo",)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help=_("fill the book with a realistic demo practice"))
    p.add_argument(
        "--households", type=int, default=150, metavar="N", help=_("number of households (default 150)")
    )
    p.add_argument(
        "--seed", type=int, default=1, metavar="S", help=_("random seed: the same seed gives the same book")
    )
    p.add_argument(
        "--locale",
        choices=["en_US", "es_ES"],
        default=None,
        help=_("names, places and texts of the demo (default: es_ES with --lang es, else en_US)"),
    )
    p.add_argument("--as-of", metavar="YYYY-MM-DD", help=_("last day of the history (default today)"))
    p.add_argument(
        "--activities-per-household",
        type=float,
        default=30.0,
        metavar="K",
        help=_("average activities per household over ten years (default 30)"),
    )
    p.add_argument("--replace", action="store_true", help=_("delete the book's records first"))
    p.add_argument("--json", action="store_true", help=_("print a JSON summary"))
    p.set_defaults(handler=demo_command)


def demo_command(ctx: CliContext) -> int:
    from actdesk.services.demo import BookNotEmptyError, DemoOptions, generate_demo

    args = ctx.args
    if not 1 <= args.households <= 200_000:
        raise UsageError(_("--households must be between 1 and 200000"))
    if not 0 <= args.activities_per_household <= 1_000:
        raise UsageError(_("--activities-per-household must be between 0 and 1000"))
    as_of = parse_day(args.as_of, "--as-of") if args.as_of else None
    options = DemoOptions(
        households=args.households,
        seed=args.seed,
        locale=args.locale or ("es_ES" if current_language() == "es" else "en_US"),
        as_of=as_of,
        activities_per_household=args.activities_per_household,
        replace=args.replace,
    )
    try:
        summary = generate_demo(ctx.book(), options, settings=ctx.settings)
    except BookNotEmptyError as exc:
        raise UsageError(
            _(
                "this book already holds {n} households; use --replace to delete them and build the demo"
            ).format(n=exc.counts.get("households", 0))
        ) from None
    if args.json:
        ctx.print_json(
            {
                "households": options.households,
                "seed": options.seed,
                "locale": options.locale,
                "as_of": summary.as_of,
                "rows": summary.rows,
                "returning_households": summary.returning,
                "replaced": summary.replaced,
                "seconds": summary.seconds,
            }
        )
        return 0
    if summary.replaced:
        print(_("Replaced the book's previous records:"))
        for table, n in summary.replaced.items():
            print(f"  {table:<22} {format_number(n):>12}")
    print(
        _("Demo book of {n} households (seed {seed}, {locale}) as of {as_of}:").format(
            n=format_number(options.households), seed=options.seed, locale=options.locale, as_of=summary.as_of
        )
    )
    for table, n in summary.rows.items():
        print(f"  {table:<22} {format_number(n):>12}")
    print(_("Built in {seconds} s").format(seconds=format_number(sum(summary.seconds.values()), 1)))
    return 0
