"""All KPIs of the book as of one date, as one plain dict (the shape of ``actdesk kpis --json``)."""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd

from actdesk.domain.analytics.aum import aum_change, household_aum_table, period_flows
from actdesk.domain.analytics.characteristics import distributions
from actdesk.domain.analytics.common import clients_on, fees_t12m, money
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.frames import BookFrames
from actdesk.domain.analytics.referrals import referral_sources
from actdesk.domain.analytics.retention import retention
from actdesk.domain.analytics.revenue import pareto_share, revenue_summary, stack_ranking
from actdesk.domain.analytics.segments import SEGMENTS, assign_segments, segment_mix
from actdesk.domain.analytics.survival import RetentionProbability
from actdesk.domain.analytics.valuation import book_value
from actdesk.domain.analytics.wallet import (
    book_share_of_investable_assets,
    book_share_of_wallet,
    relationship_depth,
    share_of_investable_assets,
    share_of_wallet,
)

STACK_RANKING_ROWS = 10


def vars_of(record: Any) -> dict[str, Any]:
    """A flat dataclass as a dict (``asdict`` deep-copies every field: slow over thousands of rows)."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def _check(frames: BookFrames, as_of: date) -> None:
    if as_of != frames.as_of:
        raise ValueError(f"frames were loaded as of {frames.as_of}, not {as_of}")


def compute_kpis(
    frames: BookFrames,
    as_of: date,
    config: AnalyticsConfig,
    probabilities: dict[int, RetentionProbability] | None = None,
) -> dict[str, Any]:
    """Keys: as_of, clients, aum{total,start,net_flows,market}, retention{client_rate,asset_rate},
    revenue{t12m,recurring_t12m}, share_of_wallet{book}, segments{A,B,C:{households,revenue,aum}},
    book_value{multiple,npv,...}, referral_sources[...] and more. Money as Decimal, rates as floats 0-1
    (None when undefined, e.g. no clients at the period start). ``probabilities`` (from
    ``retention_probabilities``) adds the per-household NPV; without them it is None."""
    _check(frames, as_of)
    change = aum_change(frames)
    kept = retention(frames)
    revenue = revenue_summary(frames)
    mix = segment_mix(frames, config)
    ranking = stack_ranking(frames)
    depth = relationship_depth(frames, as_of)
    clients = clients_on(frames, as_of)
    recurring_by_client = (  # only the per-household NPV reads it: thousands of Decimals otherwise
        None if probabilities is None else money_by_household(household_recurring(frames, as_of))
    )
    # Book value on the current clients' revenue: fees of households that already left are not revenue a
    # buyer gets. The multiple is the segments' values added up, so that they add up to it exactly.
    run_rate = money(int(household_recurring(frames, as_of).sum()))
    one_off = fees_t12m(frames, as_of)["one_off_cents"].reindex(clients, fill_value=0)
    value = book_value(
        run_rate,
        money(int(one_off.sum())),
        kept.client_rate,
        config,
        recurring_by_client,
        None if probabilities is None else {h: p.probability for h, p in probabilities.items()},
        multiple=sum((f.value for f in mix.at_end.values()), Decimal("0.00")),
    )
    held_away = household_aum_table(frames)["held_away"].sum()
    wallet = share_of_wallet(frames, as_of)
    investable = share_of_investable_assets(frames, as_of)
    return {
        "as_of": as_of,
        "period_start": frames.period_start,
        "clients": len(clients),
        "aum": {
            "total": change.end,
            "start": change.start,
            "net_flows": change.net_flows,
            "market": change.market,
            "inflows": change.inflows,
            "outflows": change.outflows,
            "held_away": money(int(held_away)),
        },
        "retention": {
            "client_rate": kept.client_rate,
            "asset_rate": kept.asset_rate,
            "assets_kept_rate": kept.assets_kept_rate,
            "net_outflow_rate": kept.net_outflow_rate,
            "clients_at_start": kept.clients_at_start,
            "retained": kept.retained,
            "outflows": kept.outflows,
            "departures": [vars_of(d) for d in kept.departures],
        },
        "revenue": {
            "t12m": revenue.t12m,
            "recurring_t12m": revenue.recurring_t12m,
            "one_off_t12m": revenue.one_off_t12m,
            "prior_t12m": revenue.prior_t12m,
            "growth": revenue.growth,
            "clients_t12m": revenue.clients_t12m,
            "pareto_share": pareto_share(ranking["revenue"], config.pareto_share),
            "pareto_top": config.pareto_share,
        },
        "share_of_wallet": {
            "book": book_share_of_wallet(frames, as_of),
            "book_start": book_share_of_wallet(frames, frames.period_start),
            "households_with_net_worth": len(wallet),
            "median": float(wallet.median()) if len(wallet) else None,
            # beside it, not to be confused with it: AUM / (AUM + held-away assets)
            "investable_book": book_share_of_investable_assets(frames, as_of),
            "investable_median": float(investable.median()) if len(investable) else None,
            "households_with_held_away": len(investable),
        },
        "segments": {
            s: {
                "households": f.households,
                "revenue": f.revenue,
                "aum": f.aum,
                "recurring": f.recurring,
                "value": f.value,
            }
            for s, f in mix.at_end.items()
        },
        "segment_mix": {
            "start": mix.start,
            "at_start": {s: vars_of(f) for s, f in mix.at_start.items()},
            "movers": [vars_of(m) for m in mix.movers],
            "value_change": mix.value_change,
            "value_change_total": mix.value_change_total,
        },
        "book_value": {
            **asdict(value),
            # the retention model's out-of-time record, one line, shown beside the figure it feeds
            "model_track_record": next(iter(probabilities.values())).track_record if probabilities else None,
        },
        "referral_sources": [vars_of(r) for r in referral_sources(frames, as_of)],
        "relationship_depth": {
            column: (None if depth.empty else float(depth[column].mean())) for column in depth.columns
        },
        "stack_ranking": [
            {
                "household_id": int(hid),
                "name": row["name"],
                "revenue": money(int(row["revenue"])),
                "aum": money(int(row["aum"])),
                "aum_growth": None if pd.isna(row["aum_growth"]) else float(row["aum_growth"]),
            }
            for hid, row in ranking.head(STACK_RANKING_ROWS).iterrows()
        ],
        "characteristics": {
            dim: [vars_of(b) for b in bands] for dim, bands in distributions(frames, as_of).items()
        },
    }


def household_recurring(frames: BookFrames, as_of: date) -> pd.Series:
    """Trailing-12-month recurring fees (cents) of every client household on ``as_of``: what the book value
    client by client discounts at each household's own retention probability."""
    clients = clients_on(frames, as_of)
    return fees_t12m(frames, as_of)["recurring_cents"].reindex(clients, fill_value=0).astype("int64")


