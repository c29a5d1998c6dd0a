"""The schedule's service-level report (``actdesk.services.service_level``) as the aging and service-level
reports both read it: one build per report run."""

from __future__ import annotations

from actdesk.services.reports.base import ReportContext
from actdesk.services.service_level import ServiceReport, build_report


def service_report(ctx: ReportContext) -> ServiceReport:
    with ctx.book.reader() as s:
        return build_report(s, ctx.end_of_day(), ctx.zone(), ctx.schedule_settings(), ctx.analytics_config())
