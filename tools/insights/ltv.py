"""Customer lifetime value (CLV) from a transaction log, with two classic probability models.

The value a customer will bring is *how often* they will buy times *how much* they spend per purchase,
and the two questions are answered by separate models:

- **BG/NBD** (Fader, Hardie & Lee 2005, "Counting your customers the easy way") answers *how often*.
  While alive a customer buys as a Poisson process with rate ``lambda ~ Gamma(r, alpha)``; after each
  purchase they drop out for good with probability ``p ~ Beta(a, b)``. Dropout is never observed, so the
  model works from recency/frequency only: a regular buyer who has gone quiet for long is probably gone,
  while a rare buyer with the same gap may well still be around.
- **Gamma-Gamma** (Fader, Hardie & Lee 2005, "RFM and CLV") answers *how much*: transaction values of a
  customer are ``Gamma(p, nu)`` with ``nu ~ Gamma(q, v)`` across customers, so a customer's observed
  average spend is shrunk towards the population mean, less so the more purchases we have seen. It assumes
  spend is independent of purchase frequency.

Time is measured in "periods" (weeks by default in :func:`summary_from_transactions`); ``frequency`` is
the number of repeat purchases, ``recency`` the time from the first to the last purchase and ``T`` the
time from the first purchase to the end of the observation window. Fitting is maximum likelihood over
log-parameters with analytic gradients; everything is computed in log space so customers with no repeat
purchases, very long histories or hundreds of purchases give finite numbers.

Typical use (weekly periods, one year ahead)::

    s = summary_from_transactions(pay.company_id, pay.paid_at, pay.amount, observation_end=today)
    bg = fit_bgnbd(s["frequency"], s["recency"], s["T"])
    gg = fit_gamma_gamma(s["frequency"], s["monetary_value"])
    s["clv_1y"] = predict_clv(bg, gg, s["frequency"], s["recency"], s["T"], s["monetary_value"], horizon=52)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import integrate, optimize, special

__all__ = [
    "bgnbd_expected_purchases",
    "bgnbd_probability_alive",
    "fit_bgnbd",
    "fit_gamma_gamma",
    "gamma_gamma_expected_spend",
    "predict_clv",
    "summary_from_transactions",
]

# Bounds on the log-parameters during fitting: keeps exp() finite when the data push a parameter to
# the edge of the parameter space (e.g. almost nobody drops out).
_LOG_BOUND = 25.0
# Average month length in days, for the optional monthly discounting in predict_clv.
_DAYS_PER_MONTH = 365.25 / 12.0
# Cap on the number of terms of the fallback series for expected purchases.
_MAX_SERIES_TERMS = 5000
# Below this z = t / (alpha + T + t) expected purchases come from the series (fast and no cancellation).
_SERIES_MAX_Z = 0.05
# Within this distance of a = 1 the closed form for expected purchases is interpolated in a.
_A_ONE_BAND = 1e-3
# Expected purchases are recomputed another way when the rounding error estimate exceeds this.
_MAX_REL_ERROR = 1e-8
_EPS = float(np.finfo(float).eps)


# --------------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------------


def _as_float(name: str, values: Any) -> np.ndarray:
    arr = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (no NaN/inf)")
    return arr


def _rft(frequency: Any, recency: Any, T: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate and broadcast frequency/recency/T; recency is clipped to T (rounding in the data)."""
    x = _as_float("frequency", frequency)
    tx = _as_float("recency", recency)
    big_t = _as_float("T", T)
    x, tx, big_t = np.broadcast_arrays(x, tx, big_t)
    if np.any(x < 0) or np.any(tx < 0) or np.any(big_t < 0):
        raise ValueError("frequency, recency and T must be non-negative")
    if np.any(tx > big_t + 1e-6 * np.maximum(1.0, big_t)):
        raise ValueError("recency must not exceed T")
    return x, np.minimum(tx, big_t), big_t


def _bg_params(params: Mapping[str, float]) -> tuple[float, float, float, float]:
    r, alpha, a, b = (float(params[k]) for k in ("r", "alpha", "a", "b"))
    if not min(r, alpha, a, b) > 0:
        raise ValueError("BG/NBD parameters r, alpha, a, b must be positive")
    return r, alpha, a, b


