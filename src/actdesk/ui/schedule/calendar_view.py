"""The painted calendar: a day or week time grid and a six-week month grid, with drag to reschedule.

One widget paints every entry of the loaded window (no widget per entry), so a busy month stays fast.
Hit-testing (``item_at``, ``slot_at``) is public so that tests and keyboard actions use the same geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from actdesk.domain.schedule.config import ActivityType
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.formats import format_time, uses_24_hour_clock
from actdesk.i18n import N_, _, format_date
from actdesk.ui import theme
from actdesk.ui.text_fit import wrapped_lines

HEADER = 40
ALL_DAY_ROW = 24
GUTTER = 52
SNAP_MINUTES = 15
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


@dataclass
class _Placed:
    occ: Occurrence
    rect: QRectF


class CalendarGrid(QWidget):
    sig_item_clicked = Signal(object)  # Occurrence
    sig_item_activated = Signal(object)  # Occurrence (double-click)
    sig_reschedule_requested = Signal(object, object)  # Occurrence, aware datetime
    sig_add_requested = Signal(object)  # aware datetime of the slot
    sig_day_requested = Signal(object)  # date ("+3 more" in the month view)
    sig_item_menu_requested = Signal(object, object)  # Occurrence, QPoint (global): right-click on it

    def __init__(self, types: dict[str, ActivityType], tz: tzinfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CalendarGrid")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 360)
        self.types, self.tz = types, tz
        self.mode = "week"
        self.first = self.last = self.today = date.today()
        self.month = self.first.month
        self.day_start, self.day_end = 8, 19
        self.items: list[Occurrence] = []
        self.names: dict[int, str] = {}
        self.selected: tuple[int, datetime | None] | None = None
        self._placed: list[_Placed] = []
        self._more: list[tuple[QRectF, date, int]] = []
        self._press: tuple[_Placed, QPointF] | None = None
        self._drag_to: QPointF | None = None

    # -- data --
    def set_window(
        self, mode: str, first: date, last: date, today: date, month: int, items: list[Occurrence]
    ) -> None:
        self.mode, self.first, self.last, self.today, self.month = mode, first, last, today, month
        self.items = items
        self._placed = []
        self.update()

    def set_hours(self, start: int, end: int) -> None:
        self.day_start, self.day_end = max(0, min(start, 23)), max(start + 1, min(end, 24))

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    # -- geometry --
    def _hours(self) -> tuple[int, int]:
        lo, hi = self.day_start, self.day_end
        for o in self.items:
            if o.start is not None and not o.all_day:
                local = o.start.astimezone(self.tz)
                lo = min(lo, local.hour)
                end = o.end.astimezone(self.tz) if o.end else local
                hi = max(hi, min(24, end.hour + (1 if end.minute else 0)))
        return lo, max(hi, lo + 1)

    def _grid_top(self) -> float:
        return HEADER + ALL_DAY_ROW

    def _column_width(self) -> float:
        return (self.width() - GUTTER) / max(1, len(self.days()))

    def _hour_height(self) -> float:
        lo, hi = self._hours()
        return max(18.0, (self.height() - self._grid_top()) / (hi - lo))

    def _cell(self, index: int) -> QRectF:
        w, h = self.width() / 7, (self.height() - HEADER) / 6
        return QRectF((index % 7) * w, HEADER + (index // 7) * h, w, h)

    def slot_at(self, point: QPointF | QPoint) -> datetime | None:
        """The aware local instant under ``point`` (snapped to 15 minutes; the day's 9:00 in the month view)."""
        p = QPointF(point)
        if self.mode == "month":
            if p.y() < HEADER:
                return None
            col = int(p.x() // (self.width() / 7))
            row = int((p.y() - HEADER) // ((self.height() - HEADER) / 6))
            day = self.first + timedelta(days=min(41, max(0, row * 7 + min(col, 6))))
            return datetime.combine(day, time(9), tzinfo=self.tz)
        if p.x() < GUTTER or p.y() < self._grid_top():
            return None
        col = min(len(self.days()) - 1, int((p.x() - GUTTER) // self._column_width()))
        lo, _hi = self._hours()
        minutes = (p.y() - self._grid_top()) / self._hour_height() * 60
        minutes = int(round(minutes / SNAP_MINUTES) * SNAP_MINUTES)
        day = self.days()[col]
        return datetime.combine(day, time(0), tzinfo=self.tz) + timedelta(hours=lo, minutes=minutes)

    def item_at(self, point: QPointF | QPoint) -> Occurrence | None:
        self._ensure_layout()
        for placed in reversed(self._placed):
            if placed.rect.contains(QPointF(point)):
                return placed.occ
        return None

    def item_rect(self, occ: Occurrence) -> QRectF | None:
        self._ensure_layout()
        return next((p.rect for p in self._placed if p.occ.key == occ.key), None)

    def _ensure_layout(self) -> None:
        if not self._placed and self.items:
            self._layout()

    def _layout(self) -> None:
        self._placed, self._more = [], []
        if self.mode == "month":
            self._layout_month()
        else:
            self._layout_time_grid()

    def _layout_month(self) -> None:
        by_day: dict[date, list[Occurrence]] = {}
        for o in self.items:
            day = o.day(self.tz)
            if day is not None:
                by_day.setdefault(day, []).append(o)
        line = 18.0
        for index, day in enumerate(self.days()):
            cell = self._cell(index)
            entries = by_day.get(day, [])
            fits = max(0, int((cell.height() - 24) // line))
            shown = entries if len(entries) <= fits else entries[: max(0, fits - 1)]
            for i, o in enumerate(shown):
                self._placed.append(
                    _Placed(o, QRectF(cell.x() + 3, cell.y() + 22 + i * line, cell.width() - 6, line - 2))
                )
            if len(shown) < len(entries):
                rect = QRectF(cell.x() + 3, cell.y() + 22 + len(shown) * line, cell.width() - 6, line - 2)
                self._more.append((rect, day, len(entries) - len(shown)))

    def _layout_time_grid(self) -> None:
        days = self.days()
        lo, _hi = self._hours()
        width, hour = self._column_width(), self._hour_height()
        by_day: dict[date | None, list[Occurrence]] = {}
        for o in self.items:
            by_day.setdefault(o.day(self.tz), []).append(o)
        for col, day in enumerate(days):
            x = GUTTER + col * width
            entries = by_day.get(day, [])
            top_row = [o for o in entries if o.start is None or o.all_day]
            for i, o in enumerate(top_row):
                w = (width - 4) / max(1, len(top_row))
                self._placed.append(_Placed(o, QRectF(x + 2 + i * w, HEADER + 2, w - 2, ALL_DAY_ROW - 4)))
            timed = sorted((o for o in entries if o not in top_row), key=lambda o: o.start)  # type: ignore[arg-type, return-value]
            lanes: list[datetime] = []
            assigned: list[tuple[Occurrence, int]] = []
            for o in timed:
                assert o.start is not None
                end = max(o.end or o.start, o.start + timedelta(minutes=20))
                lane = next((i for i, busy in enumerate(lanes) if busy <= o.start), len(lanes))
                if lane == len(lanes):
                    lanes.append(end)
                else:
                    lanes[lane] = end
                assigned.append((o, lane))
            count = max(1, len(lanes))
            for o, lane in assigned:
                assert o.start is not None
                local = o.start.astimezone(self.tz)
                minutes = (local.hour - lo) * 60 + local.minute
                duration = max(20, o.duration_minutes or 30)
                y = self._grid_top() + minutes / 60 * hour
                w = (width - 4) / count
                self._placed.append(
                    _Placed(o, QRectF(x + 2 + lane * w, y + 1, w - 2, duration / 60 * hour - 2))
                )

    # -- painting --
    def paintEvent(self, event: QPaintEvent) -> None:
        self._layout()
        c = theme.colors()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor(c.surface))
        if self.mode == "month":
            self._paint_month(p)
        else:
            self._paint_time_grid(p)
        for placed in self._placed:
            self._paint_item(p, placed)
        if self._press is not None and self._drag_to is not None:
            placed, offset = self._press
            ghost = QRectF(placed.rect)
            ghost.moveTopLeft(self._drag_to - offset)
            p.setPen(QPen(QColor(c.accent), 1.5, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(ghost, 4, 4)
        p.end()

    def _paint_header_day(self, p: QPainter, rect: QRectF, day: date, label: str) -> None:
        c = theme.colors()
        is_today = day == self.today
        p.setPen(QColor(c.accent if is_today else c.muted))
        font = QFont(self.font())
        font.setBold(is_today)
        p.setFont(font)
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)

    def _paint_time_grid(self, p: QPainter) -> None:
        c = theme.colors()
        days = self.days()
        width, hour = self._column_width(), self._hour_height()
        lo, hi = self._hours()
        grid = QPen(QColor(c.border), 1)
        for col, day in enumerate(days):
            x = GUTTER + col * width
            if day == self.today and len(days) > 1:
                p.fillRect(
                    QRectF(x, HEADER, width, self.height() - HEADER),
                    QColor(c.accent).lighter(190) if not theme.is_dark() else QColor(c.surface_alt),
                )
            label = f"{_(WEEKDAYS[day.weekday()])} {day.day}" if len(days) > 1 else format_date(day, "full")
            self._paint_header_day(p, QRectF(x, 0, width, HEADER), day, label)
            p.setPen(grid)
            p.drawLine(QPointF(x, HEADER), QPointF(x, self.height()))
        p.setPen(grid)
        p.drawLine(QPointF(0, HEADER), QPointF(self.width(), HEADER))
        p.drawLine(QPointF(0, self._grid_top()), QPointF(self.width(), self._grid_top()))
        p.setFont(self.font())
        for i, h in enumerate(range(lo, hi + 1)):
            y = self._grid_top() + i * hour
            p.setPen(grid)
            p.drawLine(QPointF(GUTTER, y), QPointF(self.width(), y))
            if h < hi:
                p.setPen(QColor(c.muted))
                p.drawText(QRectF(0, y + 2, GUTTER - 8, 16), Qt.AlignmentFlag.AlignRight, hour_label(h))
        now = datetime.now(self.tz)
        if self.first <= now.date() <= self.last and lo <= now.hour < hi:
            col = (now.date() - self.first).days
            y = self._grid_top() + ((now.hour - lo) * 60 + now.minute) / 60 * hour
            p.setPen(QPen(QColor(c.danger), 2))
            p.drawLine(QPointF(GUTTER + col * width, y), QPointF(GUTTER + (col + 1) * width, y))

    def _paint_month(self, p: QPainter) -> None:
        c = theme.colors()
        w = self.width() / 7
        for i, name in enumerate(WEEKDAYS):
            p.setPen(QColor(c.muted))
            p.drawText(QRectF(i * w, 0, w, HEADER), Qt.AlignmentFlag.AlignCenter, _(name))
        for index, day in enumerate(self.days()):
            cell = self._cell(index)
            if day.month != self.month:
                p.fillRect(cell, QColor(c.surface_alt))
            p.setPen(QPen(QColor(c.border), 1))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(cell)
            number = QRectF(cell.x() + 4, cell.y() + 2, 24, 18)
            if day == self.today:
                p.setBrush(QColor(c.accent))
                p.setPen(Qt.PenStyle.NoPen)
                p.drawRoundedRect(number, 9, 9)
                p.setPen(QColor(c.accent_text))
            else:
                p.setPen(QColor(c.text if day.month == self.month else c.muted))
            p.drawText(number, Qt.AlignmentFlag.AlignCenter, str(day.day))
        p.setPen(QColor(c.accent))
        for rect, _day, hidden in self._more:
            p.drawText(
                rect,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _("+{n} more").format(n=hidden),
            )

    def _paint_item(self, p: QPainter, placed: _Placed) -> None:
        c = theme.colors()
        o, rect = placed.occ, placed.rect
        kind = self.types.get(o.kind)
        colour = QColor(kind.colour if kind else c.accent)
        fill = QColor(colour)
        fill.setAlpha(40 if not o.done else 18)
        selected = self.selected == o.key
        p.setPen(QPen(colour, 1.5) if selected else Qt.PenStyle.NoPen)
        p.setBrush(fill)
        p.drawRoundedRect(rect, 4, 4)
        p.fillRect(QRectF(rect.x(), rect.y(), 3, rect.height()), colour)
        p.setFont(self.chip_font(o))
        p.setPen(QColor(c.muted if o.done else c.text))
        inner = rect.adjusted(6, 1, -2, -1)
        metrics = p.fontMetrics()
        shown = self.chip_lines(o, inner)
        top = inner.top() if len(shown) > 1 else inner.center().y() - metrics.height() / 2
        for n, line in enumerate(shown):
            box = QRectF(inner.left(), top + n * metrics.height(), inner.width(), metrics.height())
            p.drawText(box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, line)

    def chip_font(self, o: Occurrence) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1))
        font.setStrikeOut(o.done)
        return font

    def chip_lines(self, o: Occurrence, inner: QRectF) -> list[str]:
        """What an entry's block says: its text wrapped onto the lines the block has room for, only the tail
        of the last one elided. On the time grid, a block too small for its time and whole subject drops the
        time (the block's place on the grid shows it, the tooltip says it): "Call about mark…" rather than
        "13:15 Cal…" in a narrow week column."""
        metrics = QFontMetrics(self.chip_font(o))
        lines, width = max(1, int(inner.height() // metrics.height())), int(inner.width())
        shown = wrapped_lines(self.entry_text(o), metrics, width, lines)
        timed = self.mode != "month" and o.start is not None and not o.all_day
        if timed and o.subject not in " ".join(shown):
            shown = wrapped_lines(self.entry_text(o, clock=False), metrics, width, lines)
        return shown

    def entry_text(self, o: Occurrence, clock: bool = True) -> str:
        """Time and subject (and the household, beside the time grid): what an entry says and its tooltip."""
        clock_text = ""
        if clock and o.start is not None and not o.all_day:
            clock_text = format_time(o.start.astimezone(self.tz)) + " "
        text = ("✓ " if o.done else "") + clock_text + o.subject
        household = self.names.get(o.household_id)
        if household and self.mode != "month":
            text += "\n" + household
        return text

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            occ = self.item_at(event.pos())
            if occ is not None:
                QToolTip.showText(event.globalPos(), self.entry_text(occ), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    # -- mouse --
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._ensure_layout()
        pos = event.position()
        for rect, day, _hidden in self._more:
            if rect.contains(pos):
                self.sig_day_requested.emit(day)
                return
        for placed in reversed(self._placed):
            if placed.rect.contains(pos):
                self.selected = placed.occ.key
                self._press = (placed, pos - placed.rect.topLeft())
                self.sig_item_clicked.emit(placed.occ)
                self.update()
                return
        self._press = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            placed, _offset = self._press
            if self._drag_to is not None or (event.position() - placed.rect.center()).manhattanLength() > 8:
                self._drag_to = event.position()
                self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, target = self._press, self._drag_to
        self._press, self._drag_to = None, None
        if press is None or target is None:
            return
        placed, offset = press
        new_start = self.drop_target(placed.occ, target - offset + QPointF(1, 1))
        self.update()
        if new_start is not None and new_start != placed.occ.start:
            self.sig_reschedule_requested.emit(placed.occ, new_start)

    def drop_target(self, occ: Occurrence, top_left: QPointF) -> datetime | None:
        """Where an entry dropped with its top-left corner at ``top_left`` starts (keeps its time in months)."""
        slot = self.slot_at(top_left)
        if slot is None:
            return None
        if self.mode == "month" and occ.start is not None and not occ.all_day:
            return datetime.combine(slot.date(), occ.start.astimezone(self.tz).time(), tzinfo=self.tz)
        if occ.all_day or occ.start is None:
            return datetime.combine(slot.date(), time.min, tzinfo=UTC if occ.all_day else self.tz)
        return slot

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on an entry selects it and asks for its actions (what the side panel's buttons do,
        there when the side lists are hidden)."""
        item = self.item_at(event.pos())
        if item is None:
            event.ignore()
            return
        self.selected = item.key
        self.sig_item_clicked.emit(item)
        self.update()
        self.sig_item_menu_requested.emit(item, event.globalPos())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position())
        if item is not None:
            self.sig_item_activated.emit(item)
            return
        slot = self.slot_at(event.position())
        if slot is not None:
            self.sig_add_requested.emit(slot)


def hour_label(hour: int) -> str:
    """The time grid's hour in the locale's clock: "14:00" or "2 PM"."""
    if uses_24_hour_clock():
        return f"{hour:02d}:00"
    from babel.dates import format_time as babel_time

    from actdesk.formats import current_locale

    return babel_time(time(hour), "h a", locale=current_locale())
