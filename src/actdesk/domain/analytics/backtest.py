"""Fitting at an origin and judging out of time: the model, the simple baselines and the rule between them.

At an origin month T the training landmarks are the month-ends up to T - horizon (every ``step``
months), whose outcomes are known by T; nothing after T is read. The model is recalibrated on
out-of-time predictions only (isotonic, or Platt scaling on few departures, see ``calibration.py``): a
model trained up to T - 2 x horizon predicts the landmarks of (T - 2 x horizon, T - horizon], and the
recalibration learnt there is applied to the model trained on everything up to T - horizon; once earlier
origins have been scored, their pooled out-of-time predictions whose outcomes are known at T are used
instead. The backtest repeats this at yearly origins before the as-of date, as the product is used: each
origin's fit scores every month-end landmark of the following year (outcome known by the as-of date)
against what happened in the horizon after it, with the decile gap that chance alone can explain beside it
(a bootstrap over households: a household's overlapping landmarks move together).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from actdesk.domain.analytics.calibration import Isotonic, fit_isotonic
from actdesk.domain.analytics.config import AnalyticsConfig
from actdesk.domain.analytics.landmark_model import (
    Logistic,
    Platt,
    auc,
    auc_standard_error,
    clip_probability,
    fit_logistic,
    fit_platt,
    sigmoid,
)
from actdesk.domain.analytics.landmarks import (
    BASELINE_SIGNALS,
    FEATURES,
    FeatureBuilder,
    Landmarks,
    stack,
)
from actdesk.domain.analytics.probability import BASE_RATE as BASE_RATE
from actdesk.domain.analytics.probability import MODEL as MODEL
from actdesk.domain.analytics.probability import SIGNAL as SIGNAL

FIRST_LANDMARK = 12  # a year of history before the first landmark, for the 12-month features
MAX_STAYER_ROWS = 15_000


class LandmarkTable:
    """All landmarks of a history computed once (monthly), sliced for each origin's training set."""

    def __init__(self, builder: FeatureBuilder, horizon: int) -> None:
        self.builder = builder
        self.horizon = horizon
        self.by_month: dict[int, Landmarks] = {}

    def at(self, t: int) -> Landmarks:
        if t not in self.by_month:
            self.by_month[t] = self.builder.at(t, self.horizon)
        return self.by_month[t]

    def release(self, before: int, step: int, anchor: int) -> None:
        """Forget the months before ``before`` off the training grid (``anchor``, ``anchor - step``, ...):
        a backtest moving forward reads them no more (its folds and scored years lie ahead), while every
        training set reads the grid's. A month asked for again is computed again, to the same numbers.
        At 10,000 households the table held 89 months (55 MB) at the model's peak memory."""
        for t in [t for t in self.by_month if t < before and (anchor - t) % step]:
            del self.by_month[t]

    def training(self, first: int, last: int, step: int) -> Landmarks:
        """Landmarks at ``last``, ``last - step``, ... down to ``first`` with known outcomes. On a large
        book the stayers are subsampled (deterministically) to about ``MAX_STAYER_ROWS`` and weighted up
        by the inverse of their sampling rate, which leaves the fitted probabilities unbiased."""
        parts = [self.at(t) for t in range(last, first - 1, -step)]
        stayers = sum(int((p.y == 0).sum()) for p in parts)
        rate = min(1.0, MAX_STAYER_ROWS / stayers) if stayers else 1.0
        kept = []
        for p in parts:  # subsampled landmark by landmark: the whole stack is never built
            keep = p.y >= 0
            if rate < 1.0:
                draw = ((p.rows.astype(np.int64) * 7919 + p.month * 104729) % 10007) / 10007.0
                keep &= (p.y == 1) | (draw < rate)
            weight = np.where(p.y[keep] == 1, 1.0, 1.0 / rate)
            kept.append(Landmarks(p.rows[keep], p.month[keep], p.x[keep], p.y[keep], weight))
        out = stack(kept)
        return replace(out, weight=np.concatenate([k.w for k in kept]) if kept else np.zeros(0))


