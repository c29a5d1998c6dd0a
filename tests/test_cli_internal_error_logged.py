"""An internal error of the command line: one line on stderr, and its traceback in the log file (it used to
be a ``.debug()`` log call that could never run)."""

from __future__ import annotations

import pytest

from actdesk.cli.errors import run_handler
from actdesk.paths import log_dir


def test_the_traceback_goes_to_the_log_file_and_stderr_keeps_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    def broken(_ctx: object) -> int:
        return {}["a key nobody set"]  # a bug, not bad input

    def handler(ctx: object) -> int:
        try:
            return broken(ctx)
        except KeyError:
            raise RuntimeError("the report builder lost its rows") from None

    assert run_handler(handler, None, debug=False) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "internal error" in err and "Traceback" not in err
    log = (log_dir() / "actdesk.log").read_text(encoding="utf-8")
    assert "ERROR actdesk.cli: internal error" in log
    assert "Traceback" in log and "RuntimeError: the report builder lost its rows" in log


def test_with_debug_the_error_is_raised() -> None:
    def handler(_ctx: object) -> int:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        run_handler(handler, None, debug=True)
