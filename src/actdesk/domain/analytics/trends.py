"""The book's monthly trends as charts and reports draw them (float dollars), from loaded frames.

In the domain so that a report needing only these (the stack ranking, fee revenue) does not import the
analytics service with its retention model and caches; ``services/analytics.py`` re-exports them.
"""

from __future__ import annotations

import pandas as pd

from actdesk.domain.analytics.frames import BookFrames


def aum_trend_of(frames: BookFrames) -> pd.DataFrame:
    """Monthly book AUM of loaded frames with its month's net flows and market effect: date, clients,
    aum, net_flows, market (float dollars, for charts; the first month has no market figure)."""
    monthly = frames.monthly
    out = pd.DataFrame({"date": monthly["date"], "clients": monthly["clients"]})
    out["aum"] = monthly["aum_cents"] / 100.0
    out["net_flows"] = (monthly["inflow_cents"] + monthly["outflow_cents"]) / 100.0
    out["market"] = out["aum"].diff() - out["net_flows"]
    return out


def monthly_revenue(frames: BookFrames) -> pd.DataFrame:
    """Fees per month of the loaded monthly series: date, recurring, one_off, total (cents)."""
    monthly = frames.monthly
    return pd.DataFrame(
        {
            "date": monthly["date"],
            "recurring": monthly["recurring_cents"],
            "one_off": monthly["one_off_cents"],
            "total": monthly["recurring_cents"] + monthly["one_off_cents"],
        }
    )


def revenue_trend_of(frames: BookFrames) -> pd.DataFrame:
    """Monthly fee revenue of loaded frames: date, recurring, one_off, total (float dollars)."""
    revenue = monthly_revenue(frames)
    for column in ("recurring", "one_off", "total"):
        revenue[column] = revenue[column] / 100.0
    return revenue


def monthly_share_of_wallet(frames: BookFrames) -> pd.DataFrame:
    """The book-wide share of wallet per month of the loaded monthly series."""
    monthly = frames.monthly
    out = pd.DataFrame({"date": monthly["date"]})
    denominator = monthly["net_worth_cents"].where(monthly["net_worth_cents"] > 0)
    out["share_of_wallet"] = (monthly["aum_known_net_worth_cents"] / denominator).astype("float64")
    return out
