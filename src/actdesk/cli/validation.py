"""One structural check of every value given on the command line, before any handler runs.

The parser class below wraps the ``type`` of every argument a sub-command declares, so a new option is
checked without anyone remembering to: integers must fit SQLite's 64-bit column and not be negative, floats
and decimals must be finite and below a trillion, dates must lie between 1900 and 2199, text must hold no
control or bidirectional-override characters (the "Trojan Source" trick that makes an audit actor read as
someone else) and stay under ``MAX_TEXT`` characters. Options written as ``metavar="YYYY-MM-DD"``,
``"YYYY-MM-DDTHH:MM"`` or ``"AMOUNT"`` are parsed as such (the handler still receives the text it expects).
Integer options naming a household, contact or opportunity carry their table (``RowId``) and are looked up
when the book is opened (``check_row_ids``): an unknown id is refused instead of silently matching nothing.

A refusal is an ``argparse.ArgumentTypeError``: argparse turns it into one line and exit code 2.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from actdesk.domain.text import invisible_character, invisible_message
from actdesk.formats import ECHO_MAX, clip
from actdesk.i18n import _

DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2199, 12, 31)
MAX_INT = 2**63 - 1  # SQLite INTEGER
MAX_NUMBER = 10**12  # a trillion: beyond any advisor's book; larger is a typing slip
MAX_TEXT = 10_000
_DATE_METAVARS = {"YYYY-MM-DD"}
_INSTANT_METAVARS = {"YYYY-MM-DDTHH:MM", "YYYY-MM-DDTHH:MM[:SS]"}
ROW_TABLES: dict[str, str] = {
    "household": "households",
    "household_id": "households",
    "contact": "contacts",
    "contact_id": "contacts",
    "referrer": "contacts",
    "by": "contacts",
    "keep_id": "contacts",
    "drop_id": "contacts",
    "opportunity_id": "opportunities",
}


def echo(value: object, limit: int = ECHO_MAX) -> str:
    """A value as it may be repeated in a message: quoted, escaped, and cut to ``limit`` characters."""
    text = str(value)
    shown = clip(text, limit)
    return repr(shown) + (_(" ({n:,} characters)").format(n=len(text)) if len(text) > limit else "")


def refuse_controls(text: str, what: str) -> str:
    """``text`` unchanged, or ValueError when it holds control or bidi-override characters (names, ids);
    the book's rule (``domain/text.py``), with no line break in an argument either."""
    found = invisible_character(text, line_breaks=False)
    if found is not None:
        raise ValueError(invisible_message(what, found))
    return text


class RowId(int):
    """An id from the command line that must exist in ``table`` (checked once the book is open)."""

    table: str = ""

    def __new__(cls, value: int, table: str = "") -> RowId:
        row = super().__new__(cls, value)
        row.table = table
        return row


