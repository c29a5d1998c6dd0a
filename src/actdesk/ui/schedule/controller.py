"""Behaviour of the Schedule panel: which window is shown, loading it off the GUI thread, and every change
(add, reschedule, done, skip) as one unit of work followed by a reload and a ``data_changed("activities")``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from PySide6.QtCore import QObject, Signal

from actdesk.domain.enums import ActivityKind
from actdesk.domain.models import Activity
from actdesk.domain.schedule import recurrence
from actdesk.domain.schedule.config import ScheduleSettings, activity_types
from actdesk.domain.schedule.occurrences import Occurrence
from actdesk.i18n import user_message
from actdesk.services.schedule_zone import schedule_zone
from actdesk.storage.engine import Book
from actdesk.storage.repositories import activities as repo
from actdesk.storage.repositories import activity_series
from actdesk.storage.repositories import households as households_repo
from actdesk.storage.repositories import overdue as overdue_repo
from actdesk.storage.repositories.activity_series import Scope
from actdesk.ui.context import AppContext
from actdesk.ui.tasks import TaskHandle, TaskState
from actdesk.ui.topics import Topic

VIEWS = ("day", "week", "month", "agenda")
AGENDA_DAYS = 30
OVERDUE_SHOWN = 200  # the most recent; the label gives the full count


@dataclass
class WindowData:
    start: datetime
    end: datetime
    occurrences: list[Occurrence]
    today: list[Occurrence]
    names: dict[int, str] = field(default_factory=dict)


@dataclass
class OverdueData:
    items: list[Occurrence]
    total: int
    names: dict[int, str] = field(default_factory=dict)


def window_bounds(view: str, anchor: date, tz: tzinfo) -> tuple[date, date]:
    """First and last day shown: the week starts on Monday; the month grid shows six whole weeks."""
    if view == "day":
        return anchor, anchor
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return first, first + timedelta(days=6)
    if view == "month":
        first_of_month = anchor.replace(day=1)
        first = first_of_month - timedelta(days=first_of_month.weekday())
        return first, first + timedelta(days=41)
    return anchor, anchor + timedelta(days=AGENDA_DAYS - 1)


def _instant(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(UTC)


def load_window(
    state: TaskState | None,
    book: Book,
    first: date,
    last: date,
    now: datetime,
    tz: tzinfo,
    known_today: list[Occurrence] | None = None,
) -> WindowData:
    """One read of only the shown window. Today's list comes from the window when it shows today, else
    from ``known_today`` (kept by the controller while nothing changed), else from its own small query."""
    start, end = _instant(first, tz), _instant(last + timedelta(days=1), tz)
    today = now.astimezone(tz).date()
    with book.reader() as s:
        found = repo.occurrences(s, start, end, tz)
        if first <= today <= last:
            todays = [o for o in found if o.day(tz) == today]
        elif known_today is not None:
            todays = known_today
        else:
            todays = repo.occurrences(s, _instant(today, tz), _instant(today + timedelta(days=1), tz), tz)
        names = repo.household_names(s, sorted({o.household_id for o in (*found, *todays)}))
    return WindowData(start, end, found, todays, names)


def load_overdue(
    state: TaskState | None, book: Book, now: datetime, tz: tzinfo, lookback: int
) -> OverdueData:
    """The side panel's overdue list, read after the calendar is shown."""
    with book.reader() as s:
        items, total = overdue_repo.overdue_page(s, now, tz, lookback, OVERDUE_SHOWN)
        names = repo.household_names(s, sorted({o.household_id for o in items}))
    return OverdueData(items, total, names)


