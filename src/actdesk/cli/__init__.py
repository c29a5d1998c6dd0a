"""The ``actdesk`` command: the window by default, sub-commands over the same services.

Each sub-command lives in its own module here named ``cmd_*.py`` exposing ``register(subparsers)``;
modules are discovered, so a feature adds its commands without touching this file.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import pkgutil
import re
import sys
from collections.abc import Callable, Sequence

from actdesk import __version__
from actdesk.cli.context import CliContext
from actdesk.cli.errors import EXIT_BROKEN_PIPE, broken_pipe, close_quietly, log_file_handler, run_handler
from actdesk.cli.validation import Parser, guard_tree
from actdesk.gc_tuning import ends_with_command, finished, tune_for_command
from actdesk.i18n import _

_Parser = Parser  # every value checked structurally (cli/validation.py); bad usage: one line, exit 2


def command_modules(command: str | None = None) -> list[str]:
    """Every ``cmd_*`` module; with ``command``, only the modules that declare it in ``COMMANDS`` (read from
    their text, nothing imported) and those that declare nothing. A command no module declares gets them
    all, so that the parser's own error lists every choice."""
    package = sys.modules[__name__]
    names = [m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_")]
    every = sorted(f"{__name__}.{name}" for name in names)
    if command is None:
        return every
    declared = {name: declared_commands(name) for name in every}
    if not any(command in found for found in declared.values() if found is not None):
        return every
    return [name for name, found in declared.items() if found is None or command in found]


def declared_commands(module: str) -> tuple[str, ...] | None:
    """The ``COMMANDS = (...)`` a command module declares, read from its source; None when it has none or
    its source cannot be read (a frozen build): that module is then always registered."""
    try:
        spec = importlib.util.find_spec(module)
        source = spec.loader.get_source(module) if spec is not None and spec.loader is not None else None  # type: ignore[attr-defined]
    except (ImportError, OSError):
        return None
    found = re.search(r"^COMMANDS = \(([^)]*)\)", source or "", re.M)
    return tuple(re.findall(r'"([^"]+)"', found.group(1))) if found else None


def build_parser(only: str | None = None, command: str | None = None) -> argparse.ArgumentParser:
    """The full parser; with ``only`` the parser of that one module (the window's fast path); with
    ``command`` the parser of the modules that register that sub-command (see ``command_modules``)."""
    parser = _Parser(
        prog="actdesk", description=_("Desktop CRM for the independent advisor's book of business.")
    )
    parser.add_argument("--version", action="version", version=f"actdesk {__version__}")
    parser.add_argument(
        "--db", metavar="PATH_OR_URL", help=_("book to open (default: ACTDESK_DB or the user data folder)")
    )
    parser.add_argument("--lang", choices=["en", "es"], help=_("language of messages and formatting"))
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks and debug logging"))
    parser.add_argument(
        "--user", metavar="NAME", help=_("who is working (team books; default: ACTDESK_USER or your login)")
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    modules = [f"{__name__}.cmd_{only}"] if only else command_modules(command)
    for module_name in modules:
        importlib.import_module(module_name).register(sub)
    guard_tree(parser)
    return parser


def _scan(argv: list[str]) -> tuple[str | None, bool]:
    """The sub-command named on the command line, and whether help or the version is asked before it."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in ("--db", "--lang", "--user"):
            skip = True
        elif token in ("-h", "--help", "--version"):
            return None, True
        elif not token.startswith("-"):
            return token, False
    return None, False


def _command(argv: list[str]) -> str | None:
    """The sub-command named on the command line; None when help or the version is asked before one."""
    return _scan(argv)[0]


def _window_only(argv: list[str]) -> bool:
    """True when the window is asked for (no sub-command, or ``gui``) and no help is: then only ``cmd_gui`` is
    imported. The other sub-commands import their services (pandas and numpy among them) at module level,
    which would cost the window's start-up about half a second before its first paint."""
    command, help_asked = _scan(argv)
    return not help_asked and command in (None, "gui")


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    window = _window_only(args_list)
    if not window:  # the window tunes its own (app.py); a command's imports then trigger fewer collections
        tune_for_command()
        if argv is None:  # the program itself; tests call main() with their arguments, many times a process
            ends_with_command()
    _early_language(args_list)
    parser = build_parser(only="gui" if window else None, command=_command(args_list))
    try:
        args = parser.parse_args(args_list)
    except SystemExit as stop:  # --help, --version, or a refused value (one line already printed): its code
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 2
    stop_logging = _configure_logging(args.debug, window=getattr(args, "command", None) in (None, "gui"))
    ctx = CliContext(args)
    handler = getattr(args, "handler", None)
    if handler is None:
        from actdesk.cli.cmd_gui import run_gui

        handler = run_gui
    code = EXIT_BROKEN_PIPE
    try:
        code = run_handler(handler, ctx, debug=args.debug)
    finally:
        flushed = close_quietly(ctx.close)
        stop_logging()
        finished()  # the book closed, the output flushed: no last collection through the heap at exit
    if not flushed and code == 0:  # the reader went away while the last of the output was flushed
        return broken_pipe()
    return code


def _configure_logging(debug: bool, *, window: bool) -> Callable[[], None]:
    """Sub-commands log to the scrubbed log file, not the terminal: a refusal is one line on stderr, and a
    storage error's own words (SQLite's "file is not a database") or a library's warning stay in the log
    (issue 25). ``--debug`` shows everything on the terminal; the window sets up its own logging
    (``app.run``). Returns what undoes it (``main`` may run many times in one process: tests)."""
    if debug or window:
        logging.basicConfig(
            level=logging.DEBUG if debug else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
        )
        return lambda: None
    root = logging.getLogger()
    try:
        handler: logging.Handler = log_file_handler()
    except OSError:  # no writable log folder: stay quiet rather than break the one-line rule
        handler = logging.NullHandler()
    handler.setLevel(logging.WARNING)
    root.addHandler(handler)
    logging.captureWarnings(True)

    def undo() -> None:
        logging.captureWarnings(False)
        root.removeHandler(handler)
        handler.close()

    return undo


def _early_language(argv: list[str]) -> None:
    """Pick the language before the parser is built so that --help is translated too."""
    from actdesk import i18n

    lang = None
    for i, token in enumerate(argv):
        if token == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif token.startswith("--lang="):
            lang = token.split("=", 1)[1]
    lang = lang or os.environ.get("ACTDESK_LANG")
    if lang is None:
        from actdesk.settings import load_settings

        lang = load_settings().general.language
    try:
        i18n.set_language(lang)
    except ValueError:
        i18n.set_language("en")
