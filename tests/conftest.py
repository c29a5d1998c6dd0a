"""Shared fixtures. Every test runs offscreen, with its own folders, an in-memory keyring and a fresh book."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

import keyring
import pytest
from keyring.backend import KeyringBackend

# What runs outside a test's own folders (a module-scoped window closed after its test's environment was
# restored, a child process started without it) falls back to these, never to the user's home: such a
# fallback once put each report-tables window's exit backup in ~/.local/share/actdesk/backups.
_SESSION_HOME = Path(tempfile.mkdtemp(prefix="actdesk-tests-home-"))
for _name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):  # not the cache: fonts are kept there
    os.environ[_name] = str(_SESSION_HOME / _name.lower())

# Cached bytecode on, for this process and every child it starts. With PYTHONDONTWRITEBYTECODE set (some
# machines and CI images set it) pytest re-rewrites the asserts of all 325 test modules in every xdist
# worker, and every `actdesk` child process compiles the package from source again (about 0.35 s CPU
# each, a cost no installed copy pays: wheels and the frozen bundle ship bytecode). __pycache__ is
# ignored by git. See docs/architecture.md, "The test suite".
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

WEIGHTS = Path(__file__).with_name("file_weights.json")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_SESSION_HOME, ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true", help="also run the tests marked slow (CI does)")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one and a half workers per core. A worker often waits (a child process, an SMTP or IMAP
    server, a Qt timer), and a third worker fills that time on two cores. Measured back to back on this 2-core
    machine, 1,308-1,310 tests: 4 min 33 s with 2 workers and 3 min 46 s with 3 in one pair, 3 min 18 s and
    3 min 14 s in another (the machine's speed varies from run to run); 4 workers were no better than 3.
    PYTEST_XDIST_AUTO_NUM_WORKERS still overrides it."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores + cores // 2)


def pytest_collection_finish(session: pytest.Session) -> None:
    """The garbage collector as the app runs it (``actdesk.gc_tuning``: the window, its child process and the
    CLI set these thresholds), with what collection left alive (the suite's modules and its libraries) frozen
    out of its sight, as the window freezes its start-up heap. A worker used to switch to the tuned
    thresholds only at its first test that ran the CLI in-process, so the tests before that ran with Python's
    defaults: a window file run alone spent 0.97 of 5.6 s of CPU collecting (tests/ui/test_households_window.py;
    0.45 s now). Over forty files in one process the collector's share was the same either way (4.8-5.0 s of
    84 s): most of its work is on what the tests themselves allocate."""
    import gc

    from actdesk.gc_tuning import tune_garbage_collector

    tune_garbage_collector()
    gc.freeze()


def pytest_configure(config: pytest.Config) -> None:
    # xdist hands out the files with the most tests first; the order below (heaviest first) is better.
    if getattr(config.option, "loadscopereorder", None) is not None:
        config.option.loadscopereorder = False


def _run_slow(config: pytest.Config) -> bool:
    return bool(config.getoption("--run-slow")) or os.environ.get("ACTDESK_RUN_SLOW") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` (crash loops, the benchmark runner) run in CI only: ``.ci/run`` sets
    ACTDESK_RUN_SLOW=1; locally ``--run-slow`` asks for them. Files run heaviest first."""
    _heaviest_files_first(config, items)
    if _run_slow(config):
        return
    skip = pytest.mark.skip(reason="slow: runs in CI (ACTDESK_RUN_SLOW=1) or with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def _heaviest_files_first(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Order the files by their share of the suite's time (tests/file_weights.json, written by
    scripts/test_weights.py), heaviest first, keeping each file's own order. xdist runs a file on one
    worker (``--dist loadfile``) in this order, so no long file starts last while the other core idles.
    A file not in the table counts as a median one; a file with a slow test, when those run, as the
    heaviest (the table is measured without them)."""
    try:
        weights: dict[str, float] = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    ranked = sorted(weights.values()) or [0.0]
    median, top = ranked[len(ranked) // 2], ranked[-1]
    slow = _run_slow(config)
    per_file: dict[str, float] = {}
    for item in items:
        name = item.path.relative_to(config.rootpath).as_posix()
        weight = weights.get(name, median)
        if slow and "slow" in item.keywords:
            weight = max(weight, top)
        per_file[name] = max(per_file.get(name, 0.0), weight)
    items.sort(key=lambda item: -per_file[item.path.relative_to(config.rootpath).as_posix()])


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring; tests never touch the machine's real one."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture(autouse=True)
def _no_child_process_left() -> Iterator[None]:
    """A test that opened a dashboard or ran the alert watcher may have started the app's child process
    (the window ends it when it closes; tests do not close a window): end it so none outlives its test."""
    yield
    module = sys.modules.get("actdesk.services.alerts.child")
    if module is not None:
        for child in list(module.ChildProcess.instances):
            child.shutdown()


@pytest.fixture(scope="session")
def warm_child() -> Iterator[Any]:
    """One child process for the window tests of this worker, as the app keeps one for its session: only the
    first computation waits for its start and imports. See tests/shared_child.py."""
    from tests.shared_child import SharedChild

    child = SharedChild()
    yield child
    assert child.close()


def _close_modal_windows() -> None:
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    for _attempt in range(20):  # a popup (a menu, a completer, a calendar) grabs the mouse like a modal
        left = QApplication.activePopupWidget() or QApplication.activeModalWidget()
        if left is None:
            return
        left.close()
        if left in (QApplication.activePopupWidget(), QApplication.activeModalWidget()):
            left.hide()


@pytest.fixture(autouse=True)
def _no_modal_window_left() -> Iterator[None]:
    """A dialog a test opened modally (``open()``), or a popup it left open, blocks the mouse and keyboard of every
    later test's widgets in the same worker: a click on the import wizard's Next did nothing, files later.
    Close what is left. (Ten tests leave one, e.g. the quick-find box or an event dialog: a test may end with
    its dialog open, as a user may; the next test must not inherit it.) Closed before the test too: a timer of
    an earlier test may open one after that test's teardown (a click in the first event-dialog test of a file
    once did nothing in the whole suite only)."""
    _close_modal_windows()
    yield
    _close_modal_windows()


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MemoryKeyring]:
    root = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ACTDESK_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("ACTDESK_CONFIG_DIR", str(root / "config"))
    monkeypatch.delenv("ACTDESK_DB", raising=False)
    monkeypatch.delenv("ACTDESK_SETTINGS", raising=False)
    monkeypatch.setenv("ACTDESK_LANG", "en")
    if "PySide6.QtCore" in sys.modules:  # an earlier test pointed Qt's settings (panels' state) at its folder
        from actdesk.app import configure_qsettings

        configure_qsettings()
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    from actdesk import i18n

    i18n.set_language("en")
    yield backend
    keyring.set_keyring(previous)
    i18n.set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture(scope="session")
def _empty_book_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from actdesk.storage.open import open_book

    path = tmp_path_factory.mktemp("template") / "empty.db"
    open_book(path).dispose()
    return path


@pytest.fixture
def make_book(_empty_book_template: Path) -> Callable[[Path], Path]:
    """Put an empty, migrated book at a path (commands other than demo/import-book refuse a missing book)."""
    import shutil

    def make(path: Path) -> Path:
        shutil.copyfile(_empty_book_template, path)
        return path

    return make


@pytest.fixture
def empty_book(db_path: Path, make_book: Callable[[Path], Path]) -> Path:
    return make_book(db_path)


@pytest.fixture
def book(db_path: Path, make_book: Callable[[Path], Path]):
    """A fresh, migrated, empty book in a real SQLite file, opened the app's way (lock, checks, migrate).

    A copy of the session's empty book: running the 16 migrations from nothing took 0.13-0.18 s of CPU per
    test, in 490 tests (about 60 s of CPU over the 85 files that use it); opening the copy takes 6 ms.
    Migrating from nothing is still done, once per worker (the template), and tested in
    tests/test_migrations.py."""
    from actdesk.storage.open import open_book

    opened = open_book(make_book(db_path))
    yield opened
    opened.dispose()
