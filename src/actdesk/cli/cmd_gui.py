"""``actdesk`` (no sub-command) and ``actdesk gui``: open the window on the book.

``--smoke`` starts the whole window, paints it and exits 0 (CI, installers); ``--screenshot DIR`` also saves a
PNG of every panel, the contact card and the welcome. Qt is imported only when the window is really wanted.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from actdesk.cli.context import CliContext, UsageError
from actdesk.i18n import _

# The sub-commands register() adds, read from this file's text without importing it (cli/__init__.py).
COMMANDS = ("gui",)


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("gui", help=_("open the window (the default when no command is given)"))
    p.add_argument("--smoke", action="store_true", help=_("start the window, paint it and exit (for CI)"))
    p.add_argument(
        "--screenshot", metavar="DIR", type=Path, help=_("with --smoke: save a PNG of every panel into DIR")
    )
    p.set_defaults(handler=run_gui)


def _headless() -> bool:
    return sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def run_gui(ctx: CliContext) -> int:
    smoke = bool(getattr(ctx.args, "smoke", False))
    screenshot = getattr(ctx.args, "screenshot", None)
    if screenshot is not None and not smoke:
        raise UsageError(_("--screenshot needs --smoke"))
    if _headless() and not os.environ.get("QT_QPA_PLATFORM"):
        if not smoke:
            # Without this check Qt aborts the process with a core dump instead of a sentence.
            raise UsageError(
                _(
                    "no display to open the window on; run actdesk on the desktop, or use 'actdesk gui --smoke'"
                )
            )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from actdesk.app import run

    return run(ctx.database, smoke=smoke, screenshot_dir=screenshot)
