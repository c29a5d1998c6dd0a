"""All KPIs of the book as of one date, as one plain dict (the shape of ``actdesk kpis --json``).

Computed from ``BookRecords`` in plain Python, money in integer cents until it becomes Decimal: no pandas
on this path (issue 21), so that the KPIs of a small book cost little more than the SQL that reads it.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any

from actdesk.domain.analytics.aum import aum_change, household_aum, money
from actdesk.domain.analytics.characteristics import distributions
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.probability import RetentionProbability
from actdesk.domain.analytics.records import BookRecords
from actdesk.domain.analytics.referrals import referral_sources
from actdesk.domain.analytics.retention import retention
from actdesk.domain.analytics.revenue import pareto_share, ranked_by_revenue, revenue_summary, stack_ranking
from actdesk.domain.analytics.segments import SEGMENTS, segment_mix
from actdesk.domain.analytics.valuation import book_value
from actdesk.domain.analytics.wallet import (
    DEPTH_COLUMNS,
    book_share_of_investable_assets,
    book_share_of_wallet,
    median,
    relationship_depth,
    share_of_investable_assets,
    share_of_wallet,
)

STACK_RANKING_ROWS = 10


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def vars_of(record: Any) -> dict[str, Any]:
    """A flat dataclass as a dict (``asdict`` deep-copies every field: slow over thousands of rows; the
    field names are looked up once per class, ``fields`` costs more than the copy)."""
    names = _FIELD_NAMES.get(type(record))
    if names is None:
        names = _FIELD_NAMES[type(record)] = tuple(f.name for f in fields(record))
    return {name: getattr(record, name) for name in names}


def compute_kpis(
    records: BookRecords,
    as_of: date,
    config: AnalyticsConfig,
    probabilities: dict[int, RetentionProbability] | None = None,
) -> dict[str, Any]:
    """Keys: as_of, clients, aum{total,start,net_flows,market}, retention{client_rate,asset_rate},
    revenue{t12m,recurring_t12m}, share_of_wallet{book}, segments{A,B,C:{households,revenue,aum}},
    book_value{multiple,npv,...}, referral_sources[...] and more. Money as Decimal, rates as floats 0-1
    (None when undefined, e.g. no clients at the period start). ``probabilities`` (from
    ``retention_probabilities``) adds the per-household NPV; without them it is None."""
    if as_of != records.as_of:
        raise ValueError(f"records were loaded as of {records.as_of}, not {as_of}")
    change = aum_change(records)
    kept = retention(records)
    revenue = revenue_summary(records)
    mix = segment_mix(records, config)
    ranked = ranked_by_revenue(records, as_of)  # every client, best first: the stack ranking's order
    depth = list(relationship_depth(records, as_of).values())
    clients = household_aum(records)
    fees = records.fees_t12m(as_of)
    # Book value on the current clients' revenue: fees of households that already left are not revenue a
    # buyer gets. The multiple is the segments' values added up, so that they add up to it exactly.
    paid = [fees[h] for h in clients if h in fees]
    run_rate, one_off = sum(f[0] for f in paid), sum(f[1] for f in paid)
    value = book_value(
        money(run_rate),
        money(one_off),
        kept.client_rate,
        config,
        None if probabilities is None else household_recurring(records, as_of),
        None if probabilities is None else {h: p.probability for h, p in probabilities.items()},
        multiple=sum((f.value for f in mix.at_end.values()), Decimal("0.00")),
    )
    wallet = list(share_of_wallet(records, as_of).values())
    investable = list(share_of_investable_assets(records, as_of).values())
    return {
        "as_of": as_of,
        "period_start": records.period_start,
        "clients": len(clients),
        "aum": {
            "total": change.end,
            "start": change.start,
            "net_flows": change.net_flows,
            "market": change.market,
            "inflows": change.inflows,
            "outflows": change.outflows,
            "held_away": money(sum(a.held_away for a in clients.values())),
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
            "pareto_share": pareto_share([row[5] for row in ranked], config.pareto_share),
            "pareto_top": config.pareto_share,
        },
        "share_of_wallet": {
            "book": book_share_of_wallet(records, as_of),
            "book_start": book_share_of_wallet(records, records.period_start),
            "households_with_net_worth": len(wallet),
            "median": median(wallet),
            # beside it, not to be confused with it: AUM / (AUM + held-away assets)
            "investable_book": book_share_of_investable_assets(records, as_of),
            "investable_median": median(investable),
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
        "referral_sources": [vars_of(r) for r in referral_sources(records, as_of)],
        "relationship_depth": {
            column: (sum(values) / len(depth) if depth else None)
            for column, values in zip(
                DEPTH_COLUMNS, zip(*depth, strict=True) if depth else [()] * 5, strict=True
            )
        },
        "stack_ranking": [
            {
                "household_id": r.household_id,
                "name": r.name,
                "revenue": money(r.revenue),
                "aum": money(r.aum),
                "aum_growth": r.aum_growth,
            }
            for r in stack_ranking(records, STACK_RANKING_ROWS)
        ],
        "characteristics": {
            dim: [vars_of(b) for b in bands] for dim, bands in distributions(records, as_of).items()
        },
    }


def household_recurring(records: BookRecords, as_of: date) -> dict[int, Decimal]:
    """Trailing-12-month recurring fees of every client household on ``as_of``: what the book value
    client by client discounts at each household's own retention probability."""
    fees = records.fees_t12m(as_of)
    return {h: money(fees[h][0] if h in fees else 0) for h in records.clients_on(as_of)}


__all__ = ["SEGMENTS", "compute_kpis", "household_recurring"]
