"""``actdesk user ...`` (the practice's users and roles) and ``actdesk db login/copy`` (a book on a server)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from actdesk.cli.context import CliContext, UsageError
from actdesk.domain.team import ROLE_LABELS, Role
from actdesk.i18n import _, format_number

ROLES = [r.value for r in Role]


def _subcommands(parser: argparse.ArgumentParser) -> Any:
    """The sub-command group of an existing parser (``db`` is created by the backup commands)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)


# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("user", "db")


def register(sub: Any) -> None:
    user = sub.add_parser("user", help=_("the practice's users and their roles (team books)"))
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = usub.add_parser("add", help=_("add a user (the first one is the practice owner)"))
    p.add_argument("name", help=_("short user name, as stored in owner columns and the audit trail"))
    p.add_argument("--role", choices=ROLES, required=True, help=_("owner, advisor or assistant"))
    p.add_argument("--display-name", help=_("full name shown in lists"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_user_add)
    p = usub.add_parser("list", help=_("list the users of the book"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_user_list)
    p = usub.add_parser("role", help=_("change a user's role, or deactivate them"))
    p.add_argument("name", help=_("user name"))
    p.add_argument("role", nargs="?", choices=ROLES, help=_("the new role"))
    p.add_argument(
        "--deactivate",
        action="store_true",
        help=_("the user keeps their records but loses the permissions of their role"),
    )
    p.add_argument("--activate", action="store_true", help=_("give a deactivated user access again"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_user_role)

    db = sub.choices.get("db") or sub.add_parser("db", help=_("the book's database"))
    dsub = _subcommands(db)
    p = dsub.add_parser(
        "login", help=_("store a database server's password in the keyring (read from stdin)")
    )
    p.add_argument("url", help=_("postgresql+psycopg://user@host/database"))
    p.set_defaults(handler=cmd_db_login)
    p = dsub.add_parser("copy", help=_("copy the whole book to another database (SQLite <-> PostgreSQL)"))
    p.add_argument("--to", required=True, metavar="PATH_OR_URL", help=_("the target book (empty)"))
    p.add_argument("--replace", action="store_true", help=_("replace a target that already holds a book"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(handler=cmd_db_copy)


def _user_json(u: Any) -> dict[str, Any]:
    return {"name": u.name, "display_name": u.display_name, "role": u.role.value, "active": u.active}


def cmd_user_add(ctx: CliContext) -> int:
    from actdesk.services.team import add_user

    user = add_user(ctx.book(), ctx.args.name, Role(ctx.args.role), ctx.args.display_name)
    if ctx.args.json:
        ctx.print_json(_user_json(user))
    else:
        print(_("Added {name} ({role}).").format(name=user.name, role=_(ROLE_LABELS[user.role])))
    return 0


def cmd_user_list(ctx: CliContext) -> int:
    from actdesk.services.team import list_users

    users = list_users(ctx.book())
    if ctx.args.json:
        ctx.print_json([_user_json(u) for u in users])
        return 0
    if not users:
        print(
            _(
                "No users: this is a solo book. Add the practice owner first: actdesk user add NAME --role owner"
            )
        )
        return 0
    width = max(len(u.name) for u in users)
    for u in users:
        state = "" if u.active else "  " + _("(deactivated)")
        print(f"{u.name:<{width}}  {_(ROLE_LABELS[u.role]):<26}  {u.display_name}{state}")
    return 0


def cmd_user_role(ctx: CliContext) -> int:
    from actdesk.services.team import set_role

    args = ctx.args
    if args.activate and args.deactivate:
        raise UsageError(_("give --activate or --deactivate, not both"))
    if args.role is None and not (args.activate or args.deactivate):
        raise UsageError(_("give a new role, --activate or --deactivate"))
    active = True if args.activate else False if args.deactivate else None
    user = set_role(ctx.book(), args.name, Role(args.role) if args.role else None, active=active)
    if args.json:
        ctx.print_json(_user_json(user))
    else:
        print(_("{name} is now {role}.").format(name=user.name, role=_(ROLE_LABELS[user.role])))
    return 0


def cmd_db_login(ctx: CliContext) -> int:
    from actdesk.storage.engine import book_url
    from actdesk.storage.server import display_url, is_server, store_password

    url = book_url(ctx.args.url)
    if not is_server(url):
        raise UsageError(_("db login is for database servers (postgresql+psycopg://user@host/database)"))
    if not url.username:
        raise UsageError(_("the URL names no user (postgresql+psycopg://user@host/database)"))
    if url.password is not None:
        raise UsageError(_("leave the password out of the URL; it is read from standard input"))
    if sys.stdin.isatty():
        password = getpass.getpass(_("Password for {url}: ").format(url=display_url(url)))
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UsageError(_("no password given on standard input"))
    who = store_password(url, password)
    print(_("Password for {who} stored in the keyring.").format(who=who))
    return 0


def cmd_db_copy(ctx: CliContext) -> int:
    from actdesk.services.db_copy import copy_book

    report = copy_book(ctx.book(), ctx.args.to, replace=ctx.args.replace)
    if ctx.args.json:
        ctx.print_json(
            {
                "ok": True,
                "source": report.source,
                "target": report.target,
                "rows": report.rows,
                "moved_aside": report.moved_aside,
                "tables": {t.table: {"rows": t.rows, "checksum": t.checksum} for t in report.tables},
            }
        )
        return 0
    print(
        _("Copied {rows} rows in {tables} tables from {source} to {target}; verified row for row.").format(
            rows=format_number(report.rows),
            tables=len(report.tables),
            source=report.source,
            target=report.target,
        )
    )
    if report.moved_aside:
        print(_("The book that was there was kept as {path}.").format(path=report.moved_aside))
    return 0
