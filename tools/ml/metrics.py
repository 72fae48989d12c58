"""Evaluation helpers for binary probability models (printed by ``crmbot leads train``).

All functions take ``y_true`` (bools, 0/1 or two labels; the positive class is
``pos_label`` or, when omitted, the greater label as scikit-learn orders ``classes_``) and
``p``, the predicted probability of the positive class (a 1-D array, or the (n, 2) output
of ``predict_proba``, whose column 1 is used).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn import metrics as _skm


def _binary(y_true, pos_label=None) -> np.ndarray:
    y = np.asarray(y_true).ravel()
    if pos_label is None:
        classes = np.unique(y)
        if len(classes) > 2:
            raise ValueError(f"y_true has more than 2 classes: {classes[:5].tolist()}")
        if len(classes) == 2:
            pos_label = classes[1]
        elif len(classes) == 1 and classes[0] in (0, 1, True, False):
            pos_label = 1
        else:
            pos_label = classes[0] if len(classes) else 1
    return (y == pos_label).astype(np.int64)


def _proba(p) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    if p.ndim == 2:
        p = p[:, 1]
    return p.ravel()


def _check(y, p) -> None:
    if len(y) != len(p):
        raise ValueError(f"y_true has {len(y)} values but p has {len(p)}")


def roc_auc(y_true, p, pos_label=None) -> float:
    """ROC AUC; NaN when y_true contains a single class."""
    y, q = _binary(y_true, pos_label), _proba(p)
    _check(y, q)
    if len(y) == 0 or y.min() == y.max():
        return math.nan
    return float(_skm.roc_auc_score(y, q))


def brier_score(y_true, p, pos_label=None) -> float:
    """Mean squared error of the probabilities (lower is better)."""
    y, q = _binary(y_true, pos_label), _proba(p)
    _check(y, q)
    return float(np.mean((q - y) ** 2))


def log_loss(y_true, p, pos_label=None) -> float:
    """Mean negative log-likelihood (probabilities clipped to [1e-15, 1 - 1e-15])."""
    y, q = _binary(y_true, pos_label), _proba(p)
    _check(y, q)
    q = np.clip(q, 1e-15, 1 - 1e-15)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))


def _bin_index(q: np.ndarray, n_bins: int) -> np.ndarray:
    if n_bins < 1:
        raise ValueError("n_bins must be >= 1")
    return np.clip((q * n_bins).astype(np.int64), 0, n_bins - 1)


def calibration_table(y_true, p, n_bins: int = 10, pos_label=None, include_empty: bool = False):
    """Reliability table over ``n_bins`` equal-width probability bins [lo, hi).

    Returns a DataFrame with columns ``bin_lower``, ``bin_upper``, ``count``,
    ``mean_predicted``, ``observed_rate`` (the last bin includes p == 1).
    """
    y, q = _binary(y_true, pos_label), _proba(p)
    _check(y, q)
    idx = _bin_index(q, n_bins)
    count = np.bincount(idx, minlength=n_bins)
    sum_p = np.bincount(idx, weights=q, minlength=n_bins)
    sum_y = np.bincount(idx, weights=y, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        table = pd.DataFrame(
            {
                "bin_lower": np.arange(n_bins) / n_bins,
                "bin_upper": np.arange(1, n_bins + 1) / n_bins,
                "count": count,
                "mean_predicted": np.where(count > 0, sum_p / count, np.nan),
                "observed_rate": np.where(count > 0, sum_y / count, np.nan),
            }
        )
    if not include_empty:
        table = table[table["count"] > 0].reset_index(drop=True)
    return table


def expected_calibration_error(y_true, p, n_bins: int = 10, pos_label=None) -> float:
    """Count-weighted mean |mean predicted - observed rate| over equal-width bins."""
    table = calibration_table(y_true, p, n_bins=n_bins, pos_label=pos_label)
    total = table["count"].sum()
    if total == 0:
        return math.nan
    gap = (table["mean_predicted"] - table["observed_rate"]).abs()
    return float((gap * table["count"]).sum() / total)


def format_calibration_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`calibration_table` for logs and the CLI."""
    lines = [f"{'bin':>11}  {'count':>8}  {'predicted':>9}  {'observed':>8}"]
    for row in table.itertuples(index=False):
        rng = f"{row.bin_lower:.2f}-{row.bin_upper:.2f}"
        lines.append(f"{rng:>11}  {row.count:>8d}  {row.mean_predicted:>9.3f}  {row.observed_rate:>8.3f}")
    return "\n".join(lines)


def summary(y_true, p, n_bins: int = 10, pos_label=None) -> dict:
    """Headline numbers: n, positive rate, ROC AUC, Brier score, log-loss, ECE."""
    y = _binary(y_true, pos_label)
    return {
        "n": int(len(y)),
        "positive_rate": float(y.mean()) if len(y) else math.nan,
        "roc_auc": roc_auc(y, p, pos_label=1),
        "brier": brier_score(y, p, pos_label=1),
        "log_loss": log_loss(y, p, pos_label=1),
        "ece": expected_calibration_error(y, p, n_bins=n_bins, pos_label=1),
    }
