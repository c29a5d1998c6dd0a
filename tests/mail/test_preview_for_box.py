"""The template editor's "Preview for" box in the Spanish window at 1280×800: a long "name — household" ends in
"…" with the whole text in its tooltip, a short one shows whole without a tooltip, the box keeps a usable
width and the row around it fits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from tests.ui.fit import fit_problems

from actdesk import i18n
from actdesk.storage.open import open_book


@pytest.fixture
def spanish_window(qtbot, qapp: QApplication, tmp_path: Path) -> Iterator[object]:
    from actdesk.app import build_window, configure_qsettings
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.settings import load_settings
    from actdesk.ui import theme
    from actdesk.ui.tasks import TaskRunner

    i18n.set_language("es")
    book = open_book(tmp_path / "demo.db")
    generate_demo(book, DemoOptions(households=25, seed=5, locale="es_ES"))
    configure_qsettings()
    theme.apply_theme(qapp, "light")
    settings = load_settings()
    settings.general.language = "es"
    win, ctx = build_window(
        book,
        settings,
        tasks=TaskRunner(inline=True),
        welcome=False,
        first_panel="households",
        background=False,
    )
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitUntil(lambda: win.current_key == "households", timeout=10_000)
    yield win
    win.close()
    ctx.tasks.shutdown()
    book.dispose()
    i18n.set_language("en")


def test_preview_for_elides_a_long_name_with_a_tooltip_at_1280_in_spanish(qtbot, spanish_window) -> None:
    window = spanish_window
    window.show_panel("campaigns")
    qtbot.waitUntil(lambda: "campaigns" in window.panels, timeout=10_000)
    panel = window.panels["campaigns"]
    panel.tabs.setCurrentWidget(panel.editor)
    editor = panel.editor
    box = editor.contact
    qtbot.waitUntil(lambda: box.count() > 1, timeout=10_000)
    editor.open_template("review_reminder")
    qtbot.waitUntil(lambda: bool(editor.subject.text()), timeout=10_000)
    qtbot.wait(30)

    assert box.width() >= 220  # a usable width: room for a name, not a sliver
    assert box.geometry().right() < editor.save_as_button.geometry().left()  # the row is not overlapping
    metrics = box.fontMetrics()
    texts = [box.itemText(i) for i in range(box.count())]
    longest = max(range(box.count()), key=lambda i: metrics.horizontalAdvance(texts[i]))
    assert metrics.horizontalAdvance(texts[longest]) > box.text_room(), (
        "no name is long enough to prove anything"
    )
    box.setCurrentIndex(longest)
    shown = box.shown_text()
    assert shown.endswith("…") and texts[longest].startswith(shown[:-1])
    assert metrics.horizontalAdvance(shown) <= box.text_room()
    assert box.toolTip() == texts[longest]

    short = min(range(box.count()), key=lambda i: metrics.horizontalAdvance(texts[i]))
    box.setCurrentIndex(short)
    assert box.shown_text() == texts[short] and box.toolTip() == ""

    box.setCurrentIndex(longest)
    assert not fit_problems(editor), fit_problems(editor)
