"""One household's dashboard: its assets and accounts over time, share of wallet, fees, retention probability
with its factors, contact history, life events and next review. With ``meeting=True`` it is the body of the
meeting view: the same page without what one does not show a client (the retention probability).

All data comes from ``services.dashboard.client.gather_client``, which reads this household only.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.enums import life_event_label
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _, format_date, format_money, format_percent, user_message
from actdesk.services.dashboard.client import ClientDashboard, gather_client
from actdesk.services.dashboard.tiles import CLIENT as CLIENT_TILES
from actdesk.services.schedule_zone import schedule_zone
from actdesk.ui import icons, theme
from actdesk.ui.card.models import ACTIVITY_KINDS
from actdesk.ui.charts.canvas import ChartCanvas
from actdesk.ui.context import AppContext
from actdesk.ui.dashboard.client_charts import account_type_label, draw_assets, draw_fees
from actdesk.ui.dashboard.widgets import ChartCard, Tile
from actdesk.ui.tasks import TaskHandle
from actdesk.ui.widgets.empty_state import EmptyState


def _kind(kind: str) -> str:
    label = ACTIVITY_KINDS.get(kind)  # type: ignore[call-overload]
    return _(label) if label else kind


class ClientDashboardPanel(QStackedWidget):
    sig_loaded = Signal(int)
    sig_meeting_requested = Signal(int)
    sig_leave_requested = Signal()
    sig_pick_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, meeting: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting = meeting
        self.data: ClientDashboard | None = None
        self.household_id: int | None = None
        self._pending: TaskHandle | None = None
        if meeting:  # nothing here may lead to another household (no picker, no list)
            self.placeholder = EmptyState(
                "user",
                _("This household's page could not be opened"),
                _("Press Esc to leave the meeting view."),
            )
        else:
            self.placeholder = EmptyState(
                "user",
                _("No household chosen"),
                _("Open a household's dashboard with the Dashboard button of its card, or pick one here."),
                [("pick", _("Pick a household…"))],
            )
            self.placeholder.sig_action_triggered.connect(lambda _k: self.sig_pick_requested.emit())
        self.loading = QLabel(_("Loading…"), self)
        self.loading.setObjectName("Muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.placeholder)
        self.addWidget(self.loading)
        self.addWidget(self._build_page())

    def _build_page(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        body = QWidget(scroll)
        scroll.setWidget(body)
        self.page = scroll
        outer = QVBoxLayout(body)
        margin = theme.S6 if self.meeting else theme.S4
        outer.setContentsMargins(margin, margin, margin, theme.S6)
        outer.setSpacing(theme.S3)
        header = QHBoxLayout()
        self.title = QLabel(body)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # the book's own text, never markup
        self.title.setObjectName("CardTitle")
        self.subtitle = QLabel(body)
        self.subtitle.setObjectName("Muted")
        names = QVBoxLayout()
        names.setSpacing(theme.S1)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        header.addLayout(names, 1)
        if self.meeting:
            self.action = QPushButton(icons.icon("close"), _("Leave meeting view (Esc)"), body)
            self.action.clicked.connect(self.sig_leave_requested.emit)
        else:
            self.action = QPushButton(icons.icon("users"), _("Meeting view"), body)
            self.action.setObjectName("Primary")
            self.action.setToolTip(_("Full screen, this household only: for use across the table"))
            self.action.clicked.connect(self._meeting_requested)
            self.pick = QPushButton(icons.icon("search"), _("Another household…"), body)
            self.pick.clicked.connect(self.sig_pick_requested.emit)
            header.addWidget(self.pick, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.action, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(header)

        tiles = QHBoxLayout()
        tiles.setSpacing(theme.S3)
        # each tile named and defined in services/dashboard/tiles.py (its tooltip is docs/metrics.md's definition);
        # the meeting view shows what the client expects: "share of wallet" and retention are the advisor's own
        shown = [k for k in CLIENT_TILES if not (self.meeting and k in ("wallet", "retention"))]
        self.tiles = {key: Tile(CLIENT_TILES[key], body) for key in shown}
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        outer.addLayout(tiles)

        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S3)
        self.assets_chart = ChartCanvas("household-assets", body, height=300)
        self.fees_chart = ChartCanvas("household-fees", body, height=300)
        grid.addWidget(
            ChartCard(
                _("Assets by account type"),
                _("Month-end balances. Accounts held elsewhere are dashed and not added in."),
                self.assets_chart,
                body,
            ),
            0,
            0,
        )
        grid.addWidget(ChartCard(_("Fees"), _("Fees billed each month."), self.fees_chart, body), 0, 1)
        self.history = QLabel(body)
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.RichText)
        self.history.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.events = QLabel(body)
        self.events.setWordWrap(True)
        self.events.setTextFormat(Qt.TextFormat.RichText)
        self.events.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.allocation = QLabel(body)
        self.allocation.setObjectName("meeting_allocation")
        self.allocation.setTextFormat(Qt.TextFormat.RichText)
        self.allocation.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.change = QLabel(body)
        self.change.setObjectName("meeting_change")
        self.change.setTextFormat(Qt.TextFormat.RichText)
        self.change.setAlignment(Qt.AlignmentFlag.AlignTop)
        if self.meeting:  # the client's view: where the money is and what moved it; no internal notes
            self.history.hide()
            grid.addWidget(
                ChartCard(
                    _("Allocation by account type"),
                    _("Today's balances, managed and held elsewhere."),
                    self.allocation,
                    body,
                ),
                1,
                0,
            )
            grid.addWidget(
                ChartCard(
                    _("Change in managed assets, 12 months"),
                    _("Your contributions and withdrawals, and what the markets did."),
                    self.change,
                    body,
                ),
                2,
                0,
                1,
                2,
            )
        else:
            grid.addWidget(
                ChartCard(
                    _("Contact history"),
                    _("Calls, meetings, reviews and e-mails, newest first."),
                    self.history,
                    body,
                ),
                1,
                0,
            )
        grid.addWidget(
            ChartCard(_("Life events"), _("What happened in the family."), self.events, body), 1, 1
        )
        self.factors = QLabel(body)
        self.factors.setWordWrap(True)
        self.factors.setTextFormat(Qt.TextFormat.RichText)
        if not self.meeting:
            grid.addWidget(
                ChartCard(
                    _("Retention probability"),
                    _("The chance this household is still a client in 12 months, and why."),
                    self.factors,
                    body,
                ),
                2,
                0,
                1,
                2,
            )
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)
        return scroll

    # -- loading -----------------------------------------------------------------------------------------------

    def _meeting_requested(self) -> None:
        if self.household_id is not None:
            self.sig_meeting_requested.emit(self.household_id)

    def load(self, household_id: int) -> None:
        if self._pending:
            self._pending.cancel()
        self.household_id = household_id
        self.setCurrentWidget(self.loading)
        config = self.ctx.settings.section(AnalyticsConfig)
        tz = schedule_zone(self.ctx.settings.section(ScheduleSettings))
        now = self.ctx.now()
        self._pending = self.ctx.tasks.run_task(
            lambda _state: gather_client(
                self.ctx.book, household_id, now.astimezone(tz).date(), now, tz, config
            ),
            on_done=self.show_data,
            on_error=self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.household_id = None
        self.setCurrentWidget(self.placeholder)
        self.ctx.signals.status_message.emit(
            _("Could not open the household's dashboard: {error}").format(error=user_message(error))
        )

    def show_data(self, data: ClientDashboard) -> None:
        self.data = data
        household = data.detail.household
        self.household_id = household.id
        self.title.setText(household.name)
        members = ", ".join(f"{c.first_name} {c.last_name}".strip() for c in data.detail.contacts)
        since = household.client_since
        self.subtitle.setText(
            " · ".join(
                part
                for part in (
                    members,
                    _("Client since {date}").format(date=format_date(since)) if since else "",
                    _("As of {date}").format(date=format_date(data.as_of)),
                )
                if part
            )
        )
        managed_ids = {a.id for a in data.detail.accounts if a.managed}
        held = sum(
            (v for k, v in data.detail.current_balances.items() if k not in managed_ids), Decimal("0.00")
        )
        self.tiles["managed"].set(format_money(data.managed, cents=False))
        self.tiles["held_away"].set(
            format_money(held, cents=False), _("Assets we know of, managed elsewhere")
        )
        sow = data.share_of_wallet
        if "wallet" in self.tiles:
            worth = (
                _("of a stated net worth of {worth}").format(worth=format_money(data.net_worth, cents=False))
                if data.net_worth
                else _("Net worth not recorded")
            )
            if held > 0:  # beside it, never instead of it: managed / (managed + held away)
                investable = float(data.managed / (data.managed + held))
                worth += "\n" + _("Share of investable assets: {share}").format(
                    share=format_percent(investable)
                )
            self.tiles["wallet"].set(format_percent(sow) if sow is not None else "—", worth)
        fees = (
            data.revenue["recurring"].sum() + data.revenue["one_off"].sum() if not data.revenue.empty else 0.0
        )
        last12 = data.revenue.tail(12)
        self.tiles["fees"].set(
            format_money(float(last12["recurring"].sum() + last12["one_off"].sum()), cents=False)
        )
        review = data.next_review
        when = review.day(schedule_zone(self.ctx.settings.section(ScheduleSettings))) if review else None
        self.tiles["review"].set(
            format_date(when) if when else "—",
            (_("Scheduled") if self.meeting else review.subject) if review else _("None scheduled"),
        )
        if self.meeting:
            self.allocation.setText(_allocation_html(data))
            self.change.setText(_change_html(data))
        if "retention" in self.tiles:
            p = data.probability
            self.tiles["retention"].set(
                format_percent(p.probability) if p else "—",
                _("over the next 12 months") if p else _("Not a current client"),
            )
            self.factors.setText(self._factors_html(data))
        if not self.meeting:  # call notes and subjects are the advisor's, not the client's
            self.history.setText(self._history_html(data))
        self.events.setText(self._events_html(data))
        draw_assets(self.assets_chart, data)
        draw_fees(self.fees_chart, data, fees)
        self.setCurrentWidget(self.page)
        self.sig_loaded.emit(self.household_id or 0)

    # -- parts -------------------------------------------------------------------------------------------------
    def _factors_html(self, data: ClientDashboard) -> str:
        p = data.probability
        if p is None:
            return _("Only current clients have a retention probability.")
        model = (
            _("the book's own history")
            if p.model == "landmark"
            else _("the strongest simple signal (the model did no better out of time)")
            if p.model == "signal"
            else _("the base rate (nothing in the records predicted departures out of time)")
        )
        items = (
            "".join(f"<li>{_escape(f)}</li>" for f in p.factors)
            or f"<li>{_('No single factor stands out.')}</li>"
        )
        return _("Estimated from {model}.").format(model=model) + f"<ul>{items}</ul>"

    def _history_html(self, data: ClientDashboard) -> str:
        if not data.contacts:
            return _("No calls, meetings, reviews or e-mails recorded yet.")
        rows = []
        for a in data.contacts[:12]:
            when = a.completed_at.astimezone().date() if a.completed_at else None
            rows.append(
                f"<tr><td style='padding-right:12px;white-space:nowrap'>{format_date(when)}</td>"
                f"<td style='padding-right:12px'><b>{_escape(_kind(a.kind))}</b></td><td>{_escape(a.subject)}</td></tr>"
            )
        return "<table>" + "".join(rows) + "</table>"

    def _events_html(self, data: ClientDashboard) -> str:
        if not data.detail.life_events:
            return _("No life events recorded.")
        names = {c.id: c.first_name for c in data.detail.contacts}
        rows = []
        for e in data.detail.life_events[:12]:
            who = names.get(e.contact_id, "") if e.contact_id else ""
            rows.append(
                f"<tr><td style='padding-right:12px;white-space:nowrap'>{format_date(e.date)}</td>"
                f"<td style='padding-right:12px'><b>{_escape(life_event_label(e.kind))}</b></td>"
                f"<td>{_escape(who)}</td></tr>"
            )
        return "<table>" + "".join(rows) + "</table>"


def _rows_html(rows: list[tuple[str, str]], bold_last: bool = False, rule_before: int = 0) -> str:
    """Label and value rows; the last ``rule_before`` rows before the last are set apart (a summary)."""
    out = []
    gap = len(rows) - 1 - rule_before if rule_before else -1
    for i, (label, value) in enumerate(rows):
        weight = "font-weight:600;" if bold_last and i == len(rows) - 1 else ""
        top = 10 if i == gap else 2
        out.append(
            f"<tr><td style='padding:{top}px 16px 2px 0;{weight}'>{_escape(label)}</td>"
            f"<td align='right' style='padding:{top}px 0 2px 0;{weight}'>{_escape(value)}</td></tr>"
        )
    return "<table cellspacing='0'>" + "".join(out) + "</table>"


def _allocation_html(data: ClientDashboard) -> str:
    """Balances grouped by account type (IRA, brokerage…), with each type's share of the total."""
    totals: dict[str, Decimal] = {}
    for account in data.detail.accounts:
        value = data.detail.current_balances.get(account.id or -1)
        if value is None:
            continue
        label = account_type_label(account.type.value)
        totals[label] = totals.get(label, Decimal(0)) + value
    whole = sum(totals.values(), Decimal(0))
    if not whole:
        return _("No balances recorded yet.")
    rows = [
        (label, f"{format_money(v)}   {format_percent(float(v / whole), 0)}")
        for label, v in sorted(totals.items(), key=lambda kv: kv[1], reverse=True)
    ]
    held = data.detail.held_away
    if held:  # the two tiles above, so that the total beside them reads as their sum
        rows += [
            (CLIENT_TILES["managed"].caption(), format_money(data.managed)),
            (CLIENT_TILES["held_away"].caption(), format_money(held)),
        ]
    return _rows_html(
        [*rows, (_("Total"), format_money(whole))], bold_last=True, rule_before=2 if held else 0
    )


def _change_html(data: ClientDashboard) -> str:
    c = data.change
    if c is None:
        return ""
    signed = lambda v: ("+" if v > 0 else "") + format_money(v)  # noqa: E731
    return _rows_html(
        [
            (_("A year ago"), format_money(c.start)),
            (_("Contributions"), signed(c.contributions)),
            (_("Withdrawals"), signed(-c.withdrawals)),
            (_("Markets"), signed(c.market)),
            (_("Today"), format_money(c.end)),
        ],
        bold_last=True,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
