"""A penalised logistic regression on landmark snapshots, recalibrated out of time (Platt scaling).

Why this family (argued in docs/metrics.md): the outcome is "left within 12 months of the landmark", so a
logistic model on landmarks gives a smooth probability directly, with no baseline hazard to step or
extrapolate; a ridge penalty keeps a small book's coefficients modest; and it needs numpy only (about
100 lines, fitted by iteratively reweighted least squares in milliseconds), so neither the window nor the
KPIs ever import lifelines or SciPy. Everything imported here is imported by this module only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

Z_CAP = 4.0  # standardised values are capped: one extreme month must not outweigh everything else
P_FLOOR = 0.001  # no probability is ever shown as exactly 0% or 100%


@dataclass(frozen=True)
class Logistic:
    """Coefficients on standardised features; ``cov`` approximates their covariance (for bands)."""

    columns: np.ndarray  # indices of the features used (constant ones are dropped)
    mean: np.ndarray
    scale: np.ndarray
    intercept: float
    coef: np.ndarray
    cov: np.ndarray  # (k + 1) x (k + 1), intercept first

    def standardise(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(np.clip((x[:, self.columns] - self.mean) / self.scale, -Z_CAP, Z_CAP))

    def logit(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.intercept + self.standardise(x) @ self.coef)

    def logit_se(self, x: np.ndarray) -> np.ndarray:
        """Standard error of each row's logit: the band around a probability."""
        z = np.hstack([np.ones((len(x), 1)), self.standardise(x)])
        return np.asarray(np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", z, self.cov, z), 0.0)))

    def contributions(self, x: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """Per row and feature used, coefficient x (standardised value - the reference's): how much each
        feature moves this household's risk relative to the book (positive = riskier)."""
        return np.asarray((self.standardise(x) - self.standardise(reference[None, :])[0]) * self.coef)


def sigmoid(v: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(v, -35, 35))))


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    penalty: float,
    columns: list[int] | None = None,
    weights: np.ndarray | None = None,
) -> Logistic | None:
    """Ridge-penalised logistic regression (intercept not penalised) by damped Newton steps. ``penalty``
    is per 1,000 rows (of weight), so that its pull relative to the data does not vanish on a large book.
    ``weights`` undo a subsample of the stayers. None when there is nothing to learn (no departures, no
    stayers, no varying feature) or the fit runs away (perfect separation)."""
    if len(y) == 0 or y.min() == y.max():
        return None
    wt = np.ones(len(y)) if weights is None else weights
    cols = np.array(columns if columns is not None else range(x.shape[1]))
    sub = x[:, cols]
    total = float(wt.sum())
    mean = (sub * wt[:, None]).sum(axis=0) / total
    scale = np.sqrt(((sub - mean) ** 2 * wt[:, None]).sum(axis=0) / total)
    keep = scale > 1e-9
    if not keep.any():
        return None
    cols, sub, scale, mean = cols[keep], sub[:, keep], scale[keep], mean[keep]
    z = np.hstack([np.ones((len(y), 1)), np.clip((sub - mean) / scale, -Z_CAP, Z_CAP)])
    k = z.shape[1]
    lam = np.full(k, penalty * total / 1000.0)
    lam[0] = 0.0
    rate = float(np.clip((y * wt).sum() / total, 1e-4, 1 - 1e-4))
    beta = np.zeros(k)
    beta[0] = np.log(rate / (1 - rate))
    hessian = np.eye(k)

    def objective(b: np.ndarray) -> float:
        v = z @ b
        loglik = float(np.sum(wt * (y * v - np.logaddexp(0.0, v))))
        return loglik - 0.5 * float(np.sum(lam * b * b))

    current = objective(beta)
    for _ in range(50):
        p = sigmoid(z @ beta)
        gradient = z.T @ ((y - p) * wt) - lam * beta
        hessian = z.T @ (z * (p * (1 - p) * wt)[:, None]) + np.diag(lam)
        try:
            step = np.linalg.solve(hessian, gradient)
        except np.linalg.LinAlgError:
            return None
        size = 1.0
        while size > 1e-6:  # backtracking: a Newton step never makes the fit worse
            trial = beta + size * step
            value = objective(trial)
            if value >= current - 1e-12:
                break
            size /= 2
        else:
            break
        beta, improvement, current = trial, value - current, value
        if improvement < 1e-8 * max(1.0, abs(current)):
            break
    if not np.all(np.isfinite(beta)) or np.max(np.abs(beta)) > 50:
        return None
    cov = np.linalg.pinv(hessian)
    return Logistic(cols, mean, scale, float(beta[0]), beta[1:], cov)


