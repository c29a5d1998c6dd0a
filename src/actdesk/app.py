"""Wiring only: the QApplication, the theme, the book (with its error dialogs), the context and the window.

Entry points (``actdesk``, ``actdesk gui``) call :func:`run`: the window is built and painted first, and the
book is opened behind it on the database worker (``ui/book_opening.py``; SQLAlchemy is not imported before the
first paint). Tests call :func:`create_application` and :func:`build_window` (a book already open). No
behaviour lives here.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from actdesk import APP_NAME, __version__, i18n
from actdesk.gc_tuning import tune_garbage_collector
from actdesk.settings import Settings, load_settings
from actdesk.ui import theme
from actdesk.ui.book_opening import BookOpener
from actdesk.ui.context import AppContext
from actdesk.ui.main_window import MainWindow
from actdesk.ui.menu_titles import reserve_menu_bar
from actdesk.ui.pyside_import_hook import cheapen_pyside_import_hook
from actdesk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from actdesk.services.alerts.child import ChildProcess
    from actdesk.storage.engine import Book

log = logging.getLogger(__name__)
HEARTBEAT_MS = 60_000
DEMO_MODULE = "actdesk.services.demo"  # the demo generator; offered on the welcome when present
DEMO_HOUSEHOLDS = 150
# What wire_book imports: loaded on the database worker right after the book opened (SQLAlchemy is loaded by
# then), so that the GUI thread only builds the menus and timers.
WIRING_MODULES = (
    "actdesk.ui.charts.worker",
    "actdesk.ui.sync",
    "actdesk.ui.shell",
    "actdesk.storage.repositories.households",  # needs_welcome
    "actdesk.storage.repositories.first_tiles",  # the Book dashboard's first numbers: their tables mapped
)


def configure_qsettings() -> None:
    """Window geometry goes to an INI file in our config folder (not the registry or ~/.config/Unknown)."""
    from actdesk.paths import config_dir

    QCoreApplication.setOrganizationName(APP_NAME)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config_dir()))


def create_application(settings: Settings) -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    configure_qsettings()
    from actdesk.ui.qt_locale import install_qt_translations

    install_qt_translations(app)  # Qt's own Spanish buttons and the locale's dates in its widgets
    theme.apply_theme(app, settings.general.theme)  # type: ignore[arg-type]
    if settings.general.theme == "system":
        # Follow the OS switching between light and dark while running (icons follow on the next start).
        QGuiApplication.styleHints().colorSchemeChanged.connect(
            lambda _scheme: theme.apply_theme(app, "system")  # type: ignore[arg-type]
        )
    return app  # type: ignore[return-value]


def demo_builder() -> Callable[[AppContext], object] | None:
    """Builds the demo practice into the (empty) book, when this build ships the demo generator."""
    if importlib.util.find_spec(DEMO_MODULE) is None:
        return None

    def build(ctx: AppContext) -> object:
        demo = importlib.import_module(DEMO_MODULE)  # numpy and Faker: only when the advisor asks for it
        locale = "es_ES" if i18n.current_language() == "es" else "en_US"
        options = demo.DemoOptions(households=DEMO_HOUSEHOLDS, seed=1, locale=locale, as_of=ctx.now().date())
        return demo.generate_demo(ctx.book, options, settings=ctx.settings)

    return build


def needs_welcome(ctx: AppContext) -> bool:
    if ctx.settings.general.first_run_done or ctx.read_only:
        return False
    from actdesk.storage.repositories.households import count_households

    with ctx.book.reader() as s:
        return count_households(s) == 0


def build_window(
    book: Book,
    settings: Settings,
    *,
    read_only: bool = False,
    tasks: TaskRunner | None = None,
    welcome: bool | None = None,
    first_panel: str | None = None,
    background: bool = True,
    child: ChildProcess | None = None,
) -> tuple[MainWindow, AppContext]:
    """The window over ``book``. ``first_panel`` overrides the Book dashboard as the first panel shown;
    ``background=False`` starts no alert watcher, mail timer or scheduled backups (tests of one panel);
    ``child`` is the child process to use instead of starting one (tests share a warm one)."""
    ctx = AppContext(
        book=book, settings=settings, tasks=tasks or TaskRunner(), read_only=read_only, child=child
    )
    show_welcome = needs_welcome(ctx) if welcome is None else welcome
    window = MainWindow(ctx, show_welcome=show_welcome, demo_builder=demo_builder(), first_panel=first_panel)
    wire_book(window, ctx, background=background)
    return window, ctx


def wire_book(window: MainWindow, ctx: AppContext, *, background: bool = True) -> None:
    """What needs the open book: the chart renderer, the lock's heartbeat, other instances' edits, the
    menus and the work behind the window (alerts, mail, backups, the privacy lock)."""
    from actdesk.ui.charts.worker import render_with

    render_with(ctx.tasks)  # charts render on the compute worker, not in the paint event
    lock = getattr(ctx.book, "lock", None)
    if lock is not None:
        timer = QTimer(window)
        timer.timeout.connect(lock.refresh)
        timer.start(HEARTBEAT_MS)
    from actdesk.ui.sync import install_sync

    install_sync(ctx, window)  # other instances' edits refresh this window (team feature)
    from actdesk.ui.shell import install_shell

    install_shell(window, ctx, warm=background)  # menus; alerts, mail, backups and the lock behind the window


def start_window(
    database: str, settings: Settings, *, smoke: bool
) -> tuple[MainWindow, AppContext, BookOpener]:
    """The window before its book: painted first, the book opened on the database worker at the first paint
    (``ui/book_opening.py``), then the book's wiring and the first panel. A refusal is asked about over the
    window (``--smoke``: the opener keeps it and gives up)."""
    from actdesk.services import backup_hooks

    backup_hooks.use_settings(settings)  # where a backup before a schema upgrade goes
    ctx = AppContext(settings=settings, tasks=TaskRunner())
    window = MainWindow(ctx, demo_builder=demo_builder(), location=database)
    reserve_menu_bar(window)  # the menus are built once the book is open; their bar is there from the start
    opener = BookOpener(window, ctx, database, interactive=not smoke, then_import=WIRING_MODULES)

    def opened() -> None:
        if not smoke and needs_welcome(ctx):
            window.show_welcome()
        wire_book(window, ctx)
        window.book_opened()

    opener.sig_opening.connect(window.book_opening)
    opener.sig_opened.connect(opened)
    # Once the first frame is out (a zero timer: the paint's own slots run first); SQLAlchemy loads there.
    window.sig_first_painted.connect(lambda: QTimer.singleShot(0, opener.start))
    from actdesk.ui.startup_gc import StartupCollector

    StartupCollector(window, ctx).start()  # no collection until the window has settled (issue 21)
    return window, ctx, opener


def install_error_hook(*, interactive: bool) -> list[BaseException]:
    """Errors the advisor cannot cause (bugs) raised inside Qt slots: logged with their traceback and shown
    once, never swallowed. Returns the list they are collected in (``--smoke`` fails on any)."""
    seen: list[BaseException] = []
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error in the window", exc_info=(exc_type, exc, tb))
        seen.append(exc)
        if not interactive:
            previous(exc_type, exc, tb)
        elif len(seen) == 1:
            QMessageBox.critical(
                None,
                i18n._("Something went wrong"),
                i18n._(
                    "actdesk hit an unexpected problem ({error}). It was written to the log and your book was "
                    "not damaged. If something looks wrong, restart actdesk."
                ).format(error=f"{exc_type.__name__}: {exc}"),
            )

    sys.excepthook = hook
    return seen


def start_logging() -> None:
    """The scrubbed rotating log file; the console keeps the verbosity the command line chose."""
    from actdesk.services import logs

    root = logging.getLogger()
    for handler in root.handlers:
        if handler.level == logging.NOTSET:
            handler.setLevel(root.level)
    logs.setup_logging()
    logs.install_excepthook()  # worker threads' crashes too, scrubbed of client names


def run(database: str, *, smoke: bool = False, screenshot_dir: Path | None = None) -> int:
    tune_garbage_collector()
    cheapen_pyside_import_hook()
    settings = load_settings()
    start_logging()
    if i18n.current_language() == settings.general.language:  # --lang/ACTDESK_LANG may have chosen another
        try:  # the region and currency chosen in Preferences
            i18n.set_language(settings.general.language, settings.general.locale, settings.general.currency)
        except ValueError:
            log.warning(
                "unknown locale %r in the settings; using the language's default", settings.general.locale
            )
    app = create_application(settings)
    errors = install_error_hook(interactive=not smoke)
    from actdesk.storage.lock import set_program

    set_program("window")  # the lock says so: `outbox send` then hands its work to this window
    window, ctx, opener = start_window(database, settings, smoke=smoke)
    try:
        if smoke:
            from actdesk.ui.smoke import run_smoke

            code = run_smoke(app, window, ctx, screenshot_dir)
            if opener.error is not None:
                raise opener.error  # the command line reports a refused book in one line, as before
            if errors:
                print(
                    f"actdesk: the window raised {len(errors)} error(s); first: {errors[0]!r}",
                    file=sys.stderr,
                )
                return 1
            return code
        from actdesk.ui.quit_signals import quit_on_signals

        # Ctrl+C, SIGTERM and the platform's end of session: a clean close
        quit_on_signals(window, lambda: window.close() and app.quit(), lambda: release(ctx, opener=opener))
        opener.sig_given_up.connect(window.close)  # the advisor chose to quit, or the error below is raised
        window.show()
        code = int(app.exec())
        if opener.error is not None:
            raise opener.error
        return code if ctx.book_open else 1
    finally:
        release(ctx, opener=opener)


def release(ctx: AppContext, book: Book | None = None, *, opener: BookOpener | None = None) -> None:
    """What the window holds, let go: the chart renderer detached, its tasks waited for, the alert child
    ended, the book and its lock released. Safe to call twice (the end of session calls it before the event
    loop returns)."""
    from actdesk.ui.charts.worker import render_with

    render_with(None)
    ctx.tasks.shutdown(wait=True)
    ctx.shutdown_child()
    if opener is not None:
        opener.release_unattached()
    book = book if book is not None else ctx.book if ctx.book_open else None
    if book is not None:
        book.dispose()