def money_by_household(cents: pd.Series) -> dict[int, Decimal]:
    return {int(h): money(int(v)) for h, v in cents.items()}


def household_table(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> pd.DataFrame:
    """One row per client household on ``as_of`` (index household_id) with the numbers alert rules read,
    money in float dollars (statistics, not bookkeeping): aum, aum_6m, aum_12m, held_away,
    net_flows_6m, outflows_6m, share_of_wallet, share_of_wallet_12m, revenue_t12m, revenue_prev_t12m,
    segment, tenure_years."""
    _check(frames, as_of)
    table = household_aum_table(frames)
    ids = table.index
    out = pd.DataFrame(index=ids)
    for column in ("aum", "aum_6m", "aum_12m", "held_away"):
        out[column] = table[column] / 100.0
    recent = frames.flows[frames.flows["date"] == pd.Timestamp(frames.snapshots[0])].set_index("household_id")
    out["net_flows_6m"] = (recent["inflow_cents"] + recent["outflow_cents"]).reindex(
        ids, fill_value=0
    ) / 100.0
    out["outflows_6m"] = -recent["outflow_cents"].reindex(ids, fill_value=0) / 100.0
    out["net_flows_12m"] = period_flows(frames).sum(axis=1).reindex(ids, fill_value=0) / 100.0
    out["share_of_wallet"] = share_of_wallet(frames, as_of).reindex(ids)
    sow_then = share_of_wallet(frames, frames.period_start)
    out["share_of_wallet_12m"] = sow_then.reindex(ids)
    out["revenue_t12m"] = fees_t12m(frames, as_of)["total_cents"].reindex(ids, fill_value=0) / 100.0
    out["revenue_prev_t12m"] = (
        fees_t12m(frames, frames.period_start)["total_cents"].reindex(ids, fill_value=0) / 100.0
    )
    out["segment"] = pd.Series(assign_segments(frames, as_of, config)).reindex(ids)
    out["tenure_years"] = relationship_depth(frames, as_of)["tenure_years"]
    return out


__all__ = ["SEGMENTS", "compute_kpis", "household_recurring", "household_table", "money_by_household"]
