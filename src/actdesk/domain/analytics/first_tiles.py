"""The Book dashboard's first tiles from a handful of SQL sums, before any frame is loaded (issue 21).

The sums are the same quantities ``compute_kpis`` derives from the book's frames (docs/metrics.md), read by
aggregate queries (``storage/repositories/first_tiles.py``); this module turns them into the same keys and
values, so the tiles show the book's current numbers while pandas and the frames load. No pandas here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.valuation import book_value
from actdesk.domain.money import ZERO, from_cents


@dataclass(frozen=True)
class TileSums:
    """Integer cents and counts over the 12 months (start, as_of]; "client on D" as everywhere: one of the
    household's client periods holds D (client_since <= D and (client_until empty or after D) for its
    latest, the household's own columns)."""

    clients: int  # clients on as_of
    clients_at_start: int  # clients on start
    retained: int  # clients on start still clients on as_of
    aum: int  # managed balance of as_of's clients on as_of (each account's latest on or before)
    aum_start: int  # the same on start
    inflows: int  # managed-account flows in the period of households that were clients during it
    outflows: int  # (negative)
    start_outflows: int  # negative flows in the period of start's clients (negative)
    fees: int  # every fee in the period, whoever paid it
    recurring: int
    one_off: int
    prior_fees: int  # every fee in the 12 months before start
    run_rate: int  # recurring fees in the period of as_of's clients
    start_inflows: int = 0  # positive flows in the period of start's clients
    lost: int = 0  # managed balance on start of start's clients who are not clients on as_of


def _money(cents: int) -> Any:
    return from_cents(cents) or ZERO


def first_kpis(sums: TileSums, as_of: date, start: date, config: AnalyticsConfig) -> dict[str, Any]:
    """The subset of ``compute_kpis`` the tiles show, equal key for key: as_of, period_start, clients,
    aum{total,start,net_flows,market,inflows,outflows}, retention{client_rate,asset_rate,assets_kept_rate,net_outflow_rate,clients_at_start,
    retained,outflows}, revenue{t12m,recurring_t12m,one_off_t12m,prior_t12m,growth}, book_value."""
    net = sums.inflows + sums.outflows
    client_rate = None if not sums.clients_at_start else sums.retained / sums.clients_at_start
    lost = -sums.start_outflows
    t12m, prior = _money(sums.fees), _money(sums.prior_fees)
    value = book_value(_money(sums.run_rate), _money(sums.one_off), client_rate, config)
    return {
        "as_of": as_of,
        "period_start": start,
        "clients": sums.clients,
        "aum": {
            "total": _money(sums.aum),
            "start": _money(sums.aum_start),
            "net_flows": _money(net),
            "market": _money(sums.aum - sums.aum_start - net),
            "inflows": _money(sums.inflows),
            "outflows": _money(sums.outflows),
        },
        "retention": {
            "client_rate": client_rate,
            "asset_rate": None if sums.aum_start <= 0 else 1.0 - lost / sums.aum_start,
            "assets_kept_rate": None if sums.aum_start <= 0 else 1.0 - sums.lost / sums.aum_start,
            "net_outflow_rate": None
            if sums.aum_start <= 0
            else -(sums.start_inflows + sums.start_outflows) / sums.aum_start,
            "clients_at_start": sums.clients_at_start,
            "retained": sums.retained,
            "outflows": _money(lost),
        },
        "revenue": {
            "t12m": t12m,
            "recurring_t12m": _money(sums.recurring),
            "one_off_t12m": _money(sums.one_off),
            "prior_t12m": prior,
            "growth": None if prior <= 0 else float(t12m / prior - 1),
        },
        "book_value": {**asdict(value), "model_track_record": None},
    }