def check_value(value: Any) -> Any:
    """``value`` unchanged if it is in range; ArgumentTypeError otherwise. Lists are checked item by item."""
    if isinstance(value, list | tuple):
        for item in value:
            check_value(item)
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value < 0 or value > MAX_INT:
            raise argparse.ArgumentTypeError(_("{value} is out of range").format(value=echo(value)))
    elif isinstance(value, float | Decimal):
        if not _finite(value) or abs(Decimal(value)) >= MAX_NUMBER:
            raise argparse.ArgumentTypeError(
                _("{value} is not a usable number (finite, below a trillion)").format(value=echo(value))
            )
    elif isinstance(value, date):
        day = value.date() if isinstance(value, datetime) else value
        if not DATE_MIN <= day <= DATE_MAX:
            raise argparse.ArgumentTypeError(
                _("{value} is out of range (dates from {low} to {high})").format(
                    value=echo(value.isoformat()), low=DATE_MIN.isoformat(), high=DATE_MAX.isoformat()
                )
            )
    elif isinstance(value, str | Path):
        check_text(str(value))
    return value


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def check_text(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise argparse.ArgumentTypeError(
            _("value too long ({n:,} characters; at most {limit:,})").format(n=len(text), limit=MAX_TEXT)
        )
    try:
        return refuse_controls(text, _("the value"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def parse_day(text: str, option: str | None = None) -> date:
    """The one reading of a YYYY-MM-DD date typed on the command line, for argparse's ``type=`` and for
    handlers alike: the date, or ArgumentTypeError (one line, exit code 2) that names ``option`` when the
    caller gives it (argparse names the option itself) and shows the format with an example."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        message = _("not a date: {text} (use YYYY-MM-DD, e.g. 2026-03-31)").format(text=echo(text))
        raise argparse.ArgumentTypeError(f"{option}: {message}" if option else message) from None


def day_text(text: str) -> str:
    """A YYYY-MM-DD date within range. The text is returned as given: handlers parse it themselves and word
    their own message for text that is no date at all; what parses but is out of range is refused here."""
    try:
        value = date.fromisoformat(check_text(text).strip())
    except ValueError:
        return text
    check_value(value)
    return text


def instant_text(text: str) -> str:
    try:
        value = datetime.fromisoformat(check_text(text).strip())
    except ValueError:
        return text
    check_value(value)
    return text


def amount_text(text: str) -> str:
    """An amount that parses must be finite and below a trillion (SQLite's integer cents cannot hold more
    than 9.2e16, and 1e309 is infinity). Text that is no number at all is left to the handler's message."""
    try:
        value = Decimal(check_text(text).strip())
    except InvalidOperation:
        return text
    if not value.is_finite() or abs(value) >= MAX_NUMBER:
        raise argparse.ArgumentTypeError(
            _("{value} is not a usable amount (finite, below a trillion)").format(value=echo(text))
        )
    return text


def _guarded(convert: Callable[[str], Any], dest: str) -> Callable[[str], Any]:
    table = ROW_TABLES.get(dest)

    def guarded(text: str) -> Any:
        check_text(text)
        value = check_value(convert(text))
        if table is not None and isinstance(value, int) and not isinstance(value, bool):
            return RowId(value, table)
        if table is not None and isinstance(value, list):
            return [RowId(v, table) if isinstance(v, int) else v for v in value]
        return value

    guarded.__name__ = getattr(convert, "__name__", "value")  # argparse names the type in its messages
    guarded.guarded = True  # type: ignore[attr-defined]
    return guarded


class Parser(argparse.ArgumentParser):
    """argparse that reports bad usage as one line and exit code 2. Its values are checked structurally once
    the command tree is built (``guard_tree``, called by ``cli.build_parser``)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"actdesk: {_one_line(message)} (see 'actdesk --help')\n")


def guard_tree(parser: argparse.ArgumentParser) -> None:
    """Guard every option of ``parser`` and of its sub-commands, once the tree is built: however an option
    was added (directly, or through an argument group or a mutually exclusive group, whose ``add_argument``
    is argparse's own: an id given there once reached SQLite unchecked)."""
    for action in parser._actions:
        guard_action(action)
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                guard_tree(sub)


def guard_action(action: argparse.Action) -> None:
    """Give an option that stores a value the structural check (ranges, dates, text, ids); once."""
    if not isinstance(action, argparse._StoreAction | argparse._AppendAction):
        return  # flags, counts, help, version, sub-commands: no value of the user's to check
    if getattr(action.type, "guarded", False):
        return
    convert = action.type
    if convert is None and action.metavar in _DATE_METAVARS:
        convert = day_text
    elif convert is None and action.metavar in _INSTANT_METAVARS:
        convert = instant_text
    elif convert is None and action.metavar == "AMOUNT":
        convert = amount_text
    action.type = _guarded(convert or str, action.dest)  # type: ignore[arg-type]


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _missing_row(table: str, row_id: int) -> str:
    messages = {
        "households": _("household {id} does not exist"),
        "contacts": _("contact {id} does not exist"),
        "opportunities": _("opportunity {id} does not exist"),
    }
    return messages.get(table, _("record {id} does not exist")).format(id=row_id)


def row_ids(args: argparse.Namespace) -> Iterable[RowId]:
    for value in vars(args).values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, RowId) and item.table:
                yield item


def check_row_ids(book: Any, args: argparse.Namespace) -> None:
    """Refuse an id given on the command line that names no row of its table (a typo, not an empty result)."""
    wanted = list(row_ids(args))
    if not wanted:
        return
    from actdesk.cli.context import UsageError
    from actdesk.storage.repositories.book_tables import record_exists  # maps every table: only when asked

    with book.engine.connect() as conn:
        for row in wanted:
            if not record_exists(conn, row.table, int(row)):
                raise UsageError(_missing_row(row.table, int(row)))