class ScheduleController(QObject):
    sig_loaded = Signal(object)  # WindowData
    sig_overdue_loaded = Signal(object)  # OverdueData
    sig_failed = Signal(str)
    sig_changed = Signal()  # something was written
    sig_next_review_proposed = Signal(int, object)  # household id, proposed aware datetime

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.settings = ctx.settings.section(ScheduleSettings)
        self.tz = schedule_zone(self.settings)
        self.types = activity_types(self.settings)
        self.view = "week"
        self.anchor = self.today()
        self.data: WindowData | None = None
        self._pending: TaskHandle | None = None
        self._pending_overdue: TaskHandle | None = None
        self.overdue: OverdueData | None = None
        self._today_fresh = False
        self._today_day: date | None = None

    def today(self) -> date:
        return self.ctx.now().astimezone(self.tz).date()

    def bounds(self) -> tuple[date, date]:
        return window_bounds(self.view, self.anchor, self.tz)

    # -- navigation --
    def set_view(self, view: str) -> None:
        if view not in VIEWS:
            raise ValueError(view)
        self.view = view
        self.reload()

    def go_today(self) -> None:
        self.anchor = self.today()
        self.reload()

    def step(self, direction: int) -> None:
        if self.view == "day":
            self.anchor += timedelta(days=direction)
        elif self.view == "week":
            self.anchor += timedelta(weeks=direction)
        elif self.view == "month":
            month = self.anchor.month - 1 + direction
            self.anchor = date(self.anchor.year + month // 12, month % 12 + 1, 1)
        else:
            self.anchor += timedelta(days=AGENDA_DAYS * direction)
        self.reload()

    def go_to(self, day: date) -> None:
        self.anchor = day
        self.reload()

    def reload(self) -> None:
        if self._pending is not None:
            self._pending.cancel()
        first, last = self.bounds()
        now = self.ctx.now()
        fresh = self.data is not None and self._today_fresh and self._today_day == self.today()
        known_today = self.data.today if fresh and self.data is not None else None
        self._pending = self.ctx.tasks.run_task(
            load_window,
            self.ctx.book,
            first,
            last,
            now,
            self.tz,
            known_today,
            on_done=self._loaded,
            on_error=self._failed,
        )
        if self._pending_overdue is not None:
            self._pending_overdue.cancel()
        self._pending_overdue = self.ctx.tasks.run_task(
            load_overdue,
            self.ctx.book,
            now,
            self.tz,
            self.settings.overdue_lookback_days,
            on_done=self.sig_overdue_loaded.emit,
            on_error=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.sig_failed.emit(user_message(exc))

    def invalidate(self) -> None:
        """The book changed: nothing loaded before may be reused."""
        self._today_fresh = False

    def _loaded(self, data: WindowData) -> None:
        self._pending = None
        self.data = data
        self._today_fresh = True
        self._today_day = self.today()
        self.sig_loaded.emit(data)

    # -- changes --
    def _write(self, fn: Any, *args: Any, then: Any = None) -> None:
        def work(_state: TaskState) -> Any:
            with self.ctx.book.session() as s:
                return fn(s, *args)

        def done(result: Any) -> None:
            self.invalidate()
            self.ctx.signals.data_changed.emit(Topic.ACTIVITIES)
            self.sig_changed.emit()
            if then is not None:
                then(result)
            self.reload()

        self.ctx.tasks.run_task(
            work, on_done=done, on_error=lambda exc: self.sig_failed.emit(user_message(exc))
        )

    def add(self, activity: Activity) -> None:
        self._write(lambda s: repo.add(s, activity, self.tz))

    def reschedule(self, occ: Occurrence, new_start: datetime) -> None:
        """Move one entry; for a series only that occurrence moves (drag and drop in the calendar)."""
        if occ.start is not None and occ.all_day:
            new_start = datetime.combine(new_start.astimezone(self.tz).date(), time.min, tzinfo=UTC)
        self._write(lambda s: repo.reschedule(s, occ.activity_id, new_start, occ.original_start, self.tz))

    def mark_done(self, occ: Occurrence, outcome: str) -> None:
        """Record the outcome; a completed review proposes the next one (the panel asks the advisor)."""
        now = self.ctx.now()

        def work(s: Any) -> datetime | None:
            repo.mark_done(s, occ.activity_id, outcome, now, occ.original_start, self.tz)
            if occ.kind != ActivityKind.REVIEW.value or occ.recurring:
                return None
            anniversary = repo.household_anniversary(s, occ.household_id)
            day = recurrence.next_review_day(
                now.astimezone(self.tz).date(), anniversary, self.settings.review_interval_months
            )
            return datetime.combine(day, self.review_time(), tzinfo=self.tz)

        def then(proposed: datetime | None) -> None:
            if proposed is not None:
                self.sig_next_review_proposed.emit(occ.household_id, proposed)

        self._write(work, then=then)

    def edit(self, occ: Occurrence, changes: dict[str, Any], scope: Scope) -> None:
        """Write an edit made from one entry: only it, it and the following ones, or the whole series."""
        self._write(
            lambda s: activity_series.edit(
                s, occ.activity_id, changes, scope, occ.original_start, occ.start, self.tz
            )
        )

    def load_editor(self, occ: Occurrence, on_done: Any) -> None:
        """Read what the edit dialog needs (the activity as stored, every household's contacts)."""

        def work(_state: TaskState) -> tuple[Activity, dict[int, list[tuple[int, str]]]]:
            with self.ctx.book.reader() as s:
                return repo.get(s, occ.activity_id), households_repo.contact_names_by_household(s)

        self.ctx.tasks.run_task(work, on_done=on_done, on_error=self._failed)

    def skip(self, occ: Occurrence) -> None:
        if occ.original_start is not None:
            self._write(lambda s: repo.skip_occurrence(s, occ.activity_id, occ.original_start, self.tz))
        else:
            self._write(lambda s: repo.delete_activity(s, occ.activity_id))

    def review_time(self) -> time:
        try:
            hours, minutes = (int(p) for p in self.settings.review_time.split(":", 1))
            return time(hours, minutes)
        except ValueError:
            return time(10)

    def households(self) -> dict[int, str]:
        """All household names for the quick-add picker (a small read on the GUI thread's request)."""
        with self.ctx.book.reader() as s:
            return repo.household_names(s)
