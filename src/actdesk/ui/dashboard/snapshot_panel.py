"""The daily snapshot: what changed since yesterday and what today holds, on one page."""

from __future__ import annotations

from datetime import UTC

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QWidget

from actdesk.domain.alerts.model import RULE_TITLES, RuleKey
from actdesk.formats import format_time
from actdesk.i18n import _, format_date, format_datetime, format_number
from actdesk.services.dashboard import tiles
from actdesk.services.dashboard.snapshot import Snapshot
from actdesk.ui import theme
from actdesk.ui.dashboard.widgets import ChartCard, dashboard_page

SHOWN = 12  # rows per list; the rest is counted


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(hid: int | None, name: str) -> str:
    return f"<a href='household:{hid}'>{_escape(name)}</a>" if hid is not None else _escape(name)


def _rows(rows: list[str], total: int, empty: str) -> str:
    if not rows:
        return f"<span>{_escape(empty)}</span>"
    more = total - len(rows)
    tail = f"<p>{_escape(_('and {n} more').format(n=format_number(more)))}</p>" if more > 0 else ""
    return "<table cellspacing='2'>" + "".join(rows) + "</table>" + tail


def _rule(rule: str) -> str:
    return _(RULE_TITLES[RuleKey(rule)]) if rule in RuleKey.__members__.values() else rule


class SnapshotView(QScrollArea):
    sig_household_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: Snapshot | None = None
        body, outer, self.since, self.tiles = dashboard_page(
            self,
            tiles.SNAPSHOT,
        )
        grid = QGridLayout()
        grid.setHorizontalSpacing(theme.S3)
        grid.setVerticalSpacing(theme.S3)
        self.lists: dict[str, QLabel] = {}
        specs = (
            ("alerts", _("New alerts"), _("Opened by the alert rules in the last 24 hours.")),
            ("today", _("Due today"), _("Calls, meetings, reviews and tasks on today's calendar.")),
            ("overdue", _("Overdue"), _("Open items whose time has passed, most recent first.")),
            ("mail", _("E-mail"), _("Sent and failed in the last 24 hours.")),
            ("pipeline", _("Pipeline moves"), _("Opportunities that changed stage in the last 24 hours.")),
        )
        for i, (key, title, subtitle) in enumerate(specs):
            label = QLabel(body)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.linkActivated.connect(self._link)
            self.lists[key] = label
            grid.addWidget(ChartCard(title, subtitle, label, body), i // 2, i % 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        outer.addLayout(grid)
        outer.addStretch(1)

    def _link(self, href: str) -> None:
        if href.startswith("household:"):
            self.sig_household_requested.emit(int(href.split(":", 1)[1]))

    def set_data(self, snap: Snapshot) -> None:
        self.data = snap
        self.since.setText(
            _("Since {since} · {quiet}").format(
                since=format_datetime(snap.since.astimezone(), "short"),
                quiet=_("a quiet day so far") if snap.quiet else _("here is what changed"),
            )
        )
        self.tiles["alerts"].set(format_number(snap.new_alerts_total))
        self.tiles["today"].set(format_number(len(snap.due_today)))
        self.tiles["overdue"].set(format_number(snap.overdue_total))
        self.tiles["sent"].set(format_number(snap.sent))
        self.tiles["failed"].set(
            format_number(len(snap.failed)), _("Retry them from the outbox") if snap.failed else ""
        )
        self.tiles["pipeline"].set(format_number(len(snap.pipeline_moves)))
        names = snap.names
        cell = "<td style='padding-right:12px'>{}</td>"
        self.lists["alerts"].setText(
            _rows(
                [
                    "<tr>"
                    + cell.format(_link(a.household_id, a.household))
                    + cell.format(_escape(_rule(a.rule)))
                    + "</tr>"
                    for a in snap.new_alerts[:SHOWN]
                ],
                snap.new_alerts_total,
                _("No new alerts since yesterday."),
            )
        )

        def occurrence_rows(items: list, with_date: bool) -> list[str]:
            out = []
            for o in items[:SHOWN]:
                when = o.start.astimezone() if o.start and not o.all_day else None
                if o.all_day and o.start:  # its own date, whatever the zone
                    text = format_date(o.day(UTC)) if with_date else _("All day")
                else:
                    text = (
                        (format_datetime(when, "short") if with_date else format_time(when))
                        if when
                        else format_date(o.due_date)
                    )
                out.append(
                    "<tr>"
                    + cell.format(_escape(text))
                    + cell.format(_link(o.household_id, names.get(o.household_id, "")))
                    + cell.format(_escape(o.subject))
                    + "</tr>"
                )
            return out

        self.lists["today"].setText(
            _rows(occurrence_rows(snap.due_today, False), len(snap.due_today), _("Nothing else due today."))
        )
        self.lists["overdue"].setText(
            _rows(
                occurrence_rows(snap.overdue[::-1], True),
                snap.overdue_total,
                _("Nothing overdue. Well done."),
            )
        )
        mail = [
            "<tr>" + cell.format(_escape(_("Sent"))) + cell.format(format_number(snap.sent)) + "</tr>"
        ] + [
            "<tr>"
            + cell.format(_escape(_("Failed")))
            + cell.format(_escape(f.to))
            + cell.format(_escape(f.subject))
            + "</tr>"
            for f in snap.failed[:SHOWN]
        ]
        self.lists["mail"].setText(
            _rows(mail if (snap.sent or snap.failed) else [], len(mail), _("No e-mail sent since yesterday."))
        )
        self.lists["pipeline"].setText(
            _rows(
                [
                    "<tr>"
                    + cell.format(_link(m.household_id, m.household))
                    + cell.format(_escape(m.stage.replace("_", " ")))
                    + cell.format(_escape(format_datetime(m.changed_at.astimezone(), "short")))
                    + "</tr>"
                    for m in snap.pipeline_moves[:SHOWN]
                ],
                len(snap.pipeline_moves),
                _("No opportunity changed stage since yesterday."),
            )
        )
