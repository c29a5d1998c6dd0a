"""The "Book" panel of the rail: the book-of-business dashboard, one client's dashboard (and the meeting
view), the coaching page and today's snapshot, as tabs.

Each tab's data is gathered by a plain function in ``services.dashboard`` run through ``ctx.tasks`` (never on
the GUI thread); a ``data_changed`` signal marks the tabs stale and reloads the visible one after a short
debounce. matplotlib is imported with this module, which the window loads only after its first paint.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QTabWidget, QVBoxLayout, QWidget

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _, user_message
from actdesk.services.alerts.compute import EvaluationCancelled
from actdesk.services.analytics_child import gather_book_later, model_probabilities_later
from actdesk.services.dashboard.book import BookDashboard, with_model
from actdesk.services.dashboard.coaching import CoachingSettings, gather_coaching
from actdesk.services.dashboard.first import FirstNumbers, first_numbers
from actdesk.services.dashboard.snapshot import gather_snapshot
from actdesk.services.schedule_zone import schedule_zone
from actdesk.services.team import scope_in
from actdesk.storage.repositories.alerts import open_alerts_by_rule
from actdesk.storage.repositories.households import count_households
from actdesk.ui.context import AppContext
from actdesk.ui.dashboard.book_view import BookView
from actdesk.ui.dashboard.client_panel import ClientDashboardPanel
from actdesk.ui.dashboard.coaching_panel import CoachingView
from actdesk.ui.dashboard.first_page import book_as_of
from actdesk.ui.dashboard.meeting import MeetingWindow
from actdesk.ui.dashboard.snapshot_panel import SnapshotView
from actdesk.ui.tasks import TaskCancelled, TaskHandle, TaskState
from actdesk.ui.topics import Topic
from actdesk.ui.widgets.empty_state import EmptyState

log = logging.getLogger(__name__)
DEBOUNCE_MS = 800


class BookDashboardPanel(QWidget):
    sig_import_requested = Signal()
    sig_demo_requested = Signal()
    sig_book_loaded = Signal(object)  # BookDashboard
    sig_data_shown = Signal()  # the book tab shows its numbers, its empty state or its error
    sig_built = Signal()  # the book tab's chart cards are built (``BuiltInSteps``)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meeting: MeetingWindow | None = None
        self._tasks: dict[str, TaskHandle] = {}
        self._stale = {"book", "coaching", "snapshot"}
        self._tiles_shown = False  # the book tab shows tiles (the first ones from SQL, or the full data)
        self._first_handed_over = False  # the window's first tiles are on screen: the next load keeps them
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        layout.addWidget(self.tabs)

        self.book_stack = QStackedWidget(self)
        self.loading = QLabel(_("Adding up your book…"), self)
        self.loading.setObjectName("Muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty = EmptyState(
            "book",
            _("No households yet"),
            _(
                "Import your clients from Redtail, Wealthbox, Google or a vCard, or open the demo book: "
                "assets, fees, retention and the value of your book appear here."
            ),
            [("import", _("Import…")), ("demo", _("Open the demo book"))],
        )
        self.empty.sig_action_triggered.connect(self._empty_action)
        self.error = EmptyState("alert", _("The dashboard could not be built"), "")
        self.book_view = BookView(self)
        self.book_view.sig_household_requested.connect(self.ctx.signals.open_household_requested.emit)
        self.book_view.sig_cards_built.connect(self.sig_built.emit)
        for w in (self.loading, self.empty, self.error, self.book_view):
            self.book_stack.addWidget(w)
        self.tabs.addTab(self.book_stack, _("Book of business"))
        # The other tabs (seven more chart canvases) are built when first shown or asked for; until then an
        # empty widget holds their place in the tab bar. Building them at start, even one per turn of the
        # event loop, held the window 30-100 ms per tab while the first numbers were being drawn.
        self._client: ClientDashboardPanel | None = None
        self._coaching: CoachingView | None = None
        self._snapshot: SnapshotView | None = None
        for title in (_("Client"), _("Coaching"), _("Today")):
            self.tabs.addTab(QWidget(self.tabs), title)
        self.tabs.currentChanged.connect(self._tab_changed)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh_visible)
        ctx.signals.data_changed.connect(self._data_changed)

    # -- the tabs after the first ------------------------------------------------------------------------------
    @property
    def client(self) -> ClientDashboardPanel:
        self._build_tab(1)
        assert self._client is not None
        return self._client

    @property
    def coaching(self) -> CoachingView:
        self._build_tab(2)
        assert self._coaching is not None
        return self._coaching

    @property
    def snapshot(self) -> SnapshotView:
        self._build_tab(3)
        assert self._snapshot is not None
        return self._snapshot

    def _tab_changed(self, index: int) -> None:
        if 1 <= index <= 3:
            self._build_tab(index)
        self.refresh_visible()

    def _build_tab(self, index: int) -> None:
        """Build tab ``index`` (1 Client, 2 Coaching, 3 Today) in place of its placeholder, once."""
        if index == 1 and self._client is None:
            self._client = ClientDashboardPanel(self.ctx, self)
            self._client.sig_meeting_requested.connect(self.start_meeting)
            self._client.sig_pick_requested.connect(self.pick_household)
            self._put_tab(1, self._client)
        elif index == 2 and self._coaching is None:
            self._coaching = CoachingView(self.ctx, self)
            self._put_tab(2, self._coaching)
        elif index == 3 and self._snapshot is None:
            self._snapshot = SnapshotView(self)
            self._snapshot.sig_household_requested.connect(self.ctx.signals.open_household_requested.emit)
            self._put_tab(3, self._snapshot)

    def _put_tab(self, index: int, widget: QWidget) -> None:
        """Swap the placeholder at ``index`` for ``widget``, keeping the current tab and its title."""
        current, title = self.tabs.currentIndex(), self.tabs.tabText(index)
        placeholder = self.tabs.widget(index)
        blocked = self.tabs.blockSignals(True)  # the swap is not the advisor changing tabs
        try:
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, widget, title)
            self.tabs.setCurrentIndex(current)
        finally:
            self.tabs.blockSignals(blocked)
        if placeholder is not None:
            placeholder.deleteLater()

    # -- main window hooks ---------------------------------------------------------------------------------------
    @property
    def built(self) -> bool:
        return self.book_view.cards_built

    @property
    def building(self) -> bool:
        return self.book_view.busy

    def activate(self) -> None:
        self.refresh_visible()

    def set_demo_available(self, available: bool) -> None:
        if "demo" in self.empty.buttons:
            self.empty.buttons["demo"].setVisible(available)

    def set_import_available(self, available: bool) -> None:
        if "import" in self.empty.buttons:
            self.empty.buttons["import"].setVisible(available)

    def _empty_action(self, key: str) -> None:
        (self.sig_import_requested if key == "import" else self.sig_demo_requested).emit()

    def _data_changed(self, topic: str) -> None:
        if topic == Topic.ALERTS:  # an evaluation or an advisor's action: only the alert counts change
            self.refresh_alerts()
            self._stale.add("snapshot")
            return
        if topic == Topic.SETTINGS:
            self._stale.update({"book", "coaching"})
        else:
            self._stale.update({"book", "coaching", "snapshot"})
            if self._client is not None and self._client.household_id is not None:
                self._stale.add("client")
        if self.isVisible():
            self._debounce.start()

    # -- loading ----------------------------------------------------------------------------------------------
    def as_of(self) -> date:
        return book_as_of(self.ctx)

    def _tz(self):
        return schedule_zone(self.ctx.settings.section(ScheduleSettings))

    def refresh_visible(self) -> None:
        current = self.tabs.currentWidget()
        built = ((self.book_stack, "book"), (self._coaching, "coaching"), (self._snapshot, "snapshot"))
        tabs: dict[QWidget, str] = {w: k for w, k in (*built, (self._client, "client")) if w is not None}
        key = tabs.get(current)
        if key is None or key not in self._stale:
            return
        self._stale.discard(key)
        if key == "book":
            self.load_book()
        elif key == "coaching":
            self.load_coaching()
        elif key == "snapshot":
            self.load_snapshot()
        elif key == "client" and self.client.household_id is not None:
            self.client.load(self.client.household_id)

    def refresh_alerts(self) -> None:
        """Redraw "Open alerts by rule" from the stored alerts, without rebuilding the whole dashboard."""
        if self.book_view.data is None:
            return
        book = self.ctx.book

        def work(_state: TaskState) -> dict[str, list[int]]:
            with book.reader() as s:
                return open_alerts_by_rule(s)

        self._run("alerts", work, self.book_view.set_alerts)

    def _run(self, key: str, fn, on_done) -> None:
        previous = self._tasks.get(key)
        if previous is not None:
            previous.cancel()
        self._tasks[key] = self.ctx.tasks.run_task(
            fn, on_done=on_done, on_error=lambda e: self._failed(key, e)
        )

    def show_first(self, first: FirstNumbers) -> None:
        """The first tiles the window showed while this module loaded (``first_page``): kept on screen."""
        self._book_ready(first)
        self._first_handed_over = True

    def load_book(self) -> None:
        if self.book_view.data is None and not self._tiles_shown:
            self.book_stack.setCurrentWidget(self.loading)
        book, as_of = self.ctx.book, self.as_of()
        config = self.ctx.settings.section(AnalyticsConfig)
        child = self.ctx.child_process()
        # The window's first tiles, just computed from the same sums, are not computed twice.
        tiles_current, self._first_handed_over = self._first_handed_over, False

        def work(state: TaskState) -> BookDashboard | None:
            with book.reader() as s:
                if count_households(s) == 0:
                    return None
            if not tiles_current:
                state.partial(first_numbers(book, as_of, config))  # the tiles from SQL sums, in milliseconds
            state.check()
            # Both in the child, the frames first: this process's lock stays with the window (issue 21).
            frames = gather_book_later(book, as_of, config, child)
            model = model_probabilities_later(book, as_of, config, child)
            try:
                data = frames(lambda: state.cancelled)
            except EvaluationCancelled:
                raise TaskCancelled() from None
            state.partial(data)  # shown now; the value client by client follows from the model
            state.check()
            try:
                probabilities = model(lambda: state.cancelled)
            except Exception:
                state.check()
                log.warning("no retention model for the book value client by client", exc_info=True)
                return data  # the rest of the dashboard stands; that one figure shows a dash
            return with_model(data, probabilities)

        previous = self._tasks.get("book")
        if previous is not None:
            previous.cancel()
        self._tasks["book"] = self.ctx.tasks.run_task(
            work,
            on_partial=self._book_ready,
            on_done=self._book_done,
            on_error=lambda e: self._failed("book", e),
        )

    def _book_ready(self, data: FirstNumbers | BookDashboard) -> None:
        if isinstance(data, FirstNumbers):
            # The advisor's first numbers: the tiles from SQL sums, before any frame is loaded (on a
            # reload, the current tiles above the previous charts until the new ones are drawn).
            self._tiles_shown = True
            self.book_view.set_tiles(data.as_of, data.kpis)
            self.book_stack.setCurrentWidget(self.book_view)
            self.sig_data_shown.emit()
            return
        # The tiles again with everything, then the charts one per turn of the event loop.
        self.book_view.set_data_stepwise(data, lambda: self.sig_book_loaded.emit(data))
        self.book_stack.setCurrentWidget(self.book_view)
        self.sig_data_shown.emit()

    def _book_done(self, data: BookDashboard | None) -> None:
        if data is None:
            self.book_stack.setCurrentWidget(self.empty)
            self.sig_data_shown.emit()
            return
        self.book_view.set_model_data(data)

    def load_coaching(self) -> None:
        book, now, tz = self.ctx.book, self.ctx.now(), self._tz()
        settings = self.ctx.settings.section(CoachingSettings)

        def work(_state: object):
            with book.reader() as s:
                return gather_coaching(s, now, tz, settings)

        self._run("coaching", work, self.coaching.set_data)

    def load_snapshot(self) -> None:
        book, now, tz = self.ctx.book, self.ctx.now(), self._tz()

        def work(_state: object):
            with book.reader() as s:
                return gather_snapshot(s, now, tz, owners=scope_in(s))  # an advisor: own households

        self._run("snapshot", work, self.snapshot.set_data)

    def _failed(self, key: str, error: BaseException) -> None:
        log.error("dashboard %s failed", key, exc_info=error)
        self._stale.add(key)
        if key == "book":
            self.error.set_text(
                _("The dashboard could not be built"),
                _("{error}. Your data is unchanged; switch panels to try again.").format(
                    error=user_message(error)
                ),
            )
            self.book_stack.setCurrentWidget(self.error)
            self.sig_data_shown.emit()
        else:
            self.ctx.signals.status_message.emit(
                _("The dashboard could not be updated: {error}").format(error=user_message(error))
            )

    # -- client dashboard and meeting view ---------------------------------------------------------------------
    def open_client(self, household_id: int) -> None:
        self.tabs.setCurrentWidget(self.client)
        self._stale.discard("client")
        self.client.load(household_id)

    def pick_household(self) -> None:
        from actdesk.ui.quick_find import QuickFind

        finder = QuickFind(self.ctx, self)
        finder.sig_household_chosen.connect(self.open_client)
        finder.open()

    def start_meeting(self, household_id: int) -> MeetingWindow:
        if self.meeting is not None:
            self.meeting.close()
        self.meeting = MeetingWindow(self.ctx, household_id, self.window())
        self.meeting.sig_closed.connect(self._meeting_closed)
        self.meeting.start()
        return self.meeting

    def _meeting_closed(self) -> None:
        self.meeting = None