@dataclass(frozen=True)
class Predictor:
    """What predicts at one origin: the landmark model, one simple signal, or the base rate."""

    kind: str
    model: Logistic | None
    platt: Platt | Isotonic  # the recalibration of the logit, learnt out of time
    rate: float  # the training landmarks' departure rate
    departures: int  # departures among the training landmarks' outcomes (distinct periods)
    signal: str | None = None
    client_years: float = 0.0
    learnt_signs: dict[int, float] = field(default_factory=dict)  # feature -> sign of its link in the data

    def leave_logit(self, x: np.ndarray) -> np.ndarray:
        if self.model is None:
            return np.full(len(x), float(np.log(self.rate / (1 - self.rate))))
        return self.model.logit(x)

    def leave_probability(self, x: np.ndarray) -> np.ndarray:
        if self.model is None:
            return clip_probability(np.full(len(x), self.rate))
        return self.platt.apply(self.leave_logit(x))

    def band(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """95% band of the probability of leaving (low, high)."""
        if self.model is None:
            from actdesk.domain.analytics.landmark_model import wilson

            low, high = wilson(self.rate * self.client_years, max(self.client_years, 1.0))
            return clip_probability(np.full(len(x), low)), clip_probability(np.full(len(x), high))
        # Read at the point the probability is read (the recalibration is flat below ``low``); the lower
        # end follows the slope there, so that the safest households' band does not collapse to a point.
        logit = np.maximum(self.leave_logit(x), self.platt.low)
        se = self.model.logit_se(x)
        sloped = replace(self.platt, low=-np.inf)
        return sloped.apply(logit - 1.96 * se), self.platt.apply(logit + 1.96 * se)


PENALTIES = (3.0, 30.0, 300.0)  # ridge penalties per 1,000 rows tried on the out-of-time fold


def _tune(table: LandmarkTable, origin: int, config: AnalyticsConfig) -> tuple[float, Platt | Isotonic]:
    """The penalty and the recalibration, both learnt out of time: models trained up to
    origin - 2 x horizon predict the landmarks of the following horizon (outcomes known by the origin);
    the penalty with the lowest log loss there wins, and Platt scaling is fitted on its predictions."""
    h, step = table.horizon, config.landmark_step_months
    early = table.training(FIRST_LANDMARK, origin - 2 * h, step)
    fold = table.training(origin - 2 * h + 1, origin - h, 1)
    if len(early) == 0 or len(fold) == 0 or early.y.sum() == 0 or fold.y.sum() == 0:
        return config.model_penalty, Platt()
    y = fold.y.astype(float)
    best: tuple[float, float, Logistic] | None = None
    for penalty in sorted({config.model_penalty, *PENALTIES}):
        fitted = fit_logistic(early.x, early.y.astype(float), penalty, None, early.w)
        if fitted is None:
            continue
        p = np.clip(sigmoid(fitted.logit(fold.x)), 1e-6, 1 - 1e-6)
        loss = float(-np.average(y * np.log(p) + (1 - y) * np.log(1 - p), weights=fold.w))
        if best is None or loss < best[0]:
            best = (loss, penalty, fitted)
    if best is None:
        return config.model_penalty, Platt()
    logit = best[2].logit(fold.x)
    # The fold holds each household at up to ``h`` monthly landmarks: weighted 1/h, a departure counts once.
    return best[1], fit_isotonic(logit, y, fold.w / h) or fit_platt(logit, y, fold.w)


def _departures(table: Landmarks) -> int:
    """Distinct departures behind a training set: rows (household, landmark) that left, counted once per
    household and year of landmark so that overlapping windows do not multiply one departure."""
    left = table.y == 1
    return len(set(zip(table.rows[left].tolist(), (table.month[left] // 12).tolist(), strict=True)))


def fit_at(
    table: LandmarkTable, origin: int, kind: str, config: AnalyticsConfig, signal: str | None = None
) -> Predictor | None:
    """The predictor of ``kind`` trained with what was known at month ``origin``; None without data."""
    h, step = table.horizon, config.landmark_step_months
    train = table.training(FIRST_LANDMARK, origin - h, step)
    if len(train) == 0:
        return None
    y = train.y.astype(float)
    rate = float(np.clip((y * train.w).sum() / train.w.sum(), 1e-4, 1 - 1e-4))
    departures = _departures(train)
    years = float(train.w.sum()) * step / 12.0
    if kind == BASE_RATE or y.sum() == 0:
        return Predictor(BASE_RATE, None, Platt(), rate, departures, None, years)
    columns = [FEATURES.index(signal)] if signal else None
    penalty, platt = config.model_penalty, Platt()
    calibration: Platt | Isotonic = platt
    if kind == MODEL:
        penalty, calibration = _tune(table, origin, config)
    model = fit_logistic(train.x, y, penalty, columns, train.w)
    if model is None:
        return Predictor(BASE_RATE, None, Platt(), rate, departures, None, years)
    signs = {int(c): float(np.sign(np.corrcoef(train.x[:, c], y)[0, 1])) for c in model.columns}
    return Predictor(kind, model, calibration, rate, departures, signal, years, signs)


@dataclass(frozen=True)
class Decile:
    predicted_retention: float
    observed_retention: float
    households: int


@dataclass(frozen=True)
class Score:
    """Out-of-time figures of one method, pooled over the origins."""

    method: str
    auc: float | None
    auc_se: float | None
    brier: float
    mean_predicted_retention: float
    observed_retention: float
    deciles: list[Decile]

    chance_gap: float = 0.0  # the worst decile gap a perfectly calibrated model shows by chance (95th pct)

    @property
    def max_decile_gap(self) -> float:
        return max((abs(d.predicted_retention - d.observed_retention) for d in self.deciles), default=0.0)


def score(
    method: str,
    p_leave: np.ndarray,
    y: np.ndarray,
    households: np.ndarray | None = None,
    independent: tuple[float, float] | None = None,
) -> Score:
    """AUC, Brier score and the decile table of predictions ``p_leave`` against outcomes ``y``. Rows of
    the same household (``households``) are correlated (overlapping windows): the chance band resamples
    households, not rows, and the AUC's standard error counts ``independent`` (departures, stayers)
    observations rather than rows (default: the rows)."""
    a = auc(p_leave, y)
    positives, negatives = independent or (float(y.sum()), float(len(y) - y.sum()))
    se = auc_standard_error(a, positives, negatives) if a is not None else None
    return Score(
        method,
        a,
        se,
        float(np.mean((p_leave - y) ** 2)) if len(y) else 0.0,
        float(1 - p_leave.mean()) if len(y) else 0.0,
        float(1 - y.mean()) if len(y) else 0.0,
        deciles(p_leave, y),
        chance_gap(p_leave, y, households),
    )


def chance_gap(
    p_leave: np.ndarray,
    y: np.ndarray,
    households: np.ndarray | None = None,
    draws: int = 200,
    quantile: float = 0.95,
) -> float:
    """How far the worst tenth of predicted risk can land from its expected gap by chance alone: the
    ``quantile`` of ``chance_deviations``. 0 when there is nothing to sort."""
    worst = chance_deviations(p_leave, y, households, draws)
    return float(np.quantile(worst, quantile)) if len(worst) else 0.0


def chance_deviations(
    p_leave: np.ndarray, y: np.ndarray, households: np.ndarray | None = None, draws: int = 200
) -> np.ndarray:
    """The decile table's (observed - predicted) per tenth, recomputed on ``draws`` bootstrap resamples
    of whole households (fixed seed; each row keeps its tenth): each resample's worst deviation from the
    table itself. A household scored at twelve overlapping monthly landmarks is one draw, not twelve: its
    outcomes there move together. ``households`` None: every row is its own household."""
    n = len(p_leave)
    if n == 0 or np.ptp(p_leave) == 0:
        return np.zeros(0)
    tenth = np.empty(n, dtype=np.int64)
    for i, part in enumerate(np.array_split(np.argsort(p_leave, kind="mergesort"), 10)):
        tenth[part] = i
    cluster = np.unique(households, return_inverse=True)[1] if households is not None else np.arange(n)
    k = int(cluster.max()) + 1
    cells = cluster * 10 + tenth
    residual = np.bincount(cells, weights=y - p_leave, minlength=k * 10).reshape(k, 10)
    rows = np.bincount(cells, minlength=k * 10).reshape(k, 10).astype(float)
    table = residual.sum(axis=0) / np.maximum(rows.sum(axis=0), 1.0)
    rng = np.random.default_rng(20)
    worst = np.zeros(draws)
    for lo in range(0, draws, 25):  # 25 resamples at a time: (25, households) counts
        m = min(25, draws - lo)
        picks = rng.integers(0, k, size=(m, k))
        times = np.zeros((m, k))
        np.add.at(times, (np.repeat(np.arange(m), k), picks.ravel()), 1.0)
        gap = (times @ residual) / np.maximum(times @ rows, 1.0)
        worst[lo : lo + m] = np.abs(gap - table).max(axis=1)
    return worst


def deciles(p_leave: np.ndarray, y: np.ndarray, groups: int = 10) -> list[Decile]:
    """Calibration table: households sorted by predicted risk into ``groups`` equal parts (a constant
    prediction gives one part)."""
    if len(y) == 0:
        return []
    if np.ptp(p_leave) == 0:
        return [Decile(float(1 - p_leave[0]), float(1 - y.mean()), len(y))]
    order = np.argsort(p_leave, kind="mergesort")
    return [
        Decile(float(1 - p_leave[part].mean()), float(1 - y[part].mean()), len(part))
        for part in np.array_split(order, groups)
        if len(part)
    ]


@dataclass(frozen=True)
class Backtest:
    """The rolling out-of-time record before an as-of date, and which method it earns."""

    origins: list[int]  # month indices of the origins, oldest first
    observations: int  # rows scored: (household, month-end landmark) pairs
    departures: int  # distinct departures behind them (household and month it left), each counted once
    scores: dict[str, Score]  # "landmark", "base_rate", "contact_recency", "net_flows_6m"
    method: str  # MODEL, SIGNAL or BASE_RATE: what the product uses at the as-of date
    signal: str | None  # the baseline used when method == SIGNAL
    reason: str  # why, as a code: "model_beats_baselines", "too_few_departures", ...
    calibration: Platt | Isotonic | None = None  # learnt on all the origins' out-of-time predictions
    departing_rows: int = 0  # rows (household, landmark) labelled "left within the horizon"
    households: int = 0  # distinct households scored
    landmarks: int = 0  # month-end landmarks scored (up to the horizon per origin)

    @property
    def best_baseline(self) -> str | None:
        ranked = [
            (s.auc, name) for name, s in self.scores.items() if name in BASELINE_SIGNALS and s.auc is not None
        ]
        return max(ranked)[1] if ranked else None


def _has_skill(s: Score, base: Score) -> bool:
    """Better than a coin with 95% confidence and a Brier score below the base rate's."""
    return (
        s.auc is not None and s.auc_se is not None and s.auc - 1.96 * s.auc_se > 0.5 and s.brier < base.brier
    )


def run_backtest(table: LandmarkTable, as_of_index: int, config: AnalyticsConfig) -> Backtest:
    """Yearly origins before ``as_of_index`` (up to ``config.backtest_origins``), as the product is used:
    every method is fitted at each origin with what was known then and scores every month-end landmark of
    the following horizon whose own outcome is known by ``as_of_index`` (landmark + horizon <= as-of), so
    each fit is judged on about twelve times the rows of its origin alone."""
    h = table.horizon
    origins = [
        as_of_index - h * k
        for k in range(config.backtest_origins, 0, -1)
        if as_of_index - h * k - h - FIRST_LANDMARK >= config.min_training_months
    ]
    methods: dict[str, tuple[str, str | None]] = {MODEL: (MODEL, None), BASE_RATE: (BASE_RATE, None)}
    methods.update({name: (SIGNAL, feature) for name, feature in BASELINE_SIGNALS.items()})
    predicted: dict[str, list[np.ndarray]] = {name: [] for name in methods}
    scored: list[Landmarks] = []
    raw: list[np.ndarray] = []  # the model's uncalibrated out-of-time logits, landmark by landmark
    used: list[int] = []
    step = config.landmark_step_months
    for origin in origins:
        table.release(origin - 2 * h + 1, step, as_of_index - h)  # before this origin's fold: grid only
        landmarks = [table.at(t) for t in range(origin, min(origin + h, as_of_index - h + 1))]
        landmarks = [lm for lm in landmarks if len(lm) and not (lm.y < 0).any()]
        if not landmarks:
            continue
        fitted = {
            name: fit_at(table, origin, kind, config, signal) for name, (kind, signal) in methods.items()
        }
        if any(f is None for f in fitted.values()):
            continue
        model = fitted[MODEL]
        assert model is not None
        # earlier landmarks whose outcomes are known at this origin: landmark + horizon <= origin
        known = [i for i, lm in enumerate(scored) if int(lm.month[0]) + h <= origin]
        earlier = pooled_calibration(
            [raw[i] for i in known],
            [scored[i].y.astype(float) for i in known],
            h,
            _fold_departures(table, origin),
        )
        if earlier is not None and model.model is not None:
            fitted[MODEL] = replace(model, platt=earlier)
        for lm in landmarks:
            for name, f in fitted.items():
                assert f is not None
                predicted[name].append(f.leave_probability(lm.x))
            raw.append(model.leave_logit(lm.x))
            scored.append(lm.outcomes())
        used.append(origin)
    table.release(as_of_index - 2 * h + 1, step, as_of_index - h)  # what the fit at the as-of reads
    rows = stack(scored)
    y = rows.y.astype(float)
    count = _counts(table, rows, used)
    scores: dict[str, Score] = {}
    for name in list(predicted):  # each method's predictions let go once scored, before the recalibration
        parts = predicted.pop(name)
        pooled = np.concatenate(parts) if parts else np.zeros(0)
        del parts
        scores[name] = score(name, pooled, y, rows.rows, (count.departures, count.pairs - count.departures))
        del pooled
    method, signal, reason = _choose(scores, count.departures, config)
    calibration = pooled_calibration(raw, [lm.y.astype(float) for lm in scored], h)
    return Backtest(
        origins,
        len(y),
        count.departures,
        scores,
        method,
        signal,
        reason,
        calibration,
        count.departing_rows,
        count.households,
        count.landmarks,
    )


@dataclass(frozen=True)
class _Counts:
    departures: int  # distinct departures: (household, month it left), however many landmarks saw it coming
    departing_rows: int  # landmark rows labelled "left within the horizon"
    pairs: int  # distinct (household, origin) pairs: what the AUC's standard error counts as observations
    households: int
    landmarks: int  # month-end landmarks scored


def _counts(table: LandmarkTable, rows: Landmarks, origins: list[int]) -> _Counts:
    """What the scored rows rest on. A household at the twelve landmarks of one origin is one observation
    for the AUC's standard error, and a departure is counted once whichever landmarks saw it coming."""
    h, left = table.horizon, table.builder.h.left
    positive = rows.y == 1
    r, t = rows.rows[positive].astype(np.int64), rows.month[positive].astype(np.int64)
    ahead = t[:, None] + 1 + np.arange(h)[None, :]
    month_left = t + 1 + np.argmax(left[r[:, None], ahead], axis=1)
    origin_of = np.searchsorted(np.array(origins), rows.month, side="right") - 1 if origins else rows.month
    return _Counts(
        len(set(zip(r.tolist(), month_left.tolist(), strict=True))),
        int(positive.sum()),
        len(set(zip(rows.rows.tolist(), np.asarray(origin_of).tolist(), strict=True))),
        len(np.unique(rows.rows)),
        len(np.unique(rows.month)),
    )


def pooled_calibration(
    raw: list[np.ndarray], outcomes: list[np.ndarray], horizon: int = 1, fold: float = 0.0
) -> Platt | Isotonic | None:
    """The recalibration learnt on earlier origins' out-of-time predictions: isotonic once they hold
    enough departures (see ``calibration.py``), Platt scaling before, None while they hold fewer than ten
    departures or fewer than the single fold they would replace (``fold``; that fold's recalibration
    stands). A household is scored at up to ``horizon`` consecutive monthly landmarks: each row weighs
    1/horizon, so that a departure counts about once in the thresholds on departures. Without the
    second threshold one month-end of the previous origin (about a twelfth of its year) replaced a
    whole year's fold as soon as it held ten departures: Platt scaling on those put one tenth of the
    tests' 3,000-household book 12 points off at that origin (docs/metrics.md, 'Calibration')."""
    if not raw:
        return None
    y = np.concatenate(outcomes)
    if y.sum() / horizon < max(10.0, fold):
        return None
    logit = np.concatenate(raw)
    weights = np.full(len(y), 1.0 / horizon)
    return fit_isotonic(logit, y, weights) or fit_platt(logit, y, weights)


def _fold_departures(table: LandmarkTable, origin: int) -> float:
    """The departures (rows weighed 1/horizon) of the last known year's fold at ``origin``: what the
    recalibration of ``_tune`` rests on."""
    h = table.horizon
    return (
        sum(float((table.at(t).y == 1).sum()) for t in range(max(origin - 2 * h + 1, 0), origin - h + 1)) / h
    )


def _choose(
    scores: dict[str, Score], departures: int, config: AnalyticsConfig
) -> tuple[str, str | None, str]:
    if departures < config.min_backtest_departures:
        return BASE_RATE, None, "too_few_departures"
    base, model = scores[BASE_RATE], scores[MODEL]
    baselines = {n: s for n, s in scores.items() if n in BASELINE_SIGNALS}
    best_name, best = max(baselines.items(), key=lambda kv: kv[1].auc or 0.0)
    if _has_skill(model, base) and (model.auc or 0.0) > (best.auc or 0.0):
        return MODEL, None, "model_beats_baselines"
    if _has_skill(best, base):
        return SIGNAL, best_name, "baseline_as_good"
    return BASE_RATE, None, "no_skill"
