"""The drill-down list model, and coaching targets edited in place and saved to the settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt
from tests import factories as f
from tests.dashboard.conftest import make_ctx

from actdesk.services.dashboard.coaching import CoachingSettings


def test_drill_down_list_model(qtmodeltester) -> None:
    from actdesk.ui.dashboard.widgets import ID_ROLE, HouseholdListModel

    model = HouseholdListModel([(7, "Smith household", "$1,200"), (9, "Lopez family", "$900")], "Fees")
    qtmodeltester.check(model)
    assert model.index(1, 0).data() == "Lopez family"
    assert model.index(1, 0).data(ID_ROLE) == 9
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Fees"


def test_coaching_targets_are_saved_and_redrawn(qtbot, book) -> None:
    from actdesk.ui.dashboard.book_panel import BookDashboardPanel

    with book.session() as s:
        h = f.household(s, "Smith household", since=date(2020, 1, 1))
        for day in (23, 24):
            f.activity(
                s,
                h,
                "call",
                datetime(2026, 11, day, 10, tzinfo=UTC),
                completed=datetime(2026, 11, day, 10, tzinfo=UTC),
            )
    ctx = make_ctx(book, datetime(2026, 11, 25, 15, tzinfo=UTC))
    panel = BookDashboardPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.tabs.setCurrentWidget(panel.coaching)
    qtbot.waitUntil(lambda: panel.coaching.data is not None, timeout=5000)
    card = panel.coaching.cards["calls"]
    assert card.count.text() == "2 this week"
    assert card.bar.maximum() == CoachingSettings().calls_per_week and card.bar.value() == 2
    card.target.setValue(4)
    assert ctx.settings.section(CoachingSettings).calls_per_week == 4
    from actdesk.settings import load_settings

    assert load_settings().section(CoachingSettings).calls_per_week == 4  # saved to disk
    assert card.bar.maximum() == 4 and not card.chart.is_empty
