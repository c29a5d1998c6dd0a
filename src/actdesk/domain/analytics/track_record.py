"""The retention model's track record in words and as plain data: what the window, the card and the CLI
show beside the probabilities."""

from __future__ import annotations

from typing import Any

from actdesk.domain.analytics.backtest import BASE_RATE, MODEL, SIGNAL, Score
from actdesk.domain.analytics.survival import Assessment, RetentionProbability
from actdesk.i18n import N_, _, format_date, format_number, format_percent, ngettext

BASELINE_LABELS = {
    "base_rate": N_("book base rate"),
    "contact_recency": N_("contact recency"),
    "net_flows_6m": N_("6-month net flows"),
    "landmark": N_("retention model"),
}
REASON_TEXTS = {
    "model_beats_baselines": N_("the model beat every simple signal out of time"),
    "baseline_as_good": N_("a simple signal predicted as well as the model out of time"),
    "no_skill": N_("nothing in the records predicted departures out of time"),
    "too_few_departures": N_("too few departures to judge a model"),
    "too_little_history": N_("too little history for a backtest"),
}


def _auc(s: Score) -> str:
    return format_number(s.auc, 2) if s.auc is not None else _("n/a")


def track_record_line(a: Assessment) -> str:
    """One line: how the method in use did out of time, against what, on how many departures; a model
    fitted on an earlier state of the book says so first, with its date."""
    line = _track_record(a)
    if a.stale and a.fitted_on is not None:
        return _("Model fitted on {date}, before the book's latest changes. {line}").format(
            date=format_date(a.fitted_on), line=line
        )
    return line


def _track_record(a: Assessment) -> str:
    bt = a.backtest
    if bt is None or not bt.origins:
        return _("No track record yet: too little history for a backtest; showing the book's base rate.")
    years = len(bt.origins)
    model, best = bt.scores[MODEL], bt.best_baseline
    best_score = bt.scores[best] if best else None
    span = ngettext(
        "{n} yearly backtest, {d} departures", "{n} yearly backtests, {d} departures", years
    ).format(n=years, d=format_number(bt.departures))
    if a.method == MODEL and best_score is not None:
        return _(
            "Track record: AUC {auc} vs {best_auc} for {best} ({span}); predicted {pred} kept, {obs} observed."
        ).format(
            auc=_auc(model),
            best_auc=_auc(best_score),
            best=_(BASELINE_LABELS[best or ""]),
            span=span,
            pred=format_percent(model.mean_predicted_retention, 1),
            obs=format_percent(model.observed_retention, 1),
        )
    if a.method == SIGNAL and a.signal:
        chosen = bt.scores[a.signal]
        return _(
            "Risk from {signal} alone (AUC {auc}; the model {model_auc}) over {span}: the model did not do better."
        ).format(signal=_(BASELINE_LABELS[a.signal]), auc=_auc(chosen), model_auc=_auc(model), span=span)
    return _("No skill shown over {span} ({why}): every client shows the book's base rate.").format(
        span=span, why=_(REASON_TEXTS.get(bt.reason, "no_skill"))
    )


def probability_note(p: RetentionProbability) -> str:
    """The band and what it rests on: "95% band 91.2%-97.0%, based on 212 departures"."""
    rests = ngettext("based on {n} departure", "based on {n} departures", p.departures).format(
        n=format_number(p.departures)
    )
    if p.low is None or p.high is None:
        return rests
    return _("95% band {low}-{high}, {rests}").format(
        low=format_percent(p.low, 1), high=format_percent(p.high, 1), rests=rests
    )


def _score_dict(s: Score) -> dict[str, Any]:
    return {
        "auc": s.auc,
        "auc_standard_error": s.auc_se,
        "brier": s.brier,
        "mean_predicted_retention": s.mean_predicted_retention,
        "observed_retention": s.observed_retention,
        "max_decile_gap": s.max_decile_gap,
        "chance_decile_gap": s.chance_gap,
        "calibration": [
            {
                "predicted_retention": d.predicted_retention,
                "observed_retention": d.observed_retention,
                "households": d.households,
            }
            for d in s.deciles
        ],
    }


def backtest_dict(a: Assessment) -> dict[str, Any]:
    """The backtest as plain data (``actdesk probabilities --backtest --json``)."""
    bt = a.backtest
    out: dict[str, Any] = {
        "as_of": a.as_of,
        "method": a.method,
        "signal": a.signal,
        "departures_in_history": a.departures,
        "track_record": track_record_line(a),
        "fitted_on": a.fitted_on,
        "stale": a.stale,
    }
    if bt is None:
        out.update(
            origins=[],
            observations=0,
            departures=0,
            departing_rows=0,
            households_scored=0,
            landmarks=0,
            reason="too_little_history",
            model=None,
            baselines={},
        )
        return out
    out.update(
        origins=list(a.origin_dates),
        observations=bt.observations,
        departures=bt.departures,
        departing_rows=bt.departing_rows,
        households_scored=bt.households,
        landmarks=bt.landmarks,
        reason=bt.reason,
        reason_text=_(REASON_TEXTS.get(bt.reason, bt.reason)),
        best_baseline=bt.best_baseline,
        model=_score_dict(bt.scores[MODEL]),
        baselines={name: _score_dict(s) for name, s in bt.scores.items() if name != MODEL},
        uses_model=a.method == MODEL,
        fallback=a.method in (SIGNAL, BASE_RATE),
    )
    return out
