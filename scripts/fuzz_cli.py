"""Every option and positional of every sub-command given hostile values, in-process, on a small demo book.

A problem is an exit code other than 0 (accepted) or 2 (refused), a traceback, an "internal error", SQL
on stderr, or more than three lines of it. One line per distinct problem (command and last stderr line).
Each case runs on a fresh copy of the book. ``tests/reliability/test_hostile_cli.py`` keeps a case of
every class this found; this is the sweep that finds the next one (about 3 minutes for all commands).

    python scripts/fuzz_cli.py [COMMAND ...]      (default: every command but gui and demo)

Every value that names a file stays inside a temporary sandbox (never run a sweep like this with paths
that leave it: the first one, run as root, let ``schedule export-ics ../../../../etc/passwd`` replace the
machine's user list with a calendar). Exit status 1 when a problem was found. Mail and keyring commands may end with 1 on a machine without a
mail account or password store: the world, not the input; read those lines before fixing anything.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Iterator
from pathlib import Path

VALUES = [
    "",
    "-1",
    "0",
    "1e309",
    "nan",
    "-inf",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-13-01T25:61",
    "99999999999999999999999999",
    "x" * 5000,
    "a\x00b",
    "\u202e",
    "../../../../victim.txt",  # from the nested working folder: the sandbox's own file, checked after each case
    "%s%n{0}{x}",
    "1,5",
    "  ",
    "-",
    "2026-06-30/2026-01-01",
    "1.5",
    "0x10",
]
NOT_RUN = {"gui", "demo"}  # the window; and a demo into the copy would only rebuild it


def commands(
    p: argparse.ArgumentParser, path: list[str]
) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    """(sub-command path, its parser) for every parser of the tree, leaves and the parents."""
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, [*path, name])
    yield path, p


def cases(parser: argparse.ArgumentParser, only: set[str]) -> Iterator[list[str]]:
    for path, p in commands(parser, []):
        if not path or path[0] in NOT_RUN or (only and path[0] not in only):
            continue
        positionals = [
            a
            for a in p._actions
            if not a.option_strings and not isinstance(a, argparse._SubParsersAction) and a.dest != "help"
        ]
        base = [sorted(a.choices)[0] if a.choices else "1" for a in positionals]
        for i in range(len(positionals)):
            for value in VALUES:
                yield [*path, *base[:i], value, *base[i + 1 :]]
        for a in p._actions:
            if a.option_strings and a.nargs != 0 and a.dest != "help":
                for value in VALUES:
                    yield [*path, *base, a.option_strings[-1], value]


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="actdesk-fuzz-"))
    os.environ["ACTDESK_DATA_DIR"] = str(work / "data")
    os.environ["ACTDESK_CONFIG_DIR"] = str(work / "config")
    nested = work / "a" / "b" / "c" / "d"
    nested.mkdir(parents=True)
    os.chdir(nested)  # an empty name is this folder; "../../../../victim.txt" is the sandbox's, never /etc's
    victim = work / "victim.txt"
    victim.write_text("not ours\n")
    victim.chmod(0o644)
    from actdesk.cli import build_parser
    from actdesk.cli import main as actdesk

    template, book = work / "template.db", work / "book.db"
    with contextlib.redirect_stdout(io.StringIO()):
        built = actdesk(
            ["--db", str(template), "demo", "--households", "20", "--seed", "3", "--as-of", "2026-06-30"]
        )
    assert built == 0
    todo = list(cases(build_parser(), set(sys.argv[1:])))
    print(f"{len(todo):,} cases", file=sys.stderr)
    seen: set[tuple[str, ...]] = set()

    def too_slow(*_: object) -> None:
        raise TimeoutError("more than 30 s")

    signal.signal(signal.SIGALRM, too_slow)
    for argv in todo:
        shutil.copyfile(template, book)
        out, err = io.StringIO(), io.StringIO()
        code: object
        signal.alarm(30)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = actdesk(["--db", str(book), *argv])
        except SystemExit as exc:
            code = exc.code
        except BaseException:
            code = "exception"
            err.write(traceback.format_exc())
        finally:
            signal.alarm(0)
        text = err.getvalue().strip()
        touched = False
        # An export told to write there may replace it (as cp does, private: 0600); a refusal leaves it as it was:
        # its mode and no lock beside it (``db copy --to`` once took both before reading the header).
        if code != 0 and (victim.stat().st_mode & 0o777 != 0o644 or Path(f"{victim}.lock").exists()):
            text += f"\n{victim.name} refused, yet its mode changed or a lock was left beside it"
            touched = True
        victim.unlink(missing_ok=True)
        Path(f"{victim}.lock").unlink(missing_ok=True)
        victim.write_text("not ours\n")
        victim.chmod(0o644)
        bad = touched or code not in (0, 2) or any(m in text for m in ("Traceback", "internal error", "[SQL"))
        if not bad and len(text.splitlines()) <= 3:
            continue
        key = (*argv[:2], text.splitlines()[-1][:120] if text else str(code))
        if key in seen:
            continue
        seen.add(key)
        shown = " ".join(a if len(a) < 40 else a[:37] + "..." for a in argv)
        print(
            f"exit {code}: actdesk {shown!r}\n    {text.splitlines()[-1][:300] if text else ''}", flush=True
        )
    shutil.rmtree(work, ignore_errors=True)
    print(f"{len(seen)} problems", file=sys.stderr)
    return 1 if seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
