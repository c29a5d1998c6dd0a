"""First run welcome, book error dialogs, and the window in Spanish."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from tests.ui.conftest import _build

from actdesk import i18n
from actdesk.settings import load_settings
from actdesk.storage.errors import BookLockedError, CorruptBookError, NewerBookError, NotABookError
from actdesk.ui.dialogs.book_errors import describe, informative_html


def test_first_run_shows_the_welcome_and_empty_book_leaves_it(qtbot, book) -> None:
    from actdesk.app import build_window, configure_qsettings, needs_welcome
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    settings = load_settings()
    window, ctx = build_window(book, settings, tasks=TaskRunner(inline=True))
    qtbot.addWidget(window)
    assert needs_welcome(ctx)
    window.show()
    qtbot.waitUntil(lambda: window.welcome is not None and window.welcome.isVisible())
    assert window.pages.currentWidget() is window.welcome
    assert "households" not in window.panels  # nothing loads behind the welcome
    qtbot.mouseClick(window.welcome.empty_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_key is not None)
    assert window.welcome is None and window.current_key == window.initial_panel()
    assert load_settings().general.first_run_done  # saved: the welcome does not come back
    assert not needs_welcome(ctx)
    window.close()
    ctx.tasks.shutdown()


def test_import_choice_emits_the_request(qtbot, book) -> None:
    from actdesk.ui.welcome import Welcome

    welcome = Welcome(demo_available=False, import_available=True)
    qtbot.addWidget(welcome)
    assert not welcome.demo_button.isVisibleTo(welcome)
    with qtbot.waitSignal(welcome.sig_import_requested, timeout=1000):
        welcome.import_button.click()


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (BookLockedError("locked", holder="ann on LAPTOP"), ("ann on LAPTOP", "read-only")),
        (NewerBookError("newer"), ("newer version",)),
        (CorruptBookError("bad page"), ("damaged", "backup")),
        (NotABookError("nope"), ("not an actdesk database",)),
    ],
)
def test_book_error_dialog_says_what_happened_and_what_next(error, words) -> None:
    text = describe(error, "/home/ann/book.db")
    whole = f"{text.title} {text.message} {text.next_step}"
    assert "The file was not changed." in text.message
    assert "/home/ann/book.db" in text.message or isinstance(error, BookLockedError)
    for word in words:
        assert word in whole


def test_book_error_dialog_shows_a_path_with_markup_characters_as_written() -> None:
    text = describe(NotABookError("nope"), "/home/ann/Smith & <Jones>/book.db")
    assert "/home/ann/Smith &amp; &lt;Jones&gt;/book.db" in informative_html(text)
    assert "<Jones>" not in informative_html(text)


def test_spanish_window(qtbot, sample_book) -> None:
    i18n.set_language("es")
    window, ctx = _build(qtbot, sample_book)
    try:
        panel = window.panels["households"]
        assert window.rail_buttons["households"].text() == "Hogares"
        assert panel.search.placeholderText().startswith("Buscar")
        headers = [
            panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())
        ]
        assert headers[:3] == ["Hogar", "Estado", "Contacto principal"]
        aum = {
            panel.proxy.index(r, 0).data(): panel.proxy.index(r, 4).data()
            for r in range(panel.proxy.rowCount())
        }
        assert aum["Smith household"].replace("\xa0", " ") == "2.500.000 US$"  # whole units in a list
        assert "hogares" in panel.summary.text()
        editor = panel.new_household()
        editor.fields["name"].set_text("")
        editor.save()
        assert editor.fields["name"].error == "El hogar necesita un nombre."
        editor.reject()
    finally:
        window.close()
        ctx.tasks.shutdown()
        i18n.set_language("en")


def test_demo_choice_fills_the_book_and_opens_it(qtbot, book) -> None:
    from actdesk.app import configure_qsettings
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.ui.context import AppContext
    from actdesk.ui.main_window import MainWindow
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True))
    window = MainWindow(
        ctx,
        show_welcome=True,
        demo_builder=lambda c: generate_demo(c.book, DemoOptions(households=6, seed=3)),
    )
    qtbot.addWidget(window)
    window.show()
    assert window.welcome is not None and window.welcome.demo_button.isVisibleTo(window.welcome)
    window.welcome.demo_button.click()
    qtbot.waitUntil(lambda: window.welcome is None, timeout=20000)
    window.show_panel("households")
    qtbot.waitUntil(lambda: window.panels["households"].model.rowCount() == 6, timeout=5000)
    assert window.welcome is None
    window.close()
    ctx.tasks.shutdown()


@pytest.mark.qt_no_exception_capture
def test_errors_in_slots_are_logged_and_collected(qtbot, caplog) -> None:
    import sys

    from PySide6.QtCore import QTimer

    from actdesk.app import install_error_hook

    previous = sys.excepthook
    try:
        errors = install_error_hook(interactive=False)

        def broken() -> None:
            raise RuntimeError("a bug in a slot")

        QTimer.singleShot(0, broken)
        qtbot.waitUntil(lambda: bool(errors), timeout=2000)
    finally:
        sys.excepthook = previous
    assert isinstance(errors[0], RuntimeError)
    assert "unexpected error in the window" in caplog.text
