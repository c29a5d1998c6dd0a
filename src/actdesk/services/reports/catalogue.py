"""The report catalogue: every report's name, title, what it needs and where its builder lives.

This module imports nothing heavy (no pandas, no matplotlib), so the Reports panel can list the catalogue
before the window has finished painting; a report's builder is imported only when it is run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from actdesk.i18n import N_

if TYPE_CHECKING:
    from actdesk.services.reports.base import ReportContext
    from actdesk.services.reports.model import ReportData


@dataclass(frozen=True)
class ReportSpec:
    key: str  # the CLI name
    title: str  # untranslated; pass through _() to show
    description: str  # untranslated
    target: str  # "module:function" taking a ReportContext, returning ReportData
    # A permission checked by actdesk.services.team before building; None = everyone who can open the book.
    requires: str | None = None

    def build(self, ctx: ReportContext) -> ReportData:
        if self.requires is not None:  # e.g. assistants never see compensation (team feature)
            from actdesk.services.team import require

            require(ctx.book, self.requires)
        return self.builder()(ctx)

    def builder(self) -> Callable[[ReportContext], ReportData]:
        """The builder function, its module imported now (the command line loads it before it builds)."""
        module, _, name = self.target.partition(":")
        return cast("Callable[[ReportContext], ReportData]", getattr(importlib.import_module(module), name))


_B = "actdesk.services.reports.builders."
REPORTS: tuple[ReportSpec, ...] = (
    ReportSpec(
        "stack-ranking",
        N_("Stack ranking and trends"),
        N_("Households ranked by revenue, AUM and growth; the book's AUM and revenue trend."),
        _B + "ranking:build",
    ),
    ReportSpec(
        "investment",
        N_("Investment report"),
        N_("AUM by account type and custodian; managed vs held-away assets."),
        _B + "investment:build",
    ),
    ReportSpec(
        "fee-revenue",
        N_("Fee revenue"),
        N_("Revenue by month, segment and household; recurring vs one-off."),
        _B + "revenue:build",
    ),
    ReportSpec(
        "compensation",
        N_("Incentive compensation"),
        N_("Trailing-12-month production paid out at the payout grid, per owner."),
        _B + "compensation:build",
        requires="view_compensation",
    ),
    ReportSpec(
        "pipeline",
        N_("Pipeline and prospecting"),
        N_("Open opportunities by stage, weighted value, sources and results of the year."),
        _B + "pipeline:build",
    ),
    ReportSpec(
        "referrals",
        N_("Referrals and life events"),
        N_("Best referral sources and the life events of the last 12 months."),
        _B + "referrals:build",
    ),
    ReportSpec(
        "campaigns",
        N_("E-marketing campaigns"),
        N_("Sent, failed, uncertain and opt-outs per campaign."),
        _B + "campaigns:build",
    ),
    ReportSpec(
        "aging",
        N_("Aging report"),
        N_("Days since last contact and overdue tasks by age bucket."),
        _B + "aging:build",
    ),
    ReportSpec(
        "service-level",
        N_("Service level"),
        N_("Contact against the promised cadence, by segment."),
        _B + "service:build",
    ),
    ReportSpec(
        "leaderboard",
        N_("Leaderboard by owner"),
        N_("Activities, new households and revenue per owner (advisor, assistant, junior advisor)."),
        _B + "leaderboard:build",
    ),
)


class UnknownReport(KeyError):
    """No report of that name in the catalogue."""


def get(key: str) -> ReportSpec:
    for spec in REPORTS:
        if spec.key == key:
            return spec
    raise UnknownReport(key)


def names() -> list[str]:
    return [spec.key for spec in REPORTS]
