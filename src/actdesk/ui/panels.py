"""The navigation rail's panels. Each is named by import path and loaded lazily, after the first paint.

A panel is a QWidget class taking ``(ctx: AppContext, parent=None)`` that satisfies :class:`Panel`; what else
the window may ask of it is one of the protocols below, checked with ``isinstance`` (never ``hasattr``). A
panel whose module is not part of this build is simply not listed: the rail never shows a placeholder;
``tests/ui/test_panels.py`` proves every entry of this build imports, so a typo cannot hide a panel.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

from actdesk.i18n import N_


@runtime_checkable
class Panel(Protocol):
    """Every panel: ``activate()`` is called each time it is shown (reload what went stale)."""

    def activate(self) -> None: ...


@runtime_checkable
class OffersStart(Protocol):
    """A panel whose empty state offers to import a book or open the demo."""

    sig_import_requested: SignalInstance
    sig_demo_requested: SignalInstance

    def set_demo_available(self, available: bool) -> None: ...

    def set_import_available(self, available: bool) -> None: ...


@runtime_checkable
class Badged(Protocol):
    """A panel with a count on its rail button (new alerts, mail needing attention)."""

    sig_badge_changed: SignalInstance  # Signal(int)


@runtime_checkable
class Stoppable(Protocol):
    """A panel that owns background work, stopped when the window closes (returns whether it stopped)."""

    def shutdown(self) -> object: ...


@runtime_checkable
class BuiltInSteps(Protocol):
    """A panel that builds its widgets over several turns of the event loop once created (the Book
    dashboard's chart cards): ``sig_built`` after the last. ``building`` while it builds or draws (its charts
    when its data arrives, and while they are rendered). Work behind the window waits for both
    (``ui/first_panel_gate.py``)."""

    sig_built: SignalInstance

    @property
    def built(self) -> bool: ...

    @property
    def building(self) -> bool: ...


@dataclass(frozen=True)
class PanelSpec:
    key: str
    title: str  # translated when shown
    icon: str  # resources/icons/<icon>.svg
    target: str  # "package.module:ClassName"
    shortcut: str  # e.g. "Ctrl+1"

    @property
    def module(self) -> str:
        return self.target.split(":", 1)[0]

    def available(self) -> bool:
        try:
            return importlib.util.find_spec(self.module) is not None
        except ModuleNotFoundError:
            return False

    def load(self) -> type:
        module_name, _, cls = self.target.partition(":")
        return getattr(importlib.import_module(module_name), cls)


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("book", N_("Book"), "book", "actdesk.ui.dashboard.book_panel:BookDashboardPanel", "Ctrl+1"),
    PanelSpec(
        "households", N_("Households"), "households", "actdesk.ui.households.panel:HouseholdsPanel", "Ctrl+2"
    ),
    PanelSpec("schedule", N_("Schedule"), "calendar", "actdesk.ui.schedule.panel:SchedulePanel", "Ctrl+3"),
    PanelSpec("alerts", N_("Alerts"), "bell", "actdesk.ui.alerts.panel:AlertsPanel", "Ctrl+4"),
    PanelSpec("campaigns", N_("Campaigns"), "mail", "actdesk.ui.mail.panel:CampaignsPanel", "Ctrl+5"),
    PanelSpec("pipeline", N_("Pipeline"), "funnel", "actdesk.ui.pipeline.panel:PipelinePanel", "Ctrl+6"),
    PanelSpec("reports", N_("Reports"), "chart", "actdesk.ui.reports.panel:ReportsPanel", "Ctrl+7"),
)


def available_panels() -> list[PanelSpec]:
    return [spec for spec in PANELS if spec.available()]
