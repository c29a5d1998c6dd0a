"""The households panel through the real window: create, edit, validate, delete, search, sort, quick find."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from actdesk.storage.repositories import households as repo
from actdesk.ui.card.editor import HouseholdEditor
from actdesk.ui.households.model import COL, ID_ROLE, HouseholdTableModel


def _names(panel) -> list[str]:
    proxy = panel.proxy
    return [proxy.index(r, COL["name"]).data() for r in range(proxy.rowCount())]


def _rows(book):
    with book.reader() as s:
        return {r.name: r for r in repo.list_households(s)}


def _fill(editor: HouseholdEditor, index: int, **values: str) -> None:
    member = editor.members[index]
    for key, value in values.items():
        member.fields[key].set_text(value)


def test_create_household_with_two_members(qtbot, window) -> None:
    panel = window.panels["households"]
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = panel.editor
    assert isinstance(editor, HouseholdEditor) and editor.isVisible()
    editor.fields["name"].set_text("Garcia family")
    editor.fields["status"].set_text("client")
    editor.fields["client_since"].set_text("03/01/2024")
    _fill(editor, 0, first_name="Luis", last_name="Garcia", email="luis@garcia.example", income="85,000")
    editor.add_member()
    _fill(editor, 1, first_name="Eva", last_name="Garcia", phone="(210) 555-0199")
    assert editor.members[1].fields["role"].text() == "spouse"
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not editor.isVisible(), timeout=3000)
    qtbot.waitUntil(
        lambda: panel.card.detail is not None and panel.card.detail.household.name == "Garcia family"
    )
    detail = panel.card.detail
    assert [c.first_name for c in detail.contacts] == ["Luis", "Eva"]
    assert detail.contacts[0].income == Decimal("85000.00")
    assert "Garcia family" in _names(panel)
    assert panel.card.title.text() == "Garcia family"


def test_edit_household(qtbot, window) -> None:
    panel = window.panels["households"]
    assert panel.select_household(_rows(window.ctx.book)["Lopez family"].id)
    qtbot.waitUntil(
        lambda: panel.card.detail is not None and panel.card.detail.household.name == "Lopez family"
    )
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = panel.editor
    assert editor is not None and editor.fields["name"].text() == "Lopez family"
    editor.fields["name"].set_text("Lopez-Ruiz family")
    _fill(editor, 0, city="Houston")
    editor.save()
    qtbot.waitUntil(lambda: "Lopez-Ruiz family" in _names(panel), timeout=3000)
    row = _rows(window.ctx.book)["Lopez-Ruiz family"]
    assert row.city == "Houston" and row.aum == Decimal("900000.00")
    qtbot.waitUntil(lambda: panel.card.title.text() == "Lopez-Ruiz family", timeout=3000)  # the card follows
    assert panel.card.detail.contacts[0].city == "Houston"


def test_invalid_input_is_shown_at_the_field_and_nothing_is_saved(qtbot, window) -> None:
    panel = window.panels["households"]
    before = _rows(window.ctx.book)
    editor = panel.new_household()
    editor.fields["name"].set_text("Brown household")
    editor.fields["status"].set_text("former_client")
    editor.fields["client_since"].set_text("2010-01-01")
    editor.fields["client_until"].set_text("2009-01-01")
    _fill(editor, 0, first_name="Jo", last_name="Brown", email="jo at brown", birth_date="02/30/1970")
    editor.save()
    assert editor.isVisible()
    assert "after" in editor.fields["client_until"].error
    assert editor.fields["leaving_reason"].error  # required for a former client
    member = editor.members[0]
    assert "e-mail" in member.fields["email"].error
    assert "date" in member.fields["birth_date"].error
    assert member.fields["email"].editor.property("invalid") is True
    assert editor.form_error.isVisibleTo(editor)
    assert _rows(window.ctx.book) == before  # nothing saved half-way
    # typing in the field clears its message
    qtbot.keyClicks(member.fields["email"].editor, "x")
    assert member.fields["email"].error == ""
    editor.reject()


def test_delete_asks_first(qtbot, window) -> None:
    panel = window.panels["households"]
    young = _rows(window.ctx.book)["Young household"].id
    panel.select_household(young)
    qtbot.waitUntil(lambda: panel.card.household_id == young)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    box = panel.confirm_box
    assert isinstance(box, QMessageBox) and "Young household" in box.text()
    box.button(QMessageBox.StandardButton.NoButton)
    cancel = next(b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    cancel.click()
    assert "Young household" in _rows(window.ctx.book)
    panel.delete_current()
    delete = next(
        b
        for b in panel.confirm_box.buttons()
        if panel.confirm_box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole
    )
    delete.click()
    qtbot.waitUntil(lambda: "Young household" not in _names(panel), timeout=3000)
    assert "Young household" not in _rows(window.ctx.book)


def test_search_as_you_type_and_status_filter(qtbot, window) -> None:
    panel = window.panels["households"]
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search.hasFocus()
    qtbot.keyClicks(panel.search, "san ant")
    assert _names(panel) == ["Lopez family"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "5125550100")  # phone typed without separators
    assert _names(panel) == ["Smith household"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "maria@")
    assert _names(panel) == ["Lopez family"]
    panel.search.clear()
    qtbot.keyClicks(panel.search, "nobody")
    assert _names(panel) == [] and panel.list_stack.currentWidget() is panel.no_results
    assert panel.card.household_id is None  # no hidden household left on the card
    panel.search.clear()
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("prospect"))
    assert _names(panel) == ["Young household"]


def test_sort_by_aum(window) -> None:
    panel = window.panels["households"]
    panel.table.sortByColumn(COL["aum"], Qt.SortOrder.DescendingOrder)
    assert _names(panel) == ["Smith household", "Lopez family", "Young household"]
    aum = [panel.proxy.index(r, COL["aum"]).data() for r in range(3)]
    assert aum == ["$2,500,000", "$900,000", "—"]  # whole units in a list (compact only in tiles and charts)
    tips = [panel.proxy.index(r, COL["aum"]).data(Qt.ItemDataRole.ToolTipRole) for r in range(2)]
    assert tips == ["$2,500,000.00", "$900,000.00"]  # to the cent in the tooltip
    align = panel.proxy.index(0, COL["aum"]).data(Qt.ItemDataRole.TextAlignmentRole)
    assert align & Qt.AlignmentFlag.AlignRight.value


def test_quick_find_jumps_to_a_card(qtbot, window) -> None:
    panel = window.panels["households"]
    finder = window.open_quick_find()
    qtbot.waitUntil(lambda: finder.model.rowCount() == 3)
    qtbot.keyClicks(finder.edit, "young")
    assert finder.proxy.rowCount() == 1
    qtbot.keyClick(finder, Qt.Key.Key_Return)
    target = _rows(window.ctx.book)["Young household"].id
    qtbot.waitUntil(lambda: panel.card.household_id == target, timeout=3000)
    assert panel.table.currentIndex().data(ID_ROLE) == target


def test_card_shows_money_with_cents(qtbot, window) -> None:
    panel = window.panels["households"]
    panel.select_household(_rows(window.ctx.book)["Smith household"].id)
    qtbot.waitUntil(
        lambda: panel.card.detail is not None and panel.card.detail.household.name == "Smith household"
    )
    money = panel.card.attention_strip.tiles["money"]
    assert money.value.text() == "$2.5M" and money.toolTip() == "$2,500,000.00"
    assert panel.card.accounts.index(0, 2).data() == "$2,500,000.00"


def test_empty_book_shows_the_designed_empty_state(empty_window) -> None:
    panel = empty_window.panels["households"]
    assert panel.list_stack.currentWidget() is panel.empty_book
    assert "Redtail" in panel.empty_book.text_label.text()
    assert not panel.card.isVisibleTo(panel)


def test_table_model_passes_qtmodeltester(qtmodeltester, sample_book) -> None:
    model = HouseholdTableModel()
    with sample_book.reader() as s:
        model.set_rows(repo.list_households(s))
    qtmodeltester.check(model, force_py=True)


def test_read_only_window_offers_no_changes(qtbot, sample_book) -> None:
    from actdesk.app import build_window, configure_qsettings
    from actdesk.settings import load_settings
    from actdesk.ui.tasks import TaskRunner

    configure_qsettings()
    win, ctx = build_window(
        sample_book,
        load_settings(),
        read_only=True,
        tasks=TaskRunner(inline=True),
        welcome=False,
        first_panel="households",
        background=False,
    )
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.current_key == "households")
    qtbot.waitUntil(lambda: win.panels["households"].loaded)
    panel = win.panels["households"]
    assert panel.new_household() is None and not panel.new_button.isVisibleTo(panel)
    assert "read-only" in win.book_label.text()
    win.close()
    ctx.tasks.shutdown()


def test_geometry_and_splitter_are_remembered(qtbot, sample_book) -> None:
    from tests.ui.conftest import _build

    first, ctx = _build(qtbot, sample_book)
    first.panels["households"].splitter.setSizes([700, 400])
    sizes = first.panels["households"].splitter.sizes()
    first.close()
    ctx.tasks.shutdown()
    second, ctx2 = _build(
        qtbot, sample_book
    )  # _build resizes to 1280x800 after restoring; check the splitter
    assert second.panels["households"].splitter.sizes() == sizes
    from PySide6.QtCore import QSettings

    assert not QSettings().value("main/geometry").isEmpty()
    second.close()
    ctx2.tasks.shutdown()


def test_add_a_note_from_the_card(qtbot, window) -> None:
    panel = window.panels["households"]
    smith = _rows(window.ctx.book)["Smith household"].id
    panel.select_household(smith)
    qtbot.waitUntil(lambda: panel.card.household_id == smith)
    qtbot.keyClicks(panel.card.note_edit, "Wants to discuss RMDs in January")
    qtbot.mouseClick(panel.card.add_note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.card.notes.rowCount() == 1, timeout=3000)
    assert panel.card.notes.index(0, 1).data() == "Wants to discuss RMDs in January"
    assert panel.card.note_edit.toPlainText() == ""
    with window.ctx.book.reader() as s:
        assert repo.get_detail(s, smith).notes[0].body == "Wants to discuss RMDs in January"
