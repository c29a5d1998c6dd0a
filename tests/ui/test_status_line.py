"""Status-bar messages are never cut off: in Spanish at 1280×800, with a long book path beside them, every
message the window sends to the status bar shows whole (the path steps aside while it shows), and one longer
than the whole bar ends in "…" with the full sentence in its tooltip."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics

from actdesk import i18n
from actdesk.ui.widgets.status_line import StatusLine

UI = Path(__file__).resolve().parents[2] / "src" / "actdesk" / "ui"


def status_msgids() -> set[str]:
    """Every marked sentence passed to ``status_message.emit(...)`` under src/actdesk/ui."""
    found: set[str] = set()
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "emit"
                and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "status_message"
            ):
                continue
            for sub in ast.walk(node):
                if (
                    isinstance(sub, ast.Call)
                    and isinstance(sub.func, ast.Name)
                    and sub.func.id in ("_", "ngettext")
                    and sub.args
                    and isinstance(sub.args[0], ast.Constant)
                ):
                    found.add(str(sub.args[0].value))
    return found


def test_every_spanish_status_message_shows_whole_at_1280(qtbot, sample_book) -> None:
    from tests.ui.conftest import _build

    i18n.set_language("es")
    window, ctx = _build(qtbot, sample_book)
    try:
        window.resize(1280, 800)
        window.book_label.setText("Cartera: /home/asesora/Documentos/Clientes/cartera-principal-2026.actdesk")
        qtbot.wait(20)
        line = window.status_line
        messages = status_msgids()
        assert len(messages) >= 20, messages
        for msgid in messages:
            text = re.sub(r"\{[^}]*\}", "Hogar García", i18n._(msgid))
            ctx.signals.status_message.emit(text)
            qtbot.wait(5)
            assert line.text() == text, (msgid, line.text())
            assert QFontMetrics(line.font()).horizontalAdvance(text) <= line.contentsRect().width()
            assert not window.book_label.isVisible()
        line.clear_message()
        assert window.book_label.isVisible() and line.text() == ""
    finally:
        window.close()
        ctx.tasks.shutdown()
        i18n.set_language("en")


def test_a_sentence_longer_than_the_bar_ends_in_an_ellipsis_with_a_tooltip(qtbot) -> None:
    line = StatusLine()
    qtbot.addWidget(line)
    line.resize(200, 20)
    line.show()
    sentence = "No se pudo guardar el acontecimiento vital del Hogar García: el disco está lleno"
    line.show_message(sentence, 0)
    assert line.text().endswith("…") and line.text() != sentence
    assert line.toolTip() == sentence
    line.resize(900, 20)
    qtbot.wait(5)
    assert line.text() == sentence and line.toolTip() == ""
    assert Qt.TextFormat.PlainText == line.textFormat()
