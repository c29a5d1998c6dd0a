"""Retention probability per client household: a penalised Cox model fitted on the book's own history.

One row per household that was ever a client: duration = months as a client up to leaving or the as-of
date, event = it left. Covariates are measured at each household's observation time (the as-of date for
current clients, ``exit_signal_lag_months`` before leaving for former ones, so that the exit transfer
itself is not mistaken for a warning sign). Tenure is the model's time axis, not a covariate. The
probability of still being a client 12 months after D is S(t + 12) / S(t), t = the household's tenure on
D. With fewer than ``min_departures_for_model`` departures, or when the fit fails, every household gets
the base rate (the book's own history shrunk toward the industry rate). See docs/metrics.md.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.dates import years_between
from actdesk.domain.analytics.factors import describe
from actdesk.domain.analytics.frames import BookFrames

log = logging.getLogger(__name__)

COVARIATES = (
    "flow_ratio_6m",
    "wallet_trend_12m",
    "contacts_12m",
    "days_since_contact",
    "age",
    "segment_a",
    "segment_c",
)
MONTH_DAYS = 30.4375
PSEUDO_YEARS = 20.0  # weight of the industry rate when the book's own history is thin


@dataclass(frozen=True)
class RetentionProbability:
    household_id: int
    probability: float  # of still being a client 12 months after the as-of date, 0-1
    factors: list[str] = field(default_factory=list)  # in words with numbers, strongest first
    model: str = "cox"  # "cox" or "base_rate"


def design_matrix(frames: BookFrames, as_of: date, config: AnalyticsConfig) -> pd.DataFrame:
    """One row per household ever a client by ``as_of``: duration (months), event (left) and covariates.
    Raw values are kept in the frame too (``raw_*``), for the factors in words."""
    obs = frames.observations
    if obs is None:
        raise ValueError("frames were loaded without history; load them with history=True")
    if obs.empty:
        return pd.DataFrame(columns=["duration", "event", *COVARIATES])
    households = frames.households
    table = obs.set_index("household_id").copy()
    since = households["client_since"].reindex(table.index)
    until = households["client_until"].reindex(table.index)
    as_of_ts = pd.Timestamp(as_of)
    left = until.notna() & (until <= as_of_ts)
    end = until.where(left, as_of_ts)
    table["duration"] = ((end - since).dt.days / MONTH_DAYS).clip(lower=0.5)
    table["event"] = left.astype(int)
    aum, aum6, aum12 = (table[c].astype("float64") for c in ("aum_cents", "aum_6m_cents", "aum_12m_cents"))
    table["flow_ratio_6m"] = (table["net_flows_6m_cents"] / aum6.where(aum6 > 0)).clip(-1, 1).fillna(0.0)
    table["wallet_trend_12m"] = ((aum - aum12) / aum12.where(aum12 > 0)).clip(-1, 1).fillna(0.0)
    table["contacts_12m"] = table["contacts_12m"].astype("float64")
    obs_ts = table["obs_date"]
    last = (
        table["last_contact"].dt.tz_localize(None)
        if table["last_contact"].dt.tz is not None
        else table["last_contact"]
    )
    since_days = (obs_ts - since).dt.days
    table["days_since_contact"] = (
        (obs_ts - last.dt.normalize()).dt.days.fillna(since_days).clip(0, 730).astype("float64")
    )
    table["age"] = _primary_age(frames, table)
    table["segment"] = _pooled_segment(table, config)
    table["segment_a"] = (table["segment"] == "A").astype(float)
    table["segment_c"] = (table["segment"] == "C").astype(float)
    return table


def _primary_age(frames: BookFrames, table: pd.DataFrame) -> pd.Series:
    birth = frames.members["birth_date"].reindex(table.index)
    return ((table["obs_date"] - birth).dt.days / 365.25).astype("float64")


def _pooled_segment(table: pd.DataFrame, config: AnalyticsConfig) -> pd.Series:
    """A/B/C by T12M revenue at the observation time, ranked over all observations (a household that left
    in 2019 is compared with today's clients: good enough for a covariate, and stated in the docs)."""
    revenue = (
        table["revenue_12m_cents"].astype("float64")
        if "revenue_12m_cents" in table
        else pd.Series(0.0, index=table.index)
    )
    order = revenue.rank(ascending=False, method="first")
    n = len(order)
    a = math.ceil(n * config.segment_a_share - 1e-9)
    ab = math.ceil(n * (config.segment_a_share + config.segment_b_share) - 1e-9)
    return pd.Series(np.where(order <= a, "A", np.where(order <= ab, "B", "C")), index=table.index)


def base_rate(table: pd.DataFrame, config: AnalyticsConfig) -> float:
    """The book's own annual retention, 1 - departures / client-years, shrunk toward the industry rate
    with the weight of ``PSEUDO_YEARS`` client-years, so that a young book does not claim 100%."""
    if table.empty:
        return config.base_retention_rate
    years = float(table["duration"].sum()) / 12.0
    departures = float(table["event"].sum())
    hazard = (departures + PSEUDO_YEARS * (1.0 - config.base_retention_rate)) / (years + PSEUDO_YEARS)
    return float(min(1.0, max(0.0, 1.0 - hazard)))


def retention_probabilities(
    frames: BookFrames, as_of: date, config: AnalyticsConfig
) -> dict[int, RetentionProbability]:
    """Probability per current client household (keyed by household id); empty for an empty book."""
    table = design_matrix(frames, as_of, config)
    if table.empty:
        return {}
    current = table[table["event"] == 0]
    if current.empty:
        return {}
    events = int(table["event"].sum())
    fitted = _fit(table, config) if events >= config.min_departures_for_model else None
    if fitted is None:
        rate = base_rate(table, config)
        return {
            int(hid): RetentionProbability(
                int(hid), rate, describe(row, None, config.top_factors), "base_rate"
            )
            for hid, row in current.iterrows()
        }
    return _predict(fitted, table, current, config)


@dataclass
class _Fit:
    columns: list[str]
    mean: pd.Series
    scale: pd.Series
    params: pd.Series
    times: np.ndarray
    cumhaz: np.ndarray


def _fit(table: pd.DataFrame, config: AnalyticsConfig) -> _Fit | None:
    from lifelines import CoxPHFitter  # slow to import (scipy, autograd): only when a model is fitted

    covariates = table[list(COVARIATES)].astype("float64")
    covariates = covariates.fillna(covariates.mean())
    scale = covariates.std(ddof=0)
    columns = [c for c in COVARIATES if scale[c] > 1e-9]
    if not columns:
        return None
    mean = covariates[columns].mean()
    z = (covariates[columns] - mean) / scale[columns]
    data = z.assign(duration=table["duration"], event=table["event"])
    try:
        cph = CoxPHFitter(penalizer=config.cox_penalizer)
        cph.fit(data, duration_col="duration", event_col="event")
    except Exception as exc:  # lifelines raises ConvergenceError, LinAlgError, ValueError...
        log.warning("retention model did not fit (%s); using the base rate", exc)
        return None
    if not np.all(np.isfinite(cph.params_.to_numpy())):
        return None
    # lifelines' baseline is at the centred covariates; ours are standardised, so centred at 0 already.
    baseline = cph.baseline_cumulative_hazard_.iloc[:, 0]
    return _Fit(
        columns,
        mean,
        scale[columns],
        cph.params_.copy(),
        baseline.index.to_numpy(float),
        baseline.to_numpy(float),
    )


def _cumulative_hazard(fit: _Fit, t: np.ndarray) -> np.ndarray:
    """H0(t): a step function on the observed event times, extended past the last one at the book's
    average hazard so that long-tenured clients are not declared certain to stay."""
    times, cumhaz = fit.times, fit.cumhaz
    idx = np.searchsorted(times, t, side="right") - 1
    inside = np.where(idx >= 0, cumhaz[np.clip(idx, 0, None)], 0.0)
    t_max = times[-1] if len(times) else 0.0
    slope = cumhaz[-1] / t_max if t_max > 0 else 0.0
    return np.where(t > t_max, cumhaz[-1] + slope * (t - t_max), inside)


def _predict(
    fit: _Fit, table: pd.DataFrame, current: pd.DataFrame, config: AnalyticsConfig
) -> dict[int, RetentionProbability]:
    covariates = current[fit.columns].astype("float64").fillna(fit.mean)
    z = (covariates - fit.mean) / fit.scale
    contributions = z * fit.params[fit.columns]
    risk = np.exp(contributions.sum(axis=1).to_numpy())
    t = current["duration"].to_numpy(float)
    increment = _cumulative_hazard(fit, t + 12.0) - _cumulative_hazard(fit, t)
    probability = np.exp(-increment * risk)
    out: dict[int, RetentionProbability] = {}
    for (hid, row), p, contrib in zip(
        current.iterrows(), probability, contributions.itertuples(index=False), strict=True
    ):
        ranked = dict(zip(fit.columns, contrib, strict=True))
        out[int(hid)] = RetentionProbability(
            int(hid), float(p), describe(row, ranked, config.top_factors), "cox"
        )
    return out


def concordance(
    frames: BookFrames, as_of: date, probabilities: dict[int, RetentionProbability], horizon_end: date
) -> float | None:
    """Harrell's C of the probabilities against what happened by ``horizon_end`` (needs the households
    frame to know later departures): 1 = perfect ranking, 0.5 = a coin."""
    from lifelines.utils import concordance_index

    households = frames.households.reindex(list(probabilities))
    until = households["client_until"]
    left = until.notna() & (until <= pd.Timestamp(horizon_end))
    horizon = years_between(as_of, horizon_end) * 12
    times = ((until.where(left) - pd.Timestamp(as_of)).dt.days / MONTH_DAYS).fillna(horizon).clip(lower=0.01)
    if left.sum() == 0 or left.all():
        return None
    scores = [probabilities[h].probability for h in households.index]
    return float(concordance_index(times.to_numpy(), scores, left.astype(int).to_numpy()))
