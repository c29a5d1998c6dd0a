"""The Pipeline panel through its models and controller (pytest-qt, offscreen, tasks inline)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialogButtonBox
from tests.pipeline.books import NOW, a_segment_book, annuity_book, opportunity

from actdesk.domain.pipeline.similar import Suggestion
from actdesk.storage.tables.book import OpportunityRow


@pytest.fixture
def make_panel(qtbot, book):
    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.pipeline.panel import PipelinePanel
    from actdesk.ui.tasks import TaskRunner

    made = []

    def build() -> PipelinePanel:
        ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
        panel = PipelinePanel(ctx)
        qtbot.addWidget(panel)
        panel.resize(1280, 800)
        panel.show()
        qtbot.waitUntil(lambda: panel.controller.board is not None, timeout=3000)
        made.append(ctx)
        return panel

    yield build
    for ctx in made:
        ctx.tasks.shutdown()


@pytest.fixture
def ids(book) -> Iterator[dict[str, int]]:
    with book.session() as s:
        found = a_segment_book(s)
        found["opp_like"] = opportunity(s, found["like"], "proposal", aum="1000000", probability=None)
    yield found


def _stage(book, opp_id: int) -> tuple[str, str | None]:
    with book.reader() as s:
        row = s.get(OpportunityRow, opp_id)
        return row.stage, row.lost_reason


def test_models_pass_the_model_tester(qtbot, qtmodeltester, make_panel, ids) -> None:
    panel = make_panel()
    qtmodeltester.check(panel.model)
    qtmodeltester.check(panel.board.columns["proposal"].proxy)
    panel.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: panel.prospects.model.rowCount() == 3, timeout=3000)
    qtmodeltester.check(panel.prospects.model)
    qtmodeltester.check(panel.prospects.proxy)
    panel.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: panel.sources.model.rowCount() > 0, timeout=3000)
    qtmodeltester.check(panel.sources.model)


def test_columns_show_totals_and_weighted_value(make_panel, ids) -> None:
    panel = make_panel()
    proposal = panel.board.columns["proposal"]
    assert proposal.proxy.rowCount() == 1
    assert proposal.count.text() == "1"
    assert "Weighted $600,000" in proposal.totals.text()  # 1,000,000 x 0.6 (the proposal default)
    assert "Weighted pipeline $600,000" in panel.summary.text()


def test_move_a_card_between_stages_through_the_controller(qtbot, make_panel, book, ids) -> None:
    panel = make_panel()
    opp = ids["opp_like"]
    assert panel.controller.move(opp, "meeting")
    qtbot.waitUntil(lambda: panel.board.columns["meeting"].proxy.rowCount() == 2, timeout=3000)
    assert _stage(book, opp) == ("meeting", None)
    assert panel.board.columns["proposal"].proxy.rowCount() == 0
    assert "Weighted $400,000" in panel.board.columns["meeting"].totals.text()


def test_dropping_a_card_on_a_column_moves_it(qtbot, make_panel, book, ids) -> None:
    panel = make_panel()
    source = panel.board.columns["proposal"]
    index = source.proxy.mapToSource(source.proxy.index(0, 0))
    mime = panel.model.mimeData([index])
    target = panel.board.columns["won"].list
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(event)
    qtbot.waitUntil(lambda: panel.board.columns["won"].proxy.rowCount() == 3, timeout=3000)
    assert _stage(book, ids["opp_like"]) == ("won", None)


def test_lost_asks_for_a_reason_and_cancel_changes_nothing(qtbot, make_panel, book, ids) -> None:
    panel = make_panel()
    opp = ids["opp_like"]
    asked: list[int] = []
    panel.controller.ask_reason = lambda item: asked.append(item.id) or None  # the advisor cancels
    assert not panel.controller.move(opp, "lost")
    assert asked == [opp]
    assert _stage(book, opp) == ("proposal", None)
    panel.controller.ask_reason = lambda item: "Fees too high"
    assert panel.controller.move(opp, "lost")
    qtbot.waitUntil(lambda: panel.board.columns["lost"].proxy.rowCount() == 1, timeout=3000)
    assert _stage(book, opp) == ("lost", "Fees too high")


def test_lost_reason_dialog_needs_text(qtbot) -> None:
    from actdesk.ui.pipeline.dialogs import LostReasonDialog

    dialog = LostReasonDialog("Gray household")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()
    dialog.reason.setEditText("   ")
    assert not ok.isEnabled()
    dialog.reason.setEditText("Chose a robo-advisor")
    assert ok.isEnabled() and dialog.value() == "Chose a robo-advisor"


def test_prospects_sorted_by_fit_with_reasons_in_the_side_panel(qtbot, make_panel, ids) -> None:
    panel = make_panel()
    panel.tabs.setCurrentIndex(1)
    view = panel.prospects
    qtbot.waitUntil(lambda: view.proxy.rowCount() == 3, timeout=3000)
    names = [view.proxy.index(r, 1).data() for r in range(view.proxy.rowCount())]
    assert names == ["Like Prospect", "Blank Prospect", "Unlike Prospect"]
    assert view.current() is not None and view.current().traits.name == "Like Prospect"
    assert view.reasons.name.text() == "Like Prospect" and view.reasons.score.value() == 100
    assert "Drawn from your 2 A clients" in view.profile.subtitle.text()
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert view.proxy.index(0, 1).data() == "Unlike Prospect"


def test_growth_ideas_one_click_creates_an_opportunity(qtbot, qtmodeltester, make_panel, book) -> None:
    with book.session() as s:
        found = annuity_book(s)
    panel = make_panel()
    panel.tabs.setCurrentIndex(3)
    qtbot.waitUntil(lambda: panel.household_combo.count() == 8, timeout=3000)
    panel.show_growth(found["target"])
    growth = panel.growth
    qtbot.waitUntil(lambda: growth.model.rowCount() >= 1, timeout=3000)
    qtmodeltester.check(growth.model)
    qtmodeltester.check(growth.proxy)
    first: Suggestion = growth.current()  # type: ignore[assignment]
    assert first.holding == "annuity"
    growth.create_button.click()
    qtbot.waitUntil(
        lambda: any(r.item.household_id == found["target"] for r in panel.model.rows), timeout=3000
    )
    rows = [r.item for r in panel.model.rows if r.item.household_id == found["target"]]
    assert len(rows) == 1 and rows[0].kind == "insurance" and rows[0].stage == "lead"
    assert rows[0].expected_aum == first.typical_amount
    qtbot.waitUntil(lambda: growth.current() is not None and growth.current().in_pipeline, timeout=3000)
    assert not growth.create_button.isEnabled()  # one click, one opportunity


def test_spend_dialog_validates(qtbot) -> None:
    from actdesk.ui.pipeline.sources import SpendDialog

    dialog = SpendDialog(["Seminar"], date(2026, 11, 15))
    qtbot.addWidget(dialog)
    with pytest.raises(ValueError, match="source"):
        dialog.values()
    dialog.source.setEditText("Seminar")
    dialog.amount.setText("12x")
    with pytest.raises(ValueError, match="digits"):
        dialog.values()
    dialog.amount.setText("1,200.50")
    dialog.hours.setValue(3)
    assert dialog.values() == ("Seminar", date(2026, 11, 15), Decimal("1200.50"), 3.0)


def test_spend_dialog_reads_money_as_the_window_writes_it(qtbot) -> None:
    """In Spanish "1.200,50" is twelve hundred and a half (the dialog once dropped every comma and refused
    it as three decimals); 1e309 or a 26-digit sum is a typing slip refused in words, not an arithmetic
    error escaping the OK button."""
    from actdesk import i18n
    from actdesk.ui.pipeline.sources import SpendDialog

    i18n.set_language("es")
    try:
        dialog = SpendDialog(["Seminario"], date(2026, 11, 15))
        qtbot.addWidget(dialog)
        dialog.source.setEditText("Seminario")
        assert "1.200,50" in dialog.amount.placeholderText()
        for typed in ("1.200,50", "1200,50", "1.200,50 US$"):
            dialog.amount.setText(typed)
            assert dialog.values()[2] == Decimal("1200.50"), typed
        for typed in ("1e309", "9" * 26, "12x"):
            dialog.amount.setText(typed)
            with pytest.raises(ValueError, match="Dinero gastado"):
                dialog.values()
    finally:
        i18n.set_language("en")


def test_board_screenshot_is_not_empty(make_panel, ids, tmp_path) -> None:
    panel = make_panel()
    image = panel.grab().toImage()
    assert image.width() == 1280 and not image.isNull()


def test_contact_card_growth_ideas_button_opens_the_households_ideas(qtbot, book, monkeypatch) -> None:
    from actdesk.settings import load_settings
    from actdesk.ui.card.view import ContactCard
    from actdesk.ui.context import AppContext
    from actdesk.ui.pipeline.growth import GrowthIdeasDialog
    from actdesk.ui.tasks import TaskRunner

    with book.session() as s:
        found = annuity_book(s)
    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
    opened: list[GrowthIdeasDialog] = []
    monkeypatch.setattr(GrowthIdeasDialog, "exec", lambda self: opened.append(self) or 0)
    card = ContactCard(ctx)
    qtbot.addWidget(card)
    card.load(found["target"])
    qtbot.waitUntil(lambda: card.household_id == found["target"], timeout=3000)
    card.growth_button.click()
    assert len(opened) == 1
    ideas = opened[0].ideas
    qtbot.waitUntil(lambda: ideas.model.rowCount() > 0, timeout=3000)
    assert ideas.household_id == found["target"]
    # default 10 neighbours: all 7 other clients; 4 hold an annuity, 3 a 529 plan (30% support needs 3)
    assert [(r.holding, r.support, r.neighbours) for r in ideas.model.rows] == [
        ("annuity", 4, 7),
        ("529", 3, 7),
    ]
    ctx.tasks.shutdown()


def test_cards_move_from_the_context_menu_without_a_mouse_drag(qtbot, make_panel, book, ids) -> None:
    from PySide6.QtCore import QPoint

    panel = make_panel()
    column = panel.board.columns["proposal"]
    column.list.setCurrentIndex(column.proxy.index(0, 0))
    menu = panel.board.card_menu(column, QPoint(-1, -1))  # as the Menu key does: the current card
    assert menu is not None
    move = next(a.menu() for a in menu.actions() if a.menu() is not None)
    meeting = next(a for a in move.actions() if a.text() == "Meeting")
    proposal = next(a for a in move.actions() if a.text() == "Proposal")
    assert not proposal.isEnabled()  # already there
    meeting.trigger()
    menu.close()
    qtbot.waitUntil(lambda: panel.board.columns["meeting"].proxy.rowCount() == 2, timeout=3000)
    assert _stage(book, ids["opp_like"]) == ("meeting", None)


def test_results_arriving_after_the_panel_closed_are_dropped(qtbot, book, ids) -> None:
    from shiboken6 import delete

    from actdesk.settings import load_settings
    from actdesk.ui.context import AppContext
    from actdesk.ui.pipeline.panel import PipelinePanel
    from actdesk.ui.tasks import TaskRunner

    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
    panel = PipelinePanel(ctx)  # the board's result is queued, not yet delivered
    panel.tabs.setCurrentIndex(1)  # and the prospects'
    delete(panel)
    qtbot.wait(50)  # the queued results arrive now: dropped, no "already deleted" error
    assert not ctx.tasks.busy
    ctx.tasks.shutdown()


def test_the_ideal_client_profile_shows_city_names_as_written(qtbot) -> None:
    """Profile lines quote the book's own values (cities, sources): markup characters stay text."""
    from datetime import date

    from actdesk.domain.pipeline.profile import IdealClientProfile
    from actdesk.services.pipeline import Prospecting
    from actdesk.ui.pipeline.prospects import ProfileCard

    card = ProfileCard()
    qtbot.addWidget(card)
    profile = IdealClientProfile(as_of=date(2026, 6, 30), households=3, numeric={}, categorical={})
    card.set_profile(Prospecting(date(2026, 6, 30), profile, ["City: Smith & <b>Sons</b>"], []))
    label = card.grid.itemAt(0).widget()
    assert label.text() == "<b>City</b>&nbsp; Smith &amp; &lt;b&gt;Sons&lt;/b&gt;"
