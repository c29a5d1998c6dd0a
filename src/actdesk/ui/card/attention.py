"""The top of the contact card: what needs attention now, and the few facts an advisor looks at first.

Open alerts (severity, one line why, act / snooze / dismiss in place), then tiles (``dashboard.widgets.Tile``)
for the money, the retention probability, the next appointment and the last contact, then chips for the
segment, the tags and the referrals. A prospect shows its pipeline stage and opportunity instead of managed
assets; a former client shows when and why it left.
"""

from __future__ import annotations

from datetime import UTC, date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from actdesk.domain.alerts.model import RULE_TITLES, SEVERITY_TITLES, Alert
from actdesk.domain.enums import HouseholdStatus
from actdesk.domain.models import HouseholdDetail
from actdesk.domain.pipeline.config import stage_label
from actdesk.formats import format_date, format_datetime, format_money, format_money_compact, format_percent
from actdesk.i18n import _, ngettext
from actdesk.storage.repositories.attention import Attention
from actdesk.ui import icons, theme
from actdesk.ui.alerts.model import severity_color
from actdesk.ui.dashboard.widgets import Tile


class AlertRow(QFrame):
    """One open alert with its three actions."""

    sig_act = Signal(object)
    sig_snooze = Signal(object)
    sig_dismiss = Signal(object)

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.setObjectName("AttentionAlert")
        color = severity_color(alert.severity)
        self.setStyleSheet(
            f"QFrame#AttentionAlert {{ border-left: 3px solid {color}; padding-left: {theme.S2}px; }}"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(theme.S2, 2, 0, 2)
        row.setSpacing(theme.S2)
        text = QVBoxLayout()
        text.setSpacing(0)
        self.title = QLabel(f"{_(RULE_TITLES[alert.rule])} · {_(SEVERITY_TITLES[alert.severity])}", self)
        self.title.setStyleSheet(f"color: {color}; font-weight: 600;")
        self.why = QLabel(alert.explanation, self)
        self.why.setWordWrap(True)
        self.why.setObjectName("Muted")
        self.why.setToolTip(alert.explanation)
        text.addWidget(self.title)
        text.addWidget(self.why)
        row.addLayout(text, 1)
        c = theme.colors()
        self.act_button = QPushButton(icons.icon("phone", c.text), _("Call"), self)
        self.act_button.setToolTip(_("Schedule a call about this alert"))
        self.snooze_button = QPushButton(icons.icon("calendar", c.text), "", self)
        self.snooze_button.setToolTip(_("Snooze…"))
        self.snooze_button.setAccessibleName(_("Snooze…"))
        self.dismiss_button = QPushButton(icons.icon("close", c.danger), "", self)
        self.dismiss_button.setToolTip(_("Dismiss…"))
        self.dismiss_button.setAccessibleName(_("Dismiss…"))
        self.act_button.clicked.connect(lambda: self.sig_act.emit(self.alert))
        self.snooze_button.clicked.connect(lambda: self.sig_snooze.emit(self.alert))
        self.dismiss_button.clicked.connect(lambda: self.sig_dismiss.emit(self.alert))
        for button in (self.act_button, self.snooze_button, self.dismiss_button):
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)


def days_ago(day: date, today: date) -> str:
    days = (today - day).days
    if days <= 0:
        return _("today")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


