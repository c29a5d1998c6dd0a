"""The factors behind a retention probability, in the advisor's words and with the numbers."""

from __future__ import annotations

import math

import pandas as pd

from actdesk.i18n import _, format_percent, ngettext


def phrase(name: str, row: pd.Series) -> str | None:
    """One covariate of one household in words ("net outflows of 18% in 6 months"); None if unknown."""
    value = row.get(name)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if name == "flow_ratio_6m":
        if value < 0:
            return _("net outflows of {pct} in 6 months").format(pct=format_percent(-value, 0))
        if value > 0:
            return _("net inflows of {pct} in 6 months").format(pct=format_percent(value, 0))
        return _("no net flows in 6 months")
    if name == "wallet_trend_12m":
        if value < 0:
            return _("assets with us down {pct} in 12 months").format(pct=format_percent(-value, 0))
        if value > 0:
            return _("assets with us up {pct} in 12 months").format(pct=format_percent(value, 0))
        return _("assets with us flat over 12 months")
    if name == "days_since_contact":
        if pd.isna(row.get("last_contact")):
            return _("no contact on record")
        days = int(value)
        return ngettext("no contact in {n} day", "no contact in {n} days", days).format(n=days)
    if name == "contacts_12m":
        n = int(value)
        if n == 0:  # "no contact in N days" says it better
            return phrase("days_since_contact", row)
        return ngettext("{n} contact in 12 months", "{n} contacts in 12 months", n).format(n=n)
    if name == "age":
        return _("primary contact aged {n}").format(n=int(value))
    if name == "segment_a" and value:
        return _("segment A by fee revenue")
    if name == "segment_c" and value:
        return _("segment C by fee revenue")
    return None


def _signal_strength(name: str, row: pd.Series) -> float:
    """How worrying a raw signal is, for ranking when there is no fitted model (0 = not a warning)."""
    value = row.get(name)
    if value is None or pd.isna(value):
        return 0.0
    if name == "flow_ratio_6m":  # 10% out in 6 months ~ as worrying as 9 months without contact
        return max(0.0, -float(value) - 0.05) * 4.0
    if name == "wallet_trend_12m":
        return max(0.0, -float(value) - 0.10) * 2.0
    if name == "days_since_contact":
        return max(0.0, (float(value) - 180.0) / 365.0)
    return 0.0


def describe(row: pd.Series, contributions: dict[str, float] | None, top: int) -> list[str]:
    """The top factors of one household. With a fitted model, ranked by contribution (coefficient x the
    household's standardised deviation from the book's mean), the ones raising the risk first; without
    one, the warning signs among the raw signals, strongest first."""
    if contributions is None:
        scored = [
            (n, _signal_strength(n, row)) for n in ("flow_ratio_6m", "wallet_trend_12m", "days_since_contact")
        ]
        ranked = [n for n, s in sorted(scored, key=lambda x: -x[1]) if s > 0]
    else:
        ordered = sorted(contributions.items(), key=lambda kv: -kv[1])
        raising = [n for n, c in ordered if c > 0]
        ranked = raising or [n for n, _c in sorted(contributions.items(), key=lambda kv: -abs(kv[1]))]
    out: list[str] = []
    for name in ranked:
        text = phrase(name, row)
        if text and text not in out:
            out.append(text)
        if len(out) >= top:
            break
    return out
