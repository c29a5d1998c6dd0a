"""The reasons behind a retention probability, in the advisor's words and with the figure behind them."""

from __future__ import annotations

import math
from datetime import date

from actdesk.domain.analytics.dates import shift_months
from actdesk.formats import format_month
from actdesk.i18n import _, format_number, format_percent, ngettext


def phrase(name: str, value: float, landmark: date | None = None) -> str | None:
    """One landmark feature of one household in words ("net outflows of 18% in 6 months"); None when
    the value says nothing worth a sentence. ``landmark``: the month-end the features were read at, which
    lets months since the last contact be told as the month it was in ("no contact since Jul 2026"), the
    way the card's "Last contact" tile and the contact-gap alert give it (a date), not as a count of
    month-ends that reads as a different figure beside "143 days ago"."""
    if math.isnan(value):
        return None
    if name.startswith("net_flow_"):
        months = int(name.removeprefix("net_flow_").removesuffix("m"))
        if value < 0:
            return _("net outflows of {pct} in {n} months").format(pct=format_percent(-value, 0), n=months)
        if value > 0:
            return _("net inflows of {pct} in {n} months").format(pct=format_percent(value, 0), n=months)
        return None
    if name == "transfers_out_12m":
        return (
            _("transfers out of {pct} of assets in 12 months").format(pct=format_percent(value, 0))
            if value > 0
            else None
        )
    if name == "withdrawals_12m":
        return (
            _("withdrawals of {pct} of assets in 12 months").format(pct=format_percent(value, 0))
            if value > 0
            else None
        )
    if name == "distributions_12m":
        return (
            _("age-appropriate distributions of {pct} of assets in 12 months").format(
                pct=format_percent(value, 0)
            )
            if value > 0
            else None
        )
    if name == "outflow_jump_6m":
        if value > 0:
            return _(
                "outflows in the last 6 months running {pct} of assets a year above the year before"
            ).format(pct=format_percent(value, 0))
        if value < 0:
            return _(
                "outflows in the last 6 months running {pct} of assets a year below the year before"
            ).format(pct=format_percent(-value, 0))
        return None
    if name == "contacts_12m":
        n = round(value)
        return ngettext("{n} contact in 12 months", "{n} contacts in 12 months", n).format(n=n)
    if name == "service_requests_12m":
        n = round(value)
        return (
            ngettext("{n} service request in 12 months", "{n} service requests in 12 months", n).format(n=n)
            if n
            else None
        )
    if name == "service_overdue":
        n = round(value)
        return (
            ngettext("{n} service request overdue", "{n} service requests overdue", n).format(n=n)
            if n
            else None
        )
    if name == "vs_market_12m":
        if value < 0:
            return _("portfolio {pct} behind the book's median return over 12 months").format(
                pct=format_percent(-value, 0)
            )
        return _("portfolio {pct} ahead of the book's median return over 12 months").format(
            pct=format_percent(value, 0)
        )
    if name == "months_since_contact":
        n = round(value)
        if landmark is not None:
            return _("no contact since {month}").format(month=_month_back(landmark, n)) if n >= 1 else None
        return ngettext("no contact in {n} month", "no contact in {n} months", n).format(n=n)
    if name in ("no_contact_9m", "no_review_12m") or name.startswith("review_gap_"):
        return None  # the months themselves say it (months_since_contact / months_since_review)
    if name == "contact_change":
        n = abs(round(value))
        if n == 0:
            return None
        if value < 0:
            return ngettext(
                "{n} fewer contact a year than the year before",
                "{n} fewer contacts a year than the year before",
                n,
            ).format(n=n)
        return ngettext(
            "{n} more contact a year than the year before", "{n} more contacts a year than the year before", n
        ).format(n=n)
    if name == "months_since_review":
        n = round(value)
        if not n:
            return None
        if landmark is not None:
            return _("no review since {month}").format(month=_month_back(landmark, n))
        return ngettext("no review in {n} month", "no review in {n} months", n).format(n=n)
    if name == "investable_share_change":
        points = format_number(abs(value) * 100, 0)
        if value < 0:
            return _("share of investable assets with us down {n} points in 12 months").format(n=points)
        return _("share of investable assets with us up {n} points in 12 months").format(n=points)
    if name == "tenure_years":
        years = math.expm1(value)
        if years < 1:
            return _("client for less than a year")
        n = int(years)
        return ngettext("client for {n} year", "client for {n} years", n).format(n=n)
    if name == "new_client":
        return _("client for less than a year") if value else None
    if name == "returned":
        return _("came back after leaving") if value else None
    if name == "age_75_plus":
        return _("primary contact aged 75 or over") if value else None
    if name == "age_under_55":
        return _("primary contact under 55") if value else None
    if name == "life_events_12m":
        n = int(value)
        return (
            ngettext("{n} life event in 12 months", "{n} life events in 12 months", n).format(n=n)
            if n
            else None
        )
    if name == "fee_rate_change":
        points = format_number(abs(value), 2)
        if value > 0:
            return _("fees up {n} points of assets on a year before").format(n=points)
        if value < 0:
            return _("fees down {n} points of assets on a year before").format(n=points)
        return None
    if name == "referrer":
        return _("has referred clients") if value else _("has never referred anyone")
    return None


def _month_back(landmark: date, months: int) -> str:
    """The month ``months`` before the landmark's, "Jul 2026" kept on one line: the month of the last
    contact or review, or of the relationship's start, or 24 months back at the features' cap; none since
    then, whichever it is."""
    return format_month(shift_months(landmark, -months)).replace(" ", "\u00a0")