class AttentionStrip(QWidget):
    sig_act = Signal(object)  # Alert
    sig_snooze = Signal(object)
    sig_dismiss = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AttentionStrip")
        self.attention: Attention | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.S2)
        self.alerts_box = QVBoxLayout()
        self.alerts_box.setSpacing(theme.S1)
        layout.addLayout(self.alerts_box)
        self.alert_rows: list[AlertRow] = []

        self.grid = grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S2)
        grid.setVerticalSpacing(theme.S2)
        self.tiles = {
            "money": Tile(_("Managed assets"), self),
            "fees": Tile(_("Fees, last 12 months"), self),
            "retention": Tile(_("Retention"), self),
            "next": Tile(_("Next appointment"), self),
            "last": Tile(_("Last contact"), self),
            "away": Tile(_("Held away"), self),
        }
        for tile in self.tiles.values():
            box = tile.layout()
            if box is not None:
                box.setContentsMargins(theme.S3, theme.S2, theme.S3, theme.S2)
            tile.caption.setWordWrap(True)
            tile.note.setWordWrap(True)
        self.columns = 0
        self._place_tiles(3)
        layout.addLayout(grid)

        self.chips = QHBoxLayout()
        self.chips.setSpacing(theme.S2)
        layout.addLayout(self.chips)
        self.referrals = QLabel(self)
        self.referrals.setObjectName("Muted")
        self.referrals.setWordWrap(True)
        layout.addWidget(self.referrals)

    def _place_tiles(self, columns: int, *, force: bool = False) -> None:
        """The tiles that apply, three a row when there is room for their figures, else two; no holes."""
        if columns == self.columns and not force:
            return
        self.columns = columns
        for tile in self.tiles.values():
            self.grid.removeWidget(tile)
        shown = [t for t in self.tiles.values() if not t.isHidden()]
        for n, tile in enumerate(shown):
            self.grid.addWidget(tile, n // columns, n % columns)
        for column in range(3):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        widest = max(t.value.sizeHint().width() for t in self.tiles.values()) + 2 * theme.S3 + theme.S2
        self._place_tiles(3 if event.size().width() >= 3 * widest else 2)

    # -- filling ---------------------------------------------------------------------------------------------
    def set_data(self, detail: HouseholdDetail, attention: Attention, today: date) -> None:
        self.attention = attention
        self._fill_alerts(attention.alerts)
        status = detail.household.status
        t = self.tiles
        if status is HouseholdStatus.PROSPECT:
            opp = attention.opportunity
            t["money"].caption.setText(_("Pipeline stage"))
            if opp is None:
                t["money"].set(_("No opportunity"), _("Add one in Pipeline."))
            else:
                note = []
                if opp.expected_aum is not None:
                    note.append(_("{aum} expected").format(aum=format_money_compact(opp.expected_aum)))
                if opp.probability is not None:
                    note.append(_("{p} likely").format(p=format_percent(opp.probability, 0)))
                t["money"].set(stage_label(opp.stage), " · ".join(note), _exact(opp.expected_aum))
        elif status is HouseholdStatus.FORMER_CLIENT:
            h = detail.household
            t["money"].caption.setText(_("Left"))
            t["money"].set(
                format_date(h.client_until) if h.client_until else "—",
                h.leaving_reason or "",
                h.leaving_reason or "",
            )
        else:
            t["money"].caption.setText(_("Managed assets"))
            t["money"].set(
                format_money_compact(detail.managed_aum), "", format_money(detail.managed_aum, cents=True)
            )
        rate = attention.fee_rate
        t["fees"].set(
            format_money_compact(attention.fees_t12m) if attention.fees_t12m else "—",
            _("Effective rate {rate}").format(rate=format_percent(rate, 2)) if rate is not None else "",
            format_money(attention.fees_t12m, cents=True),
        )
        t["fees"].setVisible(status is not HouseholdStatus.PROSPECT or bool(attention.fees_t12m))
        self.set_retention(attention.retention, None)
        t["retention"].setVisible(status is HouseholdStatus.CLIENT)
        nxt = attention.next_appointment
        if nxt is not None and nxt.start is not None:
            if nxt.all_day:  # its own date, whatever the zone (all-day items start at UTC midnight)
                t["next"].set(format_date(nxt.day(UTC)), nxt.subject, format_date(nxt.day(UTC), "full"))
            else:
                t["next"].set(
                    format_date(nxt.start.astimezone().date()), nxt.subject, format_datetime(nxt.start)
                )
        else:
            t["next"].set("—", _("Nothing scheduled"))
        t["next"].setVisible(status is not HouseholdStatus.FORMER_CLIENT or nxt is not None)
        last = attention.last_contact
        t["last"].set(
            format_date(last) if last else "—", days_ago(last, today) if last else _("No contact yet")
        )
        t["away"].set(
            format_money_compact(detail.held_away) if detail.held_away else "—",
            "",
            format_money(detail.held_away, cents=True),
        )
        self._fill_chips(attention)
        self._place_tiles(self.columns or 3, force=True)

    def set_retention(self, probability: float | None, reason: str | None, detail: str = "") -> None:
        """The chance of still being a client in 12 months and its strongest reason (``retention_outlook``);
        the band and the model's track record in the tooltip."""
        tile = self.tiles["retention"]
        if probability is None:
            tile.set("—", _("Estimated at the next alert check"))
            return
        what = _("Chance of still being a client in 12 months")
        tile.set(format_percent(probability, 0), reason or what, f"{what}\n{detail}".strip())

    def _fill_alerts(self, alerts: list[Alert]) -> None:
        for row in self.alert_rows:
            self.alerts_box.removeWidget(row)
            row.deleteLater()
        self.alert_rows = []
        for alert in alerts:
            row = AlertRow(alert, self)
            row.sig_act.connect(self.sig_act.emit)
            row.sig_snooze.connect(self.sig_snooze.emit)
            row.sig_dismiss.connect(self.sig_dismiss.emit)
            self.alerts_box.addWidget(row)
            self.alert_rows.append(row)

    def _fill_chips(self, attention: Attention) -> None:
        while self.chips.count():
            item = self.chips.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        texts = []
        if attention.segment:
            texts.append(_("Segment {segment}").format(segment=attention.segment))
        texts.extend(attention.tags)
        for text in texts:
            chip = QLabel(text, self)
            chip.setObjectName("Chip")
            self.chips.addWidget(chip)
        self.chips.addStretch(1)
        parts = []
        if attention.referred_by:
            parts.append(_("Referred by {who}").format(who=attention.referred_by))
        elif attention.opportunity is not None and attention.opportunity.source:
            parts.append(_("Source: {source}").format(source=attention.opportunity.source))
        if attention.referred:
            parts.append(_("Referred {households}").format(households=", ".join(attention.referred)))
        self.referrals.setText(" · ".join(parts))
        self.referrals.setVisible(bool(parts))


def _exact(value: object) -> str:
    return format_money(value, cents=True) if value is not None else ""  # type: ignore[arg-type]
