"""The meeting view's "Assets by account" chart agrees with the tiles and the allocation table beside it: the
managed accounts add up to the "Managed assets" tile, the accounts held elsewhere are drawn apart and add up
to the "Held elsewhere" tile, and the legend names account types as the table does, in both languages."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from sqlalchemy import func, select

from actdesk import i18n
from actdesk.services.dashboard.client import assets_by_type
from actdesk.storage.tables.book import AccountRow, BalanceRow, HouseholdRow

JAN, FEB, MAR = date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)


def test_assets_by_type_keeps_held_away_apart_and_sums_managed_by_type() -> None:
    frame = pd.DataFrame(
        [
            (JAN, "Joint", True, 100.0, "brokerage"),
            (FEB, "Joint", True, 110.0, "brokerage"),
            (MAR, "Joint", True, 120.0, "brokerage"),
            (FEB, "His IRA", True, 300.0, "ira"),  # opened in February: nothing in January
            (MAR, "His IRA", True, 310.0, "ira"),
            (MAR, "Her IRA", True, 5.0, "ira"),
            (JAN, "Bank", False, 1000.0, "checking"),
            (MAR, "Bank", False, 900.0, "checking"),
        ],
        columns=["date", "account", "managed", "balance", "type"],
    )
    series = assets_by_type(frame)
    assert series.days == [JAN, FEB, MAR]
    assert list(series.managed) == ["ira", "brokerage"]  # the largest today first (the bottom of the stack)
    assert series.managed["ira"] == [0.0, 300.0, 315.0]
    assert series.managed_total == [100.0, 410.0, 435.0]  # never the checking account held elsewhere
    assert series.held_away == {"checking": [1000.0, 0.0, 900.0]}
    assert series.held_away_total == [1000.0, 0.0, 900.0]
    only_away = assets_by_type(frame[~frame["managed"]])
    assert only_away.managed == {} and only_away.managed_total == []
    empty = assets_by_type(frame.iloc[0:0])
    assert empty.days == [] and empty.managed == {} and empty.held_away == {}


def _household_with_both(book) -> int:
    """The client household with the most accounts held elsewhere beside managed ones."""
    with book.reader() as s:
        away = (
            select(AccountRow.household_id, func.count(func.distinct(AccountRow.type)).label("n"))
            .join(BalanceRow, BalanceRow.account_id == AccountRow.id)
            .where(AccountRow.managed.is_(False))
            .group_by(AccountRow.household_id)
            .subquery()
        )
        managed = select(AccountRow.household_id).where(AccountRow.managed.is_(True))
        return int(
            s.execute(
                select(away.c.household_id)
                .join(HouseholdRow, HouseholdRow.id == away.c.household_id)
                .where(HouseholdRow.status == "client", away.c.household_id.in_(managed))
                .order_by(away.c.n.desc(), away.c.household_id)
                .limit(1)
            ).scalar_one()
        )


@pytest.mark.parametrize("lang", ["en", "es"])
def test_meeting_chart_agrees_with_the_tiles_and_the_allocation_table(qtbot, demo_book, lang) -> None:
    from tests.dashboard.conftest import make_ctx

    from actdesk.i18n import format_money
    from actdesk.ui.dashboard.client_charts import HELD_AWAY, MANAGED_TOTAL
    from actdesk.ui.dashboard.meeting import MeetingWindow

    i18n.set_language(lang)
    ctx = make_ctx(demo_book)
    try:
        hid = _household_with_both(demo_book)
        meeting = MeetingWindow(ctx, hid)
        qtbot.addWidget(meeting)
        meeting.resize(1280, 800)
        meeting.show()
        dashboard = meeting.dashboard
        qtbot.waitUntil(lambda: dashboard.data is not None, timeout=10_000)
        assert not dashboard.assets_chart.is_empty
        (ax,) = dashboard.assets_chart.figure.axes
        lines = {line.get_gid(): line for line in ax.get_lines() if line.get_gid() == MANAGED_TOTAL}
        held = [line for line in ax.get_lines() if line.get_gid() == HELD_AWAY]
        assert held, "the household chosen has accounts held elsewhere: the test proves nothing without them"

        managed_today = float(lines[MANAGED_TOTAL].get_ydata()[-1])
        tile = dashboard.tiles["managed"].value.text()
        assert format_money(Decimal(f"{managed_today:.2f}"), cents=False) == tile
        assert abs(managed_today - float(dashboard.data.managed)) < 0.005
        held_today = sum(float(line.get_ydata()[-1]) for line in held)
        assert (
            format_money(Decimal(f"{held_today:.2f}"), cents=False)
            == dashboard.tiles["held_away"].value.text()
        )
        # the stacked areas end on the managed line: nothing held elsewhere is stacked on them
        highest = max(lines[MANAGED_TOTAL].get_ydata())
        assert ax.collections
        assert all(poly.get_paths()[0].vertices[:, 1].max() <= highest + 0.01 for poly in ax.collections)

        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        caption = dashboard.tiles["managed"].caption.text()
        assert legend[0] == caption  # the line is named as the tile it ends on
        suffix = i18n._("{account_type}, held elsewhere").format(account_type="")
        types = {t.removesuffix(suffix) for t in legend[1:]}
        assert len([t for t in legend if t.endswith(suffix)]) == len(held)
        summary = {caption, dashboard.tiles["held_away"].caption.text(), i18n._("Total")}
        cells = r"<td style='padding:[^']*'>([^<]+)</td><td[^>]*>([^<]+)</td>"
        rows = re.findall(cells, dashboard.allocation.text())
        table = {label for label, _value in rows} - summary
        assert types == table  # the same account types, translated the same way
        # beside the tiles, the table's total reads as their sum: managed and held elsewhere, then the total
        assert [value for _label, value in rows[-3:]] == [
            format_money(dashboard.data.managed),
            format_money(dashboard.data.detail.held_away),
            format_money(dashboard.data.managed + dashboard.data.detail.held_away),
        ]
        names = {a.name for a in dashboard.data.detail.accounts if a.name} - table
        assert not names & set(legend)  # account names are data, not the legend's vocabulary
        if lang == "es":
            assert caption == "Patrimonio gestionado" and all(
                t.endswith(", en otras entidades") for t in legend[-len(held) :]
            )
        meeting.close()
    finally:
        i18n.set_language("en")
        ctx.tasks.shutdown()
