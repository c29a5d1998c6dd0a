"""The advisor's day (issue 18): list, card, alerts and quick find, through the window on real books."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import Qt
from tests import factories as f

from actdesk.domain.alerts.model import Alert, AlertState, RuleKey, Severity
from actdesk.settings import load_settings
from actdesk.storage.repositories.households import list_households
from actdesk.storage.tables.alerts import AlertRow
from actdesk.ui.alerts.grouped import group_alerts
from actdesk.ui.card.view import ContactCard
from actdesk.ui.context import AppContext
from actdesk.ui.households.model import COL, ranked_matches
from actdesk.ui.tasks import TaskRunner

from .conftest import _build

NOW = datetime(2026, 11, 30, 15, tzinfo=UTC)


def _alert(s, household_id: int, rule: str, severity: str, state: str = "new", minutes: int = 0) -> int:
    row = AlertRow(
        household_id=household_id,
        rule=rule,
        key=f"{rule}:{household_id}",
        severity=severity,
        state=state,
        explanation=f"{rule} explained",
        magnitude=1.0,
        created_at=NOW - timedelta(minutes=minutes),
        updated_at=NOW,
        last_seen_at=NOW,
    )
    s.add(row)
    s.flush()
    return row.id


def test_attention_strip_lists_exactly_the_open_alerts_and_next_activity(qtbot, book) -> None:
    with book.session() as s:
        smith = f.household(s, "Smith household")
        ann = f.contact(s, smith, "Ann", "Smith")
        other = f.household(s, "Other household")
        f.account(s, smith)
        high = _alert(s, smith, "contact_gap", "high")
        low = _alert(s, smith, "held_away_assets", "low", state="seen")
        _alert(s, smith, "life_event", "medium", state="dismissed")  # not open
        _alert(s, smith, "age_milestone", "medium", state="snoozed")  # waits until its date
        _alert(s, other, "contact_gap", "high")  # another household's
        f.activity(s, smith, "review", start=NOW + timedelta(days=9), subject="Annual review")
        f.activity(s, smith, "meeting", start=NOW + timedelta(days=30), subject="Estate meeting")
        f.activity(s, smith, "call", start=NOW - timedelta(days=20), completed=NOW - timedelta(days=20))
        f.referral(s, ann, other, date(2025, 1, 1))
    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
    card = ContactCard(ctx)
    qtbot.addWidget(card)
    card.resize(560, 760)
    card.show()
    card.load(smith)
    qtbot.waitUntil(lambda: card.household_id == smith, timeout=3000)
    strip = card.attention_strip
    assert [row.alert.id for row in strip.alert_rows] == [high, low]  # open ones, most severe first
    assert strip.tiles["next"].note.text() == "Annual review"
    assert strip.tiles["last"].note.text() == "20 days ago"
    assert "Other household" in strip.referrals.text()
    assert [o.subject for o in (card.upcoming.row_item(r) for r in range(card.upcoming.rowCount()))] == [
        "Annual review",
        "Estate meeting",
    ]
    assert [a.subject for a in (card.activities.row_item(r) for r in range(card.activities.rowCount()))] == [
        "Check-in"
    ]  # history: the past only
    # Dismissing in place (reason given in the dialog) takes the alert off the strip.
    from PySide6.QtCore import QTimer

    def answer() -> None:
        card.dialog.reason.setEditText("Talked yesterday")  # type: ignore[union-attr]
        card.dialog.accept()  # type: ignore[union-attr]

    QTimer.singleShot(0, answer)
    strip.alert_rows[0].dismiss_button.click()
    qtbot.waitUntil(lambda: [r.alert.id for r in strip.alert_rows] == [low], timeout=3000)


def test_prospect_and_former_client_cards(qtbot, book) -> None:
    from actdesk.storage.tables.book import OpportunityRow

    with book.session() as s:
        young = f.household(s, "Young household", status="prospect", since=None)
        s.add(
            OpportunityRow(
                household_id=young,
                kind="new_client",
                stage="proposal",
                expected_aum_cents=50_000_000,
                probability=0.4,
            )
        )
        gone = f.household(
            s,
            "Gone household",
            status="former_client",
            until=date(2024, 3, 1),
            reason="Moved to a robo-advisor",
        )
    ctx = AppContext(book=book, settings=load_settings(), tasks=TaskRunner(inline=True), now=lambda: NOW)
    card = ContactCard(ctx)
    qtbot.addWidget(card)
    card.show()
    card.load(young)
    qtbot.waitUntil(lambda: card.household_id == young, timeout=3000)
    money = card.attention_strip.tiles["money"]
    assert money.caption.text() == "Pipeline stage" and money.value.text() == "Proposal"
    assert "$500K" in money.note.text()
    card.load(gone)
    qtbot.waitUntil(lambda: card.household_id == gone, timeout=3000)
    money = card.attention_strip.tiles["money"]
    assert money.caption.text() == "Left" and "robo-advisor" in money.note.text()
    assert not card.growth_button.isVisibleTo(card)


def test_dashboard_alert_count_equals_the_alert_panel_after_an_evaluation(qtbot, book, warm_child) -> None:
    from tests.alerts.books import build

    build(book)
    window, ctx = _build(qtbot, book, warm_child)
    try:
        window.show_panel("book")
        dashboard = window.panels["book"]
        qtbot.waitUntil(lambda: dashboard.book_view.data is not None, timeout=20_000)
        alerts = window.panel("alerts")
        qtbot.waitUntil(lambda: alerts.last_outcome is not None, timeout=30_000)

        def dashboard_count() -> int:
            return sum(len(ids) for ids in dashboard.book_view.data.alerts_by_rule.values())

        qtbot.waitUntil(lambda: dashboard_count() == alerts.proxy.rowCount() > 0, timeout=10_000)
        before = dashboard_count()
        first = alerts.grouped.alert_of(alerts.grouped.index(0, 0))
        alerts._run(
            lambda b, *_a: __import__("actdesk.services.alerts.actions", fromlist=["x"]).dismiss_alert(
                b, first.id, "done", ctx.now()
            )
        )
        qtbot.waitUntil(lambda: dashboard_count() == alerts.proxy.rowCount() == before - 1, timeout=10_000)
    finally:
        window.close()
        ctx.tasks.shutdown()


def test_alert_list_groups_by_household_most_severe_then_largest() -> None:
    def alert(hid: int, name: str, severity: Severity, minutes: int = 0) -> Alert:
        return Alert(
            household_id=hid,
            rule=RuleKey.CONTACT_GAP,
            severity=severity,
            state=AlertState.NEW,
            explanation="",
            magnitude=1.0,
            created_at=NOW - timedelta(minutes=minutes),
            updated_at=NOW,
            last_seen_at=NOW,
            key=f"k{hid}{minutes}",
            household_name=name,
            id=hid * 100 + minutes,
        )

    alerts = [
        alert(1, "Small", Severity.HIGH),
        alert(2, "Large", Severity.HIGH, 5),
        alert(2, "Large", Severity.LOW, 1),
        alert(3, "Medium only", Severity.MEDIUM),
    ]
    groups = group_alerts(alerts, {1: Decimal(1000), 2: Decimal(9_000_000), 3: Decimal(50_000_000)})
    assert [g.name for g in groups] == ["Large", "Small", "Medium only"]
    assert [a.severity for a in groups[0].alerts] == [Severity.HIGH, Severity.LOW]


def test_quick_find_puts_prefix_matches_first(qtbot, book) -> None:
    with book.session() as s:
        for name, first, last in (
            ("Amar family", "Raj", "Amar"),  # contains "mar", no word starts with it
            ("Lopez family", "Maria", "Lopez"),  # a member's name starts with it
            ("Martin household", "Tom", "Martin"),  # the household's name starts with it
            ("Young household", "Tom", "Young"),  # no match
            ("Bell & Marsh", "Ann", "Bell"),  # a word of the name starts with it
        ):
            f.contact(s, f.household(s, name), first, last)
    window, ctx = _build(qtbot, book)
    try:
        finder = window.open_quick_find()
        qtbot.waitUntil(lambda: finder.model.rowCount() == 5)
        qtbot.keyClicks(finder.edit, "mar")
        names = [finder.model.index(r, COL["name"]).data() for r in range(finder.model.rowCount())]
        assert names == ["Martin household", "Bell & Marsh", "Lopez family", "Amar family"]
        assert not finder.list.isColumnHidden(COL["status"])
        assert finder.list.currentIndex().row() == 0
    finally:
        window.close()
        ctx.tasks.shutdown()


def test_ranked_matches_handles_one_letter_and_phone_digits(book) -> None:
    with book.session() as s:
        f.contact(s, f.household(s, "Martin household"), "Tom", "Martin", phone="512-555-0100")
        f.contact(s, f.household(s, "Adams family"), "Mia", "Adams")
    with book.reader() as s:
        items = list_households(s)
    assert [i.name for i in ranked_matches(items, "m")] == ["Martin household", "Adams family"]
    assert [i.name for i in ranked_matches(items, "5125550100")] == ["Martin household"]
    assert len(ranked_matches(items, "", limit=1)) == 1


def test_household_list_keeps_the_whole_name_and_hides_by_priority(qtbot, window) -> None:
    panel = window.panels["households"]
    table = panel.table
    panel.splitter.setSizes([380, 900])
    qtbot.waitUntil(lambda: table.viewport().width() < 400)
    table.fit_columns()
    shown = table.shown_columns()
    assert shown[0] == "name" and "primary_contact" not in shown
    header = table.horizontalHeader()
    assert header.sectionSize(COL["name"]) >= table.name_width()
    window.resize(1920, 1080)
    panel.splitter.setSizes([1300, 500])
    qtbot.waitUntil(lambda: table.viewport().width() > 800)
    assert set(table.shown_columns()) == {"name", "status", "primary_contact", "city", "aum", "client_since"}
    table.set_column_wanted("city", False)  # the column chooser
    assert "city" not in table.shown_columns()
    table.set_column_wanted("city", True)
    assert panel.proxy.index(0, COL["aum"]).data(Qt.ItemDataRole.ToolTipRole) is not None


def test_editor_opens_on_the_primary_with_money_and_date_pickers(qtbot, window) -> None:
    from actdesk.domain.enums import ContactRole
    from actdesk.storage.repositories.households import get_detail

    book = window.ctx.book
    with book.session() as s:
        lopez = next(i for i in list_households(s) if i.name == "Lopez family").id
        f.contact(s, lopez, "Ana", "Lopez", role="spouse")
        f.contact(s, lopez, "Leo", "Lopez", role="child")
    with book.session() as s:
        from actdesk.storage.tables.book import ContactRow

        maria = s.query(ContactRow).filter_by(first_name="Maria").one()
        maria.income_cents, maria.net_worth_cents = 9_500_000, 68_600_000
    panel = window.panels["households"]
    panel.open_household(lopez)
    panel.card.load(lopez)  # re-read: the members changed behind the window's back
    qtbot.waitUntil(
        lambda: panel.card.detail is not None and len(panel.card.detail.contacts) == 3, timeout=3000
    )
    editor = panel.edit_current()
    current = editor.tabs.currentWidget()
    assert (
        current.fields["first_name"].text() == "Maria"
        and current.fields["role"].text() == ContactRole.PRIMARY.value
    )
    assert current.fields["income"].text() == "$95,000" and current.fields["net_worth"].text() == "$686,000"
    income = current.fields["income"].editor
    income.setText("120000")
    income.editingFinished.emit()
    assert income.text() == "$120,000"
    birth = current.fields["birth_date"].editor
    assert birth.property("has_date_picker")
    menu = birth.date_picker.popup()
    assert menu.isVisible()
    from PySide6.QtCore import QDate

    birth.date_picker.choose(QDate(1961, 7, 4))
    assert birth.text() == "07/04/1961"
    assert editor.fields["client_since"].editor.property("has_date_picker")
    with qtbot.waitSignal(editor.sig_saved, timeout=3000):
        editor.save()
    with book.reader() as s:
        saved = next(c for c in get_detail(s, lopez).contacts if c.first_name == "Maria")
    assert saved.income == Decimal("120000.00") and saved.birth_date == date(1961, 7, 4)


def test_card_shows_the_retention_outlook_with_its_top_reason(qtbot, book, warm_child) -> None:
    from actdesk.services.demo import DemoOptions, generate_demo
    from actdesk.services.retention_outlook import retention_outlook

    generate_demo(book, DemoOptions(households=80, seed=5, as_of=NOW.date()))
    with book.reader() as s:
        client = max((r for r in list_households(s) if r.status.value == "client"), key=lambda r: r.aum)
    ctx = AppContext(
        book=book, settings=load_settings(), tasks=TaskRunner(), now=lambda: NOW, child=warm_child
    )
    card = ContactCard(ctx)
    qtbot.addWidget(card)
    card.show()
    card.load(client.id)
    tile = card.attention_strip.tiles["retention"]
    qtbot.waitUntil(lambda: tile.value.text().endswith("%"), timeout=60_000)
    expected = retention_outlook(book, client.id, NOW.date())
    assert expected is not None
    assert tile.value.text() == f"{round(expected.probability * 100)}%"
    assert tile.note.text() == (expected.top_reason or "Chance of still being a client in 12 months")
    assert expected.note in tile.toolTip()
    ctx.tasks.shutdown(wait=True)
    ctx.shutdown_child()


def test_new_activity_from_the_card_defaults_to_its_household(qtbot, window) -> None:
    from actdesk.ui.schedule.services import install_schedule_services

    services = install_schedule_services(window, window.ctx)
    panel = window.panels["households"]
    target = next(i for i in panel.model.rows() if i.name == "Young household").id
    panel.open_household(target)
    qtbot.waitUntil(lambda: panel.card.household_id == target, timeout=3000)
    opened: list[object] = []
    services.sig_dialog_opened.connect(opened.append)
    panel.card.activity_button.click()
    qtbot.waitUntil(lambda: bool(opened), timeout=3000)
    assert opened[0].household.currentText() == "Young household"
    opened[0].reject()


def test_triage_shows_the_top_ten_households_and_summarises_the_rest(qtbot) -> None:
    from actdesk.ui.alerts.grouped import GroupedAlertModel
    from actdesk.ui.alerts.model import AlertFilterProxy, AlertTableModel
    from actdesk.ui.alerts.triage import triage_summary

    severities = [Severity.HIGH] * 4 + [Severity.MEDIUM] * 6 + [Severity.LOW] * 5
    alerts = [
        Alert(
            household_id=h,
            rule=RuleKey.CONTACT_GAP,
            severity=sev,
            state=AlertState.NEW,
            explanation="why",
            magnitude=1.0,
            created_at=NOW,
            updated_at=NOW,
            last_seen_at=NOW,
            key=f"k{h}",
            household_name=f"Household {h:02d}",
            id=h,
        )
        for h, sev in enumerate(severities, start=1)
    ]
    model, proxy = AlertTableModel(), AlertFilterProxy()
    proxy.setSourceModel(model)
    grouped = GroupedAlertModel(proxy)
    grouped.set_values({h: Decimal(h * 1000) for h in range(1, 16)})
    model.set_alerts(alerts)
    grouped.set_triage(True)
    assert grouped.rowCount() == 10
    # most severe first, then the largest book value: high 4..1, then medium 10..5
    assert [g.household_id for g in grouped.groups] == [4, 3, 2, 1, 10, 9, 8, 7, 6, 5]
    text = triage_summary(grouped.groups, grouped.hidden_groups())
    assert text.endswith("The other 5 alerts, for 5 more households (5 low), can wait.")
    grouped.set_triage(False)
    assert grouped.rowCount() == 15


def test_alert_detail_stays_empty_until_a_row_is_selected(qtbot, book, warm_child) -> None:
    from tests.alerts.books import build

    from actdesk.settings import Settings
    from actdesk.ui.alerts.panel import AlertsPanel

    build(book)
    ctx = AppContext(book=book, settings=Settings(raw={"alerts": {}}), now=lambda: NOW, child=warm_child)
    panel = AlertsPanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1266, 740)
    panel.show()
    qtbot.waitUntil(lambda: panel.last_outcome is not None, timeout=20_000)
    panel.table.setFocus()
    qtbot.wait(50)
    assert panel.current_alert() is None and panel.detail.detail_placeholder.isVisible()
    first = panel.grouped.alert_of(panel.grouped.index(0, 0))
    assert panel.select_alert(first.id)
    assert panel.detail.detail_household.text() == first.household_name
    assert panel.shutdown()
    ctx.tasks.shutdown()
