"""What every report builder receives, and the small helpers they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from actdesk.domain.enums import ACCOUNT_TYPE_LABELS
from actdesk.i18n import N_, _, format_date
from actdesk.services.reports.config import ReportSettings
from actdesk.services.reports.model import NO_PROGRESS, ProgressSink
from actdesk.storage.engine import Book

if TYPE_CHECKING:
    from actdesk.domain.analytics.config import AnalyticsConfig
    from actdesk.domain.analytics.frames import BookFrames
    from actdesk.domain.pipeline.config import PipelineConfig
    from actdesk.domain.schedule.config import ScheduleSettings
    from actdesk.settings import Settings

ACCOUNT_TYPES: dict[str, str] = {str(kind): text for kind, text in ACCOUNT_TYPE_LABELS.items()}
OPPORTUNITY_KINDS = {
    "new_household": N_("New household"),
    "rollover": N_("Rollover"),
    "consolidation": N_("Consolidation"),
    "insurance": N_("Insurance"),
    "planning": N_("Planning"),
}


def label(labels: dict[str, str], key: str | None) -> str:
    """The translated label of a stored code; an unknown code is shown as stored."""
    if not key:
        return _("Unknown")
    return _(labels[key]) if key in labels else key


@dataclass
class ReportContext:
    """One report run: the book, the date, the settings that shape it, and where progress goes."""

    book: Book
    as_of: date
    settings: ReportSettings = field(default_factory=ReportSettings)
    analytics: AnalyticsConfig | None = None
    schedule: ScheduleSettings | None = None
    pipeline: PipelineConfig | None = None  # the advisor's configured stages
    progress: ProgressSink = NO_PROGRESS
    _frames: dict[tuple[Any, ...], BookFrames] = field(default_factory=dict, repr=False)

    @classmethod
    def from_settings(
        cls, book: Book, as_of: date, settings: Settings, progress: ProgressSink = NO_PROGRESS
    ) -> ReportContext:
        """A run shaped by the user's settings (the window and the CLI pass theirs)."""
        from actdesk.domain.analytics.config import AnalyticsConfig
        from actdesk.domain.pipeline.config import PipelineConfig
        from actdesk.domain.schedule.config import ScheduleSettings

        return cls(
            book,
            as_of,
            settings.section(ReportSettings),
            analytics=settings.section(AnalyticsConfig),
            schedule=settings.section(ScheduleSettings),
            pipeline=settings.section(PipelineConfig),
            progress=progress,
        )

    # A section left out of the context (tests, scripts) takes its defaults: nothing reads a settings file here.
    def analytics_config(self) -> AnalyticsConfig:
        if self.analytics is None:
            from actdesk.domain.analytics.config import AnalyticsConfig

            self.analytics = AnalyticsConfig()
        return self.analytics

    def pipeline_config(self) -> PipelineConfig:
        if self.pipeline is None:
            from actdesk.domain.pipeline.config import PipelineConfig

            self.pipeline = PipelineConfig()
        return self.pipeline

    def schedule_settings(self) -> ScheduleSettings:
        if self.schedule is None:
            from actdesk.domain.schedule.config import ScheduleSettings

            self.schedule = ScheduleSettings()
        return self.schedule

    def zone(self) -> tzinfo:
        from actdesk.services.schedule_zone import schedule_zone

        return schedule_zone(self.schedule_settings())

    def end_of_day(self) -> datetime:
        """The last instant of the as-of day in the advisor's zone (what "as of" means for the schedule)."""
        return datetime.combine(self.as_of, time(23, 59, 59), tzinfo=self.zone()).astimezone(UTC)

    def frames(self, months: int = 0) -> BookFrames:
        """The analytics engine's frames as of the report date (loaded once per run)."""
        key = (months,)
        if key not in self._frames:
            from actdesk.storage.analytics_data import load_book_frames

            with self.book.reader() as s:
                self._frames[key] = load_book_frames(s, self.as_of, months=months)
        return self._frames[key]

    def step(self, fraction: float, message: str = "") -> None:
        self.progress.check()
        self.progress.progress(fraction, message)


def as_of_subtitle(as_of: date, extra: str = "") -> str:
    text = _("As of {date}").format(date=format_date(as_of))
    return f"{text} · {extra}" if extra else text


def in_currency(what: str) -> str:
    """A money axis label: "Revenue (USD)"."""
    from actdesk.i18n import current_currency

    return _("{what} ({currency})").format(what=what, currency=current_currency())
