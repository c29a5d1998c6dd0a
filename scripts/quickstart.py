#!/usr/bin/env python3
"""The README's two commands: set everything up, then open the app on a demo book or run the whole test suite.

    python3 scripts/quickstart.py app     # venv + install + demo book + the window
    python3 scripts/quickstart.py test    # venv + install + ruff + mypy + pytest

Only the standard library is used here, so it runs on a bare Python 3.11+.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = Path(os.environ.get("ACTDESK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def ensure_venv(extras: str) -> None:
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")


def app(argv: list[str]) -> None:
    ensure_venv("")
    demo = Path(os.environ.get("ACTDESK_DB", ROOT / "demo-book.db"))
    actdesk = BIN / ("actdesk.exe" if os.name == "nt" else "actdesk")
    if not demo.exists():
        run(actdesk, "--db", demo, "demo", "--households", "150", "--seed", "7")
    run(actdesk, "--db", demo, *argv)


def test(argv: list[str]) -> None:
    ensure_venv("dev")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run(PY, "-m", "ruff", "check", "src", "tests", "bench", "scripts", "build_spec.py")
    run(PY, "-m", "mypy")
    # Test files run in parallel, 1.5 workers per core (pytest-xdist, tests/conftest.py); a file's tests stay on one worker so
    # that module fixtures are built once. Tests marked slow run when ACTDESK_RUN_SLOW=1 (CI sets it).
    run(PY, "-m", "pytest", "-p", "no:xvfb", "-q", "-n", "auto", "--dist", "loadfile", *argv, env=env)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("app", "test"):
        sys.exit(__doc__)
    try:
        {"app": app, "test": test}[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode)