def _gg_params(params: Mapping[str, float]) -> tuple[float, float, float]:
    p, q, v = (float(params[k]) for k in ("p", "q", "v"))
    if not min(p, q, v) > 0:
        raise ValueError("Gamma-Gamma parameters p, q, v must be positive")
    return p, q, v


def _ret(arr: np.ndarray) -> Any:
    """Return a float for scalar inputs, the array otherwise."""
    return arr[()] if arr.ndim == 0 else arr


def _maximize(loglik: Any, theta0: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Maximize sum(weights * loglik) over log-parameters; returns (log-parameters, total log-likelihood).

    ``loglik(params, with_grad)`` returns per-row log-likelihoods and (if asked) their gradients w.r.t.
    the parameters, shape (n_params, n_rows). L-BFGS-B with the analytic gradient does the work. When
    its line search stops before the gradient vanishes, it is restarted once from where it stopped
    (a fresh curvature estimate; a few dozen evaluations). A Nelder-Mead polish used to follow every
    fit: it took ~60% of a refresh for gains of 1e-9 in log-likelihood (23,000 evaluations on the
    demo) and changed no parameter of the CDNOW fits in 12 digits, so it is gone.
    """
    total = float(weights.sum())

    def objective_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        params = np.exp(theta)
        ll, grad = loglik(params, True)
        value = -float(weights @ ll) / total
        if not np.isfinite(value):
            return np.inf, np.zeros_like(theta)
        return value, -(grad * weights).sum(axis=1) * params / total

    bounds = [(-_LOG_BOUND, _LOG_BOUND)] * len(theta0)

    def lbfgs(start: np.ndarray):
        return optimize.minimize(
            objective_grad,
            start,
            jac=True,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 2000, "ftol": 1e-13, "gtol": 1e-9},
        )

    def settled(theta: np.ndarray, value: float) -> bool:
        grad = objective_grad(theta)[1]
        at_bound = np.abs(theta) >= _LOG_BOUND - 1e-6
        return bool(np.isfinite(value) and not np.any(np.abs(grad[~at_bound]) > 1e-5))

    res = lbfgs(theta0)
    best_x, best_f = res.x, float(res.fun)
    if not settled(best_x, best_f):
        again = lbfgs(best_x)
        if np.isfinite(again.fun) and again.fun < best_f:
            best_x, best_f = again.x, float(again.fun)
    if not settled(best_x, best_f):
        warnings.warn("LTV model fit may not have converged", RuntimeWarning, stacklevel=3)
    return best_x, -best_f * total


# --------------------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------------------


def _bgnbd_loglik(
    params: np.ndarray, x: np.ndarray, tx: np.ndarray, T: np.ndarray, with_grad: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-customer log-likelihood and (optionally) its gradient w.r.t. (r, alpha, a, b), shape (4, n).

    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x))
    (G = gamma function, B = beta function); the two terms are added with logaddexp.
    """
    r, alpha, a, b = (float(v) for v in params)
    pos = x > 0
    xs = np.where(pos, x, 1.0)  # keeps b + x - 1 > 0 in the (masked) second term
    rx = r + x
    ln_beta_ab = special.betaln(a, b)
    log_at = np.log(alpha + T)
    log_atx = np.log(alpha + tx)
    common = special.gammaln(rx) - special.gammaln(r) + r * math.log(alpha)
    term_alive = special.betaln(a, b + x) - ln_beta_ab - rx * log_at
    term_dead = np.where(pos, special.betaln(a + 1.0, b + xs - 1.0) - ln_beta_ab - rx * log_atx, -np.inf)
    lse = np.logaddexp(term_alive, term_dead)
    ll = common + lse
    if not with_grad:
        return ll, None

    w_alive = np.exp(term_alive - lse)
    w_dead = np.exp(term_dead - lse)  # 0 for x == 0
    psi_ab, psi_abx = special.digamma(a + b), special.digamma(a + b + x)
    psi_a, psi_b = special.digamma(a), special.digamma(b)
    d_r = special.digamma(rx) - special.digamma(r) + math.log(alpha) - w_alive * log_at - w_dead * log_atx
    d_alpha = r / alpha - w_alive * rx / (alpha + T) - w_dead * rx / (alpha + tx)
    d_a = w_alive * (psi_ab - psi_abx) + w_dead * (special.digamma(a + 1.0) - psi_abx - psi_a + psi_ab)
    d_b = w_alive * (special.digamma(b + x) - psi_abx - psi_b + psi_ab) + w_dead * (
        special.digamma(b + xs - 1.0) - psi_abx - psi_b + psi_ab
    )
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def fit_bgnbd(frequency: Any, recency: Any, T: Any) -> dict[str, float]:
    """Fit the BG/NBD model by maximum likelihood.

    ``frequency`` = repeat purchases, ``recency`` = time of the last purchase since the first, ``T`` =
    observation time since the first purchase (same time unit). Returns ``r``, ``alpha``, ``a``, ``b``
    and ``loglik`` (total log-likelihood). Raises ValueError if nobody made a repeat purchase (the model
    is then not identified).
    """
    x, tx, big_t = (v.ravel() for v in _rft(frequency, recency, T))
    if x.size == 0 or not np.any(x > 0):
        raise ValueError("BG/NBD needs at least one customer with a repeat purchase")
    tx = np.where(x > 0, tx, 0.0)  # recency carries no information without repeat purchases
    # Many customers share the same (x, t_x, T): fit on the distinct rows, weighted by their counts.
    rows, counts = np.unique(np.column_stack([x, tx, big_t]), axis=0, return_counts=True)
    ux, utx, ut = rows.T
    weights = counts.astype(float)
    # Start at r = a = b = 1 with alpha matching the observed purchase rate.
    alpha0 = float(np.average(ut, weights=weights)) / max(float(np.average(ux, weights=weights)), 1e-3)
    theta0 = np.log([1.0, max(alpha0, 1e-3), 1.0, 1.0])
    theta, loglik = _maximize(
        lambda params, with_grad: _bgnbd_loglik(params, ux, utx, ut, with_grad), theta0, weights
    )
    r, alpha, a, b = np.exp(theta)
    return {"r": float(r), "alpha": float(alpha), "a": float(a), "b": float(b), "loglik": loglik}


def _log_alive_odds(
    r: float, alpha: float, a: float, b: float, x: np.ndarray, tx: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """log( P(dead) / P(alive) ) = log(a/(b+x-1)) + (r+x) log((alpha+T)/(alpha+t_x)); -inf when x == 0."""
    pos = x > 0
    xs = np.where(pos, x, 1.0)
    log_ratio = np.log1p((T - tx) / (alpha + tx))
    odds = math.log(a) - np.log(b + xs - 1.0) + (r + xs) * log_ratio
    return np.where(pos, odds, -np.inf)


def bgnbd_probability_alive(params: Mapping[str, float], frequency: Any, recency: Any, T: Any) -> Any:
    """Probability that each customer is still alive at T (1 for customers without repeat purchases)."""
    r, alpha, a, b = _bg_params(params)
    x, tx, big_t = _rft(frequency, recency, T)
    return _ret(special.expit(-_log_alive_odds(r, alpha, a, b, x, tx, big_t)))


def _purchases_if_alive_series(
    r: float, a: float, b: float, x: np.ndarray, log_u: np.ndarray, z: np.ndarray, max_terms: int
) -> tuple[np.ndarray, np.ndarray]:
    """Expected purchases if alive, summing a pole-free series directly; also returns a converged mask.

    With A = a+b-1-r, C = a+b+x-1 and u = 1-z the quantity is
    C (1 - u^(a-1)) / (a-1) - u^(a-1) S,  S = C (2F1(A, a-1; C; z) - 1) / (a-1)
    and S = sum_{n>=1} t_n with t_1 = A z, t_{n+1} = t_n (A+n)(a+n-1) z / ((C+n)(n+1)), which has no
    singularity at a = 1 or C = 0. Converges fast for small z or large C (many purchases).
    """
    big_a = a + b - 1.0 - r
    big_c = a + b + x - 1.0
    term = big_a * z
    total = term.copy()
    magnitude = np.abs(term)  # sum of |terms|, for the rounding error estimate
    idx = np.flatnonzero(term != 0)
    n = 1
    with np.errstate(all="ignore"):
        while idx.size and n < max_terms:
            ratio = (big_a + n) * (a + n - 1.0) * z[idx] / ((big_c[idx] + n) * (n + 1.0))
            term[idx] *= ratio
            total[idx] += term[idx]
            magnitude[idx] += np.abs(term[idx])
            done = (np.abs(term[idx]) <= 1e-17 * np.abs(total[idx])) & (np.abs(ratio) < 1.0)
            done |= ~np.isfinite(total[idx])
            idx = idx[~done]
            n += 1
        s = (a - 1.0) * log_u
        first = big_c * (-log_u) * special.exprel(s)
        value = first - np.exp(s) * total
        rounding = 8.0 * _EPS * (np.abs(first) + np.exp(s) * magnitude)
    converged = np.isfinite(value) & (rounding <= _MAX_REL_ERROR * np.abs(value))
    converged[idx] = False
    return value, converged


def _purchases_if_alive_quad(r: float, a: float, b: float, x: float, h: float) -> float:
    """Expected purchases if alive by adaptive quadrature; last resort for extreme parameters.

    Given alive, lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x), and E[Y(t) | lambda, p] =
    (1 - exp(-lambda p t)) / p, so the quantity is E_p[(1 - (1 + p h)^-(r+x)) / p] with h = t/(alpha+T).
    Both the integral and the normalizing constant are integrated numerically over the range that holds
    the Beta mass, with the density taken relative to its mean (no huge log-beta constants). For a < 1
    the substitution s = p^a removes the singularity of the density at 0.
    """
    c, b_x = r + x, b + x
    n = a + b_x
    mean = a / n
    spread = math.sqrt(mean * (1.0 - mean) / (n + 1.0))
    hi = min(1.0, mean + 50.0 * spread + 50.0 / n)  # the Beta mass beyond is negligible (< e^-50)
    knee = 1.0 / (c * h) if c * h > 0 else 1.0  # g(p) ~ c h below the knee, ~ 1/p above it

    def g(p: float) -> float:
        return -math.expm1(-c * math.log1p(p * h)) / p if p > 0 else c * h

    if a < 1.0:
        lo, hi = 0.0, hi**a
        knee = knee**a

        def weight(s: float) -> float:  # (1-p)^(b+x-1) with p = s^(1/a); p^(a-1) dp = ds / a
            p = s ** (1.0 / a)
            return math.exp((b_x - 1.0) * math.log1p(-p)) if p < 1.0 else 0.0

        def value(s: float) -> float:
            return g(s ** (1.0 / a)) * weight(s)

    else:
        lo = max(0.0, mean - 50.0 * spread)

        def weight(p: float) -> float:  # Beta(a, b+x) density / its value at the mean
            if p <= 0.0 or p >= 1.0:
                return 0.0
            d = p - mean
            return math.exp((a - 1.0) * math.log1p(d / mean) + (b_x - 1.0) * math.log1p(-d / (1.0 - mean)))

        def value(p: float) -> float:
            return g(p) * weight(p)

    points = [pt for pt in (mean if a >= 1.0 else None, knee) if pt is not None and lo < pt < hi] or None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        numerator, _ = integrate.quad(value, lo, hi, points=points, limit=500, epsrel=1e-10, epsabs=0.0)
        denominator, _ = integrate.quad(weight, lo, hi, points=points, limit=500, epsrel=1e-10, epsabs=0.0)
    return numerator / denominator if denominator > 0 else math.nan


def _purchases_if_alive_hyp2f1(
    r: float, a: float, b: float, x: np.ndarray, log_u: np.ndarray, z: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Closed form via scipy's 2F1: (a+b+x-1)/(a-1) * [1 - u^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z)].

    Returns the values and an estimate of their rounding error (the bracket cancels when
    (a+b+x-1)/(a-1) is huge). The form is 0/0 at a = 1; within _A_ONE_BAND of 1 it is interpolated
    (cubic, in a) from four nearby values of a, where the cancellation is harmless.
    """

    def closed(a_: float) -> tuple[np.ndarray, np.ndarray]:
        factor = (a_ + b + x - 1.0) / (a_ - 1.0)
        with np.errstate(all="ignore"):
            q = np.exp((a_ - 1.0) * log_u) * special.hyp2f1(a_ + b - 1.0 - r, a_ - 1.0, a_ + b + x - 1.0, z)
            return factor * (1.0 - q), 8.0 * _EPS * np.abs(factor) * (1.0 + np.abs(q))

    if abs(a - 1.0) >= _A_ONE_BAND:
        return closed(a)
    nodes = 1.0 + _A_ONE_BAND * np.array([-2.0, -1.0, 1.0, 2.0])
    value, rounding = np.zeros_like(z), np.zeros_like(z)
    for i, node in enumerate(nodes):
        others = np.delete(nodes, i)
        weight = float(np.prod((a - others) / (node - others)))
        node_value, node_rounding = closed(float(node))
        value, rounding = value + weight * node_value, rounding + abs(weight) * node_rounding
    return value, rounding


def _purchases_if_alive(
    r: float, alpha: float, a: float, b: float, x: np.ndarray, T: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """E[purchases in (T, T+t] | alive at T, x, T].

    Fader-Hardie-Lee eq. 10 without the P(alive) factor:
    (a+b+x-1)/(a-1) * [1 - u^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],  u = (alpha+T)/(alpha+T+t), z = 1-u.
    Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z) turns the bracket into
    1 - u^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), which no longer overflows for large x (the original
    2F1 grows like u^-(r+x) while its prefactor underflows). scipy's hyp2f1 still fails (NaN/inf or
    garbage) for z near 1 with large parameters, and the bracket cancels when (a+b+x-1)/(a-1) is huge
    (b -> inf, no dropout). So: small z uses a direct series, other z scipy's 2F1; results that are
    non-finite, outside [0, (r+x) t/(alpha+T)] (the bound if nobody ever dropped out) or with a rounding
    error estimate above _MAX_REL_ERROR are recomputed by the series and, failing that, by quadrature.
    """
    h = t / (alpha + T)
    log_u = -np.log1p(h)
    z = -np.expm1(log_u)
    upper = (r + x) * h
    value = np.empty_like(z)
    small = z < _SERIES_MAX_Z
    ok = np.ones(z.shape, dtype=bool)
    value[small], ok[small] = _purchases_if_alive_series(r, a, b, x[small], log_u[small], z[small], 200)
    value[~small], rounding = _purchases_if_alive_hyp2f1(r, a, b, x[~small], log_u[~small], z[~small])
    with np.errstate(invalid="ignore"):
        ok[~small] = rounding <= _MAX_REL_ERROR * np.abs(value[~small])
    tol = 1e-9 * (1.0 + upper)
    bad = np.flatnonzero(~ok | ~np.isfinite(value) | (value < -tol) | (value > upper + tol))
    if bad.size:
        value[bad], fixed = _purchases_if_alive_series(r, a, b, x[bad], log_u[bad], z[bad], _MAX_SERIES_TERMS)
        fixed &= (value[bad] >= -tol[bad]) & (value[bad] <= upper[bad] + tol[bad])
        for i in bad[~fixed]:
            value[i] = _purchases_if_alive_quad(r, a, b, float(x[i]), float(h[i]))
    return np.clip(np.nan_to_num(value, nan=0.0), 0.0, upper)


def bgnbd_expected_purchases(
    params: Mapping[str, float], t: Any, frequency: Any, recency: Any, T: Any
) -> Any:
    """Expected number of purchases in the next ``t`` periods, given each customer's history.

    Conditional expectation of the BG/NBD model (Fader, Hardie & Lee 2005, eq. 10); vectorized and
    broadcast over ``t``, ``frequency``, ``recency`` and ``T``.
    """
    r, alpha, a, b = _bg_params(params)
    t_arr = _as_float("t", t)
    if np.any(t_arr < 0):
        raise ValueError("t must be non-negative")
    x, tx, big_t = _rft(frequency, recency, T)
    shape = np.broadcast_shapes(t_arr.shape, x.shape)
    t_arr, x, tx, big_t = (np.broadcast_to(v, shape).ravel() for v in (t_arr, x, tx, big_t))
    p_alive = special.expit(-_log_alive_odds(r, alpha, a, b, x, tx, big_t))
    return _ret((p_alive * _purchases_if_alive(r, alpha, a, b, x, big_t, t_arr)).reshape(shape))


# --------------------------------------------------------------------------------------------------
# Gamma-Gamma
# --------------------------------------------------------------------------------------------------


def _gamma_gamma_loglik(
    params: np.ndarray, x: np.ndarray, m: np.ndarray, with_grad: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    """Per-customer log density of the average spend m over x purchases, and its gradient (3, n).

    f(m | x) = G(px+q) / (G(px) G(q)) * v^q * m^(px-1) * x^(px) / (v + x m)^(px+q)
    (the mean of x Gamma(p, nu) values is Gamma(px, x nu); integrating nu ~ Gamma(q, v) gives f).
    """
    p, q, v = (float(val) for val in params)
    px = p * x
    log_x, log_m = np.log(x), np.log(m)
    log_vxm = np.log(v + x * m)
    psi_pxq = special.digamma(px + q)
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * math.log(v)
        + (px - 1.0) * log_m
        + px * log_x
        - (px + q) * log_vxm
    )
    if not with_grad:
        return ll, None
    d_p = x * (psi_pxq - special.digamma(px) + log_m + log_x - log_vxm)
    d_q = psi_pxq - special.digamma(q) + math.log(v) - log_vxm
    d_v = q / v - (px + q) / (v + x * m)
    return ll, np.stack([d_p, d_q, d_v])


def fit_gamma_gamma(frequency: Any, monetary_value: Any) -> dict[str, float]:
    """Fit the Gamma-Gamma spend model by maximum likelihood.

    Uses only customers with ``frequency > 0`` and a positive average spend of their repeat purchases
    (``monetary_value``); others are dropped here. Returns ``p``, ``q``, ``v`` and ``loglik``.
    """
    x = _as_float("frequency", frequency)
    m = _as_float("monetary_value", monetary_value)
    x, m = (arr.ravel() for arr in np.broadcast_arrays(x, m))
    keep = (x > 0) & (m > 0)
    if not np.any(keep):
        raise ValueError("Gamma-Gamma needs customers with repeat purchases and positive spend")
    rows, counts = np.unique(np.column_stack([x[keep], m[keep]]), axis=0, return_counts=True)
    ux, um = rows.T
    weights = counts.astype(float)
    # Start at p = 1, q = 2, where the population mean spend p*v/(q-1) equals v = the mean spend.
    theta0 = np.log([1.0, 2.0, float(np.average(um, weights=weights))])
    theta, loglik = _maximize(
        lambda params, with_grad: _gamma_gamma_loglik(params, ux, um, with_grad), theta0, weights
    )
    p, q, v = np.exp(theta)
    return {"p": float(p), "q": float(q), "v": float(v), "loglik": loglik}


def gamma_gamma_expected_spend(params: Mapping[str, float], frequency: Any, monetary_value: Any) -> Any:
    """Expected average transaction value of each customer: E[Z | x, m] = p (v + x m) / (p x + q - 1).

    A weighted average of the population mean p v / (q - 1) and the customer's own average ``m``;
    customers with ``frequency == 0`` get the population mean. Negative averages (refunds) count as 0.
    If q <= 1 the population mean is infinite and those customers get NaN (with a RuntimeWarning).
    """
    p, q, v = _gg_params(params)
    x = _as_float("frequency", frequency)
    m = _as_float("monetary_value", monetary_value)
    x, m = np.broadcast_arrays(x, m)
    if np.any(x < 0):
        raise ValueError("frequency must be non-negative")
    m = np.where(x > 0, np.maximum(m, 0.0), 0.0)
    denom = p * x + q - 1.0
    undefined = denom <= 0
    if np.any(undefined):
        warnings.warn(
            "Gamma-Gamma q <= 1: the population mean spend is infinite; returning NaN for those customers",
            RuntimeWarning,
            stacklevel=2,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        spend = np.where(undefined, np.nan, p * (v + x * m) / denom)
    return _ret(spend)


# --------------------------------------------------------------------------------------------------
# CLV and data preparation
# --------------------------------------------------------------------------------------------------


def predict_clv(
    bg_params: Mapping[str, float],
    gg_params: Mapping[str, float],
    frequency: Any,
    recency: Any,
    T: Any,
    monetary_value: Any,
    horizon: float,
    discount_rate: float = 0.0,
    period_days: float = 7.0,
) -> Any:
    """Customer value over the next ``horizon`` periods: expected purchases x expected spend per purchase.

    ``discount_rate`` is an optional monthly discount rate (0 = undiscounted); with it, purchases are
    bucketed by month (``period_days`` days per period) and month k is discounted by (1 + rate)^-k.
    """
    horizon = float(horizon)
    if not horizon >= 0 or not math.isfinite(horizon):
        raise ValueError("horizon must be a finite non-negative number")
    if not discount_rate >= 0 or not period_days > 0:
        raise ValueError("discount_rate must be >= 0 and period_days > 0")
    spend = np.asarray(gamma_gamma_expected_spend(gg_params, frequency, monetary_value), dtype=float)
    if discount_rate == 0:
        purchases = np.asarray(bgnbd_expected_purchases(bg_params, horizon, frequency, recency, T))
        return _ret(purchases * spend)
    month = _DAYS_PER_MONTH / period_days  # one month in periods
    n_months = max(1, math.ceil(horizon / month - 1e-9))
    ndim = np.broadcast(np.asarray(frequency), np.asarray(recency), np.asarray(T)).ndim
    edges = np.minimum(np.arange(n_months + 1) * month, horizon).reshape((-1,) + (1,) * ndim)
    cumulative = np.asarray(bgnbd_expected_purchases(bg_params, edges, frequency, recency, T))
    factors = (1.0 + discount_rate) ** -np.arange(1, n_months + 1, dtype=float)
    discounted = np.tensordot(factors, np.diff(cumulative, axis=0), axes=1)
    return _ret(np.asarray(discounted) * spend)


def summary_from_transactions(
    customer_ids: Any,
    dates: Any,
    amounts: Any,
    observation_end: Any,
    period_days: float = 7.0,
) -> pd.DataFrame:
    """Turn a transaction log into the per-customer summary the models need.

    Transactions are collapsed per customer and calendar day (amounts summed); transactions after
    ``observation_end`` and rows without customer or date are ignored. Returns a DataFrame indexed by
    customer id with ``frequency`` (distinct purchase days - 1), ``recency`` (first to last purchase
    day), ``T`` (first purchase day to the day of ``observation_end``), both in periods of
    ``period_days`` days, and ``monetary_value`` (mean daily amount over the repeat purchase days, 0
    when there are none). Inputs are positional arrays/Series of equal length (Series indexes ignored).
    """
    if not period_days > 0:
        raise ValueError("period_days must be positive")
    ids = pd.Series(customer_ids).reset_index(drop=True)
    when = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    value = pd.to_numeric(pd.Series(amounts)).astype(float).reset_index(drop=True)
    if not len(ids) == len(when) == len(value):
        raise ValueError("customer_ids, dates and amounts must have the same length")
    name = getattr(customer_ids, "name", None) or "customer_id"

    end = pd.Timestamp(observation_end)
    tz = when.dt.tz
    if tz is not None:
        end = end.tz_localize(tz) if end.tzinfo is None else end.tz_convert(tz)
    elif end.tzinfo is not None:
        end = end.tz_convert(None)  # naive timestamps are taken to be UTC
    keep = ids.notna() & when.notna() & (when <= end)
    log = pd.DataFrame({"cid": ids[keep], "day": when[keep].dt.normalize(), "amount": value[keep]})

    daily = log.groupby(["cid", "day"], sort=True, observed=True)["amount"].sum().reset_index()
    first_day = daily.groupby("cid", sort=False, observed=True)["day"].transform("min")
    per_customer = daily.groupby("cid", sort=True, observed=True)["day"].agg(["min", "max", "size"])
    repeat_spend = (
        daily.loc[daily["day"] > first_day].groupby("cid", sort=False, observed=True)["amount"].mean()
    )
    period = pd.Timedelta(days=period_days)
    out = pd.DataFrame(
        {
            "frequency": (per_customer["size"] - 1).astype(np.int64),
            "recency": (per_customer["max"] - per_customer["min"]) / period,
            "T": (end.normalize() - per_customer["min"]) / period,
            "monetary_value": repeat_spend.reindex(per_customer.index).fillna(0.0).astype(float),
        },
        index=per_customer.index,
    )
    out.index.name = name
    return out
