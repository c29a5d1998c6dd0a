"""``actdesk household periods | leave | return``: a household's client periods, and recording that a
client left or that a former client came back (issue 20, docs/metrics.md "Leaving and returning")."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from actdesk.cli.context import CliContext
from actdesk.cli.validation import parse_day
from actdesk.i18n import _, format_date

Sub = argparse._SubParsersAction

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("household",)


def register(subparsers: Sub) -> None:
    household = subparsers.add_parser(
        "household", help=_("a household's client periods: leaving and returning")
    )
    hsub = household.add_subparsers(dest="household_action", metavar="ACTION", required=True)

    p = hsub.add_parser("periods", help=_("list the household's client periods and its tenure"))
    p.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    _json(p)
    p.set_defaults(handler=run_periods)

    p = hsub.add_parser("leave", help=_("record that a client left (it becomes a former client)"))
    p.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD", help=_("first day no longer a client"))
    p.add_argument("--reason", required=True, help=_("why the household left"))
    _json(p)
    p.set_defaults(handler=run_leave)

    p = hsub.add_parser("return", help=_("record that a former client came back (a new client period opens)"))
    p.add_argument("household_id", type=int, metavar="HOUSEHOLD_ID")
    p.add_argument("--on", required=True, metavar="YYYY-MM-DD", help=_("first day as a client again"))
    _json(p)
    p.set_defaults(handler=run_return)


def _json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=_("print JSON instead of a summary"))


def _payload(household_id: int, periods: list[Any], today: date) -> dict[str, Any]:
    from actdesk.domain.analytics.periods import tenure_days

    return {
        "household_id": household_id,
        "periods": [{"start": p.start, "end": p.end, "leaving_reason": p.reason} for p in periods],
        "tenure_years": round(tenure_days(periods, today) / 365.25, 2),
        "client": bool(periods) and periods[-1].end is None,
    }


def _show(ctx: CliContext, payload: dict[str, Any]) -> int:
    if ctx.args.json:
        ctx.print_json(payload)
        return 0
    if not payload["periods"]:
        print(_("Household {id} has never been a client.").format(id=payload["household_id"]))
        return 0
    for p in payload["periods"]:
        if p["end"] is None:
            print(_("Client since {start}").format(start=format_date(p["start"])))
        else:
            print(
                _("Client from {start} to {end}: {reason}").format(
                    start=format_date(p["start"]),
                    end=format_date(p["end"]),
                    reason=p["leaving_reason"] or "-",
                )
            )
    print(_("Tenure: {years} years (the periods added up)").format(years=payload["tenure_years"]))
    return 0


def run_periods(ctx: CliContext) -> int:
    from actdesk.storage.errors import NotFoundError
    from actdesk.storage.repositories.client_periods import client_periods
    from actdesk.storage.repositories.households import household_names

    hid = ctx.args.household_id
    with ctx.book().reader() as s:
        if not household_names(s, [hid]):
            raise NotFoundError(_("household {household_id} no longer exists").format(household_id=hid))
        periods = client_periods(s, [hid])
    return _show(ctx, _payload(hid, periods, date.today()))


def run_leave(ctx: CliContext) -> int:
    from actdesk.storage.repositories.client_periods import record_departure

    args = ctx.args
    with ctx.book().session() as s:
        periods = record_departure(s, args.household_id, parse_day(args.on, "--on"), args.reason)
    return _show(ctx, _payload(args.household_id, periods, date.today()))


def run_return(ctx: CliContext) -> int:
    from actdesk.storage.repositories.client_periods import record_return

    args = ctx.args
    with ctx.book().session() as s:
        periods = record_return(s, args.household_id, parse_day(args.on, "--on"))
    return _show(ctx, _payload(args.household_id, periods, date.today()))
