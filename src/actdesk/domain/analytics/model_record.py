"""A fitted retention model as plain JSON-ready data, and back: what is kept between sessions.

Only the model is kept (coefficients, standardisation, covariance, recalibration, the backtest's
scores), never a household's figures: a reopened book loads the last two years of records and scores
them. A record written for other features or by another format version reads as None (refit).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np

from actdesk.domain.analytics.backtest import Backtest, Decile, Predictor, Score
from actdesk.domain.analytics.calibration import Isotonic
from actdesk.domain.analytics.landmark_model import Logistic, Platt
from actdesk.domain.analytics.landmarks import FEATURES
from actdesk.domain.analytics.survival import FittedRetention

FORMAT = 3  # 2: the backtest scores monthly landmarks (rows, households and landmarks kept); 3: the
# fee-rate change over the average assets (same feature names, other values: a model of 2 is refitted)


def to_record(fitted: FittedRetention) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "features": list(FEATURES),
        "as_of": fitted.as_of.isoformat(),
        "method": fitted.method,
        "signal": fitted.signal,
        "departures": fitted.departures,
        "origin_dates": [d.isoformat() for d in fitted.origin_dates],
        "predictor": _predictor(fitted.predictor),
        "backtest": _backtest(fitted.backtest) if fitted.backtest is not None else None,
    }


def from_record(data: dict[str, Any]) -> FittedRetention | None:
    """The fitted model of a record; None when it was written for other features or format."""
    if data.get("format") != FORMAT or data.get("features") != list(FEATURES):
        return None
    try:
        backtest = data["backtest"]
        return FittedRetention(
            date.fromisoformat(data["as_of"]),
            _read_backtest(backtest) if backtest is not None else None,
            str(data["method"]),
            data["signal"],
            _read_predictor(data["predictor"]),
            int(data["departures"]),
            [date.fromisoformat(d) for d in data["origin_dates"]],
        )
    except (KeyError, TypeError, ValueError):
        return None


def _calibration(c: Platt | Isotonic | None) -> dict[str, Any] | None:
    if c is None:
        return None
    if isinstance(c, Isotonic):
        return {
            "isotonic": {
                "knots": list(c.knots),
                "rates": list(c.rates),
                "a": c.a,
                "b": c.b,
                "low": _low(c.low),
            }
        }
    return {"platt": {"a": c.a, "b": c.b, "low": _low(c.low)}}


def _low(value: float) -> float | None:
    return None if not math.isfinite(value) else value


def _read_low(data: dict[str, Any]) -> float:
    value = data.get("low")
    return -math.inf if value is None else float(value)


def _read_calibration(data: dict[str, Any] | None) -> Platt | Isotonic | None:
    if data is None:
        return None
    if "isotonic" in data:
        iso = data["isotonic"]
        return Isotonic(
            tuple(float(v) for v in iso["knots"]),
            tuple(float(v) for v in iso["rates"]),
            float(iso["a"]),
            float(iso["b"]),
            _read_low(iso),
        )
    return Platt(float(data["platt"]["a"]), float(data["platt"]["b"]), _read_low(data["platt"]))


def _predictor(p: Predictor) -> dict[str, Any]:
    m = p.model
    return {
        "kind": p.kind,
        "model": None
        if m is None
        else {
            "columns": m.columns.tolist(),
            "mean": m.mean.tolist(),
            "scale": m.scale.tolist(),
            "intercept": m.intercept,
            "coef": m.coef.tolist(),
            "cov": m.cov.tolist(),
        },
        "calibration": _calibration(p.platt),
        "rate": p.rate,
        "departures": p.departures,
        "signal": p.signal,
        "client_years": p.client_years,
        "learnt_signs": {str(k): v for k, v in p.learnt_signs.items()},
    }


def _read_predictor(d: dict[str, Any]) -> Predictor:
    m = d["model"]
    model = (
        None
        if m is None
        else Logistic(
            np.array(m["columns"], dtype=np.int64),
            np.array(m["mean"], dtype=float),
            np.array(m["scale"], dtype=float),
            float(m["intercept"]),
            np.array(m["coef"], dtype=float),
            np.array(m["cov"], dtype=float),
        )
    )
    return Predictor(
        str(d["kind"]),
        model,
        _read_calibration(d["calibration"]) or Platt(),
        float(d["rate"]),
        int(d["departures"]),
        d["signal"],
        float(d["client_years"]),
        {int(k): float(v) for k, v in d["learnt_signs"].items()},
    )


def _score(s: Score) -> dict[str, Any]:
    return {
        "method": s.method,
        "auc": s.auc,
        "auc_se": s.auc_se,
        "brier": s.brier,
        "mean_predicted_retention": s.mean_predicted_retention,
        "observed_retention": s.observed_retention,
        "deciles": [[d.predicted_retention, d.observed_retention, d.households] for d in s.deciles],
        "chance_gap": s.chance_gap,
    }


def _read_score(d: dict[str, Any]) -> Score:
    return Score(
        str(d["method"]),
        d["auc"],
        d["auc_se"],
        float(d["brier"]),
        float(d["mean_predicted_retention"]),
        float(d["observed_retention"]),
        [Decile(float(p), float(o), int(n)) for p, o, n in d["deciles"]],
        float(d["chance_gap"]),
    )


def _backtest(b: Backtest) -> dict[str, Any]:
    return {
        "origins": list(b.origins),
        "observations": b.observations,
        "departures": b.departures,
        "scores": {name: _score(s) for name, s in b.scores.items()},
        "method": b.method,
        "signal": b.signal,
        "reason": b.reason,
        "calibration": _calibration(b.calibration),
        "departing_rows": b.departing_rows,
        "households": b.households,
        "landmarks": b.landmarks,
    }


def _read_backtest(d: dict[str, Any]) -> Backtest:
    return Backtest(
        [int(o) for o in d["origins"]],
        int(d["observations"]),
        int(d["departures"]),
        {name: _read_score(s) for name, s in d["scores"].items()},
        str(d["method"]),
        d["signal"],
        str(d["reason"]),
        _read_calibration(d["calibration"]),
        int(d["departing_rows"]),
        int(d["households"]),
        int(d["landmarks"]),
    )
