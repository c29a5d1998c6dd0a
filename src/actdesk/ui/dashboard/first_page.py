"""The Book dashboard's tiles before the dashboard itself: what the window shows while the dashboard's
module (pandas, matplotlib: most of a second) loads on a worker thread (issue 21).

Qt, the tiles' vocabulary and the SQL first numbers only: importing this module loads no pandas, numpy or
matplotlib. ``set_tiles`` is the one code that writes the tiles, for this page and for ``BookView``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.schedule.config import ScheduleSettings
from actdesk.i18n import _, format_date, format_money, format_money_compact, format_number, format_percent
from actdesk.services.dashboard import tiles
from actdesk.services.dashboard.first import FirstNumbers, first_numbers
from actdesk.services.schedule_zone import schedule_zone
from actdesk.storage.repositories.households import count_households
from actdesk.ui.context import AppContext
from actdesk.ui.dashboard.widgets import Tile, dashboard_page


@runtime_checkable
class TakesFirstNumbers(Protocol):
    """A panel that can show the first tiles' numbers the window already has (the Book dashboard)."""

    def show_first(self, first: FirstNumbers) -> None: ...


def book_as_of(ctx: AppContext) -> date:
    """The dashboard's as-of date: today in the schedule's time zone."""
    return ctx.now().astimezone(schedule_zone(ctx.settings.section(ScheduleSettings))).date()


def prime_formats(day: date) -> None:
    """Format once on the worker what the tiles show, so that Babel loads the locale's date, number and
    currency data there (thread-safe, cached) and not on the GUI thread when the first tiles are written
    (the stall probe's culprit at the first numbers: 50 ms at load 5)."""
    format_date(day)
    format_money(1.5)
    format_money_compact(1_500_000.0)
    format_percent(0.5)
    format_number(1500)


def _signed(value: object) -> str:
    amount = float(value)  # type: ignore[arg-type]
    return ("+" if amount >= 0 else "") + format_money_compact(amount)


def _rate_text(rate: float | None) -> str:
    return "—" if rate is None else format_percent(rate)


def set_tiles(caption: QLabel, made: dict[str, Tile], as_of: date, k: dict[str, Any]) -> None:
    """The date and the KPI tiles from ``k`` (``compute_kpis``' keys, or the subset of the SQL first
    tiles, ``services.dashboard.first``): the first numbers the advisor sees."""
    caption.setText(_("As of {date}").format(date=format_date(as_of)))
    aum = k["aum"]
    # Tiles show compact money ("$136.9M"); the exact amount is the first line of the tooltip.
    made["aum"].set(
        format_money_compact(aum["total"]),
        _("12 months: {flows} net flows, {market} market").format(
            flows=_signed(aum["net_flows"]), market=_signed(aum["market"])
        ),
        format_money(aum["total"])
        + "\n"
        + _("Net flows {flows}, market {market} over the last 12 months").format(
            flows=format_money(aum["net_flows"]), market=format_money(aum["market"])
        ),
    )
    made["clients"].set(
        format_number(k["clients"]),
        _("Segment A: {n}").format(n=format_number(k["segments"]["A"]["households"]))
        if "segments" in k
        else "",  # the first tiles come before the segmentation
    )
    ret = k["retention"]
    made["retention"].set(
        format_percent(ret["client_rate"]) if ret["client_rate"] is not None else "—",
        _("{kept} of {start} kept; assets kept from departures {assets}; net outflow rate {outflow}").format(
            kept=ret["retained"],
            start=ret["clients_at_start"],
            assets=_rate_text(ret["assets_kept_rate"]),
            outflow=_rate_text(ret["net_outflow_rate"]),
        )
        if ret["client_rate"] is not None
        else _("No clients a year ago to measure"),
    )
    rev = k["revenue"]
    growth = rev["growth"]
    made["revenue"].set(
        format_money_compact(rev["t12m"]),
        _("{growth} on the year before").format(growth=("+" if growth >= 0 else "") + format_percent(growth))
        if growth is not None
        else "",
        format_money(rev["t12m"]),
    )
    value = k["book_value"]
    made["value"].set(
        format_money_compact(value["npv"]) if value["npv"] is not None else "—",
        _("Sale price at a revenue multiple: {multiple}").format(
            multiple=format_money_compact(value["multiple"])
        ),
        format_money(value["npv"]) if value["npv"] is not None else "",
    )


# After the tiles are written: their paint is waited for at most this long (a hidden window paints nothing).
PAINT_WAIT_MS = 100


class FirstTilesPage(QScrollArea):
    """The tiles alone, filled from SQL sums on the database worker; the window shows it in place of the
    Book dashboard until that is built, which then takes the numbers over (``first``).

    ``sig_done`` says the page has nothing more to do on the GUI thread: its tiles are painted (or
    ``PAINT_WAIT_MS`` passed), the book is empty, or the query failed. The window starts the dashboard's
    heavy import only then (``ui/first_panel_start.py``): run beside the tiles, it slowed their query and
    their painting, all three sharing the interpreter lock (docs/performance.md, NINTH_STALL)."""

    sig_data_shown = Signal()  # the tiles show the book's numbers (not sent for an empty book)
    sig_done = Signal()  # once: the tiles are painted, or there are none to show (empty book, failed query)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstTilesPage")
        self.ctx = ctx
        self.first: FirstNumbers | None = None
        self.done = False
        _body, outer, self.as_of, self.tiles = dashboard_page(self, tiles.BOOK)
        outer.addStretch(1)

    def start(self) -> None:
        ctx, book = self.ctx, self.ctx.book
        config = self.ctx.settings.section(AnalyticsConfig)

        def work(_state: object) -> FirstNumbers | None:
            as_of = book_as_of(ctx)  # here: the first look-up of the computer's zone reads system files
            with book.reader() as s:
                if count_households(s) == 0:
                    return None  # the dashboard's empty state says what to do; no tiles to show first
            first = first_numbers(book, as_of, config)
            prime_formats(first.as_of)
            return first

        self.ctx.tasks.run_task(work, on_done=self._ready, on_error=lambda _e: self._finish(), owner=self)

    def _ready(self, first: FirstNumbers | None) -> None:
        if first is None:
            self._finish()  # the dashboard's empty state says what to do
            return
        self.first = first
        set_tiles(self.as_of, self.tiles, first.as_of, first.kpis)
        self.sig_data_shown.emit()
        if self.isVisible():
            self.tiles["aum"].value.installEventFilter(self)  # its paint: the tiles are on screen
            QTimer.singleShot(PAINT_WAIT_MS, self, self._finish)
        else:
            self._finish()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.tiles["aum"].value:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._finish)  # after this paint and its siblings' in the same pass
        return super().eventFilter(watched, event)

    def _finish(self) -> None:
        if not self.done:
            self.done = True
            self.sig_done.emit()