LOW_QUANTILE = 0.05  # below this share of the logits a recalibration was learnt on, it stays flat


@dataclass(frozen=True)
class Platt:
    """Recalibration of a logit: p = sigmoid(a * max(logit, low) + b), fitted on out-of-time predictions.

    ``low`` is the lowest logit the fit had evidence for (``lowest_seen``): a newer model, trained on more
    data, ranks its safest households further out than the one the recalibration was learnt on, and the
    slope followed out there gave them less risk than the departures nobody sees coming (deaths, moves)
    leave anyone; below ``low`` the probability stays at its value there (see docs/metrics.md,
    'Calibration')."""

    a: float = 1.0
    b: float = 0.0
    low: float = -np.inf

    def apply(self, logit: np.ndarray) -> np.ndarray:
        return clip_probability(sigmoid(self.a * np.maximum(logit, self.low) + self.b))


def lowest_seen(logit: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The ``LOW_QUANTILE`` of ``logit`` (by weight): the floor of what a recalibration learnt on it knows."""
    if len(logit) == 0:
        return -np.inf
    order = np.argsort(logit, kind="mergesort")
    w = np.ones(len(logit)) if weights is None else np.asarray(weights, dtype=float)[order]
    cumulative = np.cumsum(w)
    at = int(np.searchsorted(cumulative, LOW_QUANTILE * cumulative[-1]))
    return float(np.asarray(logit)[order][min(at, len(order) - 1)])


def fit_platt(logit: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> Platt:
    """Platt scaling on an out-of-time fold, flat below the fold's lowest logits; the identity when the
    fold cannot support it."""
    fitted = _fit_platt(logit, y, weights)
    return fitted if fitted == Platt() else replace(fitted, low=lowest_seen(logit, weights))


def _fit_platt(logit: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> Platt:
    if len(y) < 50 or y.sum() < 5 or y.sum() == len(y):
        return Platt()
    fitted = fit_logistic(logit[:, None], y.astype(float), 0.0, None, weights)
    if fitted is None:
        return Platt()
    a = float(fitted.coef[0] / fitted.scale[0])
    b = float(fitted.intercept - a * fitted.mean[0])
    if not (0.05 < a < 5.0):  # a slope that flips or explodes: the fold is too thin; shift the level only
        observed = float(np.clip(np.average(y, weights=weights), 1e-4, 1 - 1e-4))
        predicted = float(np.clip(np.average(sigmoid(logit), weights=weights), 1e-4, 1 - 1e-4))
        return Platt(1.0, float(np.log(observed / (1 - observed)) - np.log(predicted / (1 - predicted))))
    return Platt(a, b)


def clip_probability(p: np.ndarray) -> np.ndarray:
    return np.asarray(np.clip(p, P_FLOOR, 1.0 - P_FLOOR))


def auc(score: np.ndarray, y: np.ndarray) -> float | None:
    """Area under the ROC curve (Mann-Whitney, ties counted half); None without both outcomes."""
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    _, first, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    average = first + (counts + 1) / 2.0
    ranks[order] = np.repeat(average, counts)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def auc_standard_error(a: float, positives: float, negatives: float) -> float:
    """Hanley and McNeil's (1982) standard error of an AUC."""
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    var = (a * (1 - a) + (positives - 1) * (q1 - a * a) + (negatives - 1) * (q2 - a * a)) / max(
        positives * negatives, 1.0
    )
    return float(np.sqrt(max(var, 0.0)))


def wilson(successes: float, total: float, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion."""
    if total <= 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return float(max(centre - half, 0.0)), float(min(centre + half, 1.0))
