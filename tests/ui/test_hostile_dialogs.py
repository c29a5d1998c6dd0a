"""Every dialog of the window given hostile text in every field, then its OK: no exception escapes.

The command line's hostile table (tests/reliability/test_hostile_cli.py) has its twin here: the same kinds
of value (a 100,000-character paste, NUL, a bidi override, 1e309, a 26-digit number, a formula) typed
into every line and text field of every dialog (tests/ui/every_dialog.py builds each one on a real demo
book), then the dialog's default button. A dialog may refuse (an inline message, a message box: closed
at once here) or accept; an exception from a slot fails the test (pytest-qt's capture), and so does any
invisible control character found in the book afterwards (``storage/text_guard.py`` refuses them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)
from tests.ui.every_dialog import DIALOGS

from actdesk.storage.engine import Book

VALUES = [
    "x" * 100_000,
    "Na\x00me\x01",
    "ev\u202eli \u2066x",
    "1e309",
    "-99999999999999999999999999",
    '=HYPERLINK("http://x")',
]


@pytest.fixture
def demo_book(tmp_path: Path) -> Iterator[Book]:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.storage.open import open_book

    book = open_book(tmp_path / "demo.db")
    generate_demo(book, DemoOptions(households=12, seed=4))
    yield book
    book.dispose()


def _fill(root: QWidget, value: str) -> int:
    filled = 0
    for edit in root.findChildren(QLineEdit):
        if edit.isVisibleTo(root) and edit.isEnabled() and not edit.isReadOnly():
            edit.setText(value)
            edit.textEdited.emit(value)
            edit.editingFinished.emit()
            filled += 1
    for edit in [*root.findChildren(QPlainTextEdit), *root.findChildren(QTextEdit)]:
        if edit.isVisibleTo(root) and edit.isEnabled() and not edit.isReadOnly():
            edit.setPlainText(value)
            filled += 1
    return filled


def _stored_invisible(book: Book) -> list[str]:
    """Every text cell of the book holding a character of ``domain/text.py``'s rule: ``table.column``."""
    from sqlalchemy import inspect, text

    from actdesk.domain.text import invisible_character

    found = []
    with book.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for column in [c["name"] for c in inspect(conn).get_columns(table)]:
                rows = conn.execute(text(f'SELECT "{column}" FROM "{table}"')).scalars()
                if any(isinstance(v, str) and invisible_character(v) for v in rows):
                    found.append(f"{table}.{column}")
    return found


def _ok_button(root: QWidget) -> QAbstractButton | None:
    for box in root.findChildren(QDialogButtonBox):
        for role in (QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Save):
            button = box.button(role)
            if button is not None and button.isVisible():
                return button
        accept = [b for b in box.buttons() if box.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole]
        if accept:
            return accept[0]
    defaults = [b for b in root.findChildren(QPushButton) if b.isDefault() and b.isVisible()]
    return defaults[0] if defaults else None


def test_hostile_text_in_every_dialog(qtbot, qapp: QApplication, demo_book: Book, warm_child: object) -> None:
    from tests.ui.conftest import _build

    window, ctx = _build(qtbot, demo_book, warm_child)
    opened: list[QDialog] = []

    def close_modals() -> None:  # a message box or file dialog opened by OK: dismissed, as a user would
        modal = QApplication.activeModalWidget()
        if modal is not None and modal not in opened:
            modal.close()

    closer = QTimer()
    closer.timeout.connect(close_modals)
    closer.start(50)
    reached = 0
    accepted = 0
    try:
        for build in DIALOGS.values():
            for value in VALUES:
                dialog = build(window, ctx)
                opened[:] = [dialog] if isinstance(dialog, QDialog) else []
                dialog.show()
                qtbot.wait(10)
                if not _fill(dialog, value):
                    dialog.close()
                    break  # nothing to type into: one try is enough
                reached += 1
                ok = _ok_button(dialog)
                if ok is not None and ok.isEnabled():
                    ok.click()
                    qtbot.wait(30)
                    accepted += not dialog.isVisible()
                dialog.close()
                dialog.deleteLater()
        qtbot.wait(300)  # the last saves run as background tasks
        assert accepted >= 10, accepted  # some dialogs took the values they could (the walk reached OK)
        assert _stored_invisible(demo_book) == []
        assert reached >= 10 * len(VALUES), reached  # the walk really typed into most dialogs
    finally:
        closer.stop()
        window.close()
        ctx.tasks.shutdown()
