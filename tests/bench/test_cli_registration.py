"""Sub-commands are registered from light metadata: each ``cmd_*`` module declares the sub-commands it adds
in ``COMMANDS``, read from its text, so a command line builds the parser of its own command only."""

from __future__ import annotations

import argparse
import importlib

import pytest

from actdesk.cli import _command, build_parser, command_modules, declared_commands


def _registered(module: str) -> set[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    importlib.import_module(module).register(sub)
    return set(sub.choices)


@pytest.mark.parametrize("module", command_modules())
def test_every_command_module_declares_exactly_what_it_registers(module: str) -> None:
    declared = declared_commands(module)
    assert declared is not None, f"{module} has no COMMANDS = (...) declaration"
    assert set(declared) == _registered(module)


def test_a_command_line_loads_only_the_modules_of_its_command() -> None:
    assert command_modules("kpis") == ["actdesk.cli.cmd_analytics"]
    assert command_modules("db") == ["actdesk.cli.cmd_backup", "actdesk.cli.cmd_team"]  # both add to "db"
    assert command_modules("no-such-command") == command_modules()  # the error lists every choice
    parser = build_parser(command="kpis")
    args = parser.parse_args(["kpis", "--json", "--as-of", "2026-06-30"])
    assert args.command == "kpis" and args.json


def test_a_module_without_a_declaration_is_always_registered() -> None:
    assert declared_commands("actdesk.cli.context") is None  # no COMMANDS: never skipped


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        ([], None),
        (["--db", "kpis", "alerts", "list"], "alerts"),  # "kpis" here is the book's name
        (["--lang", "es", "kpis", "--json"], "kpis"),
        (["--help", "kpis"], None),
        (["kpis", "--help"], "kpis"),
    ],
)
def test_the_command_is_read_from_the_command_line(argv: list[str], command: str | None) -> None:
    assert _command(argv) == command
